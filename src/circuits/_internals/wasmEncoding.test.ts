/**
 * Tests of the WebAssembly binary encoding helpers: unsigned and signed LEB128
 * against byte sequences computed by hand (core spec §5.2.2), a round trip of
 * both through an independent LEB128 decoder written here, names and sized
 * sections, buffer growth, and a module assembled with ByteWriter that the
 * runtime's own decoder accepts and runs.
 */
import { describe, expect, it } from 'vitest';
import { ByteWriter, OP, SECTION, TYPE, WASM_HEADER } from './wasmEncoding.js';

const bytesOf = (w: ByteWriter) => Array.from(w.view());

/** Decodes one LEB128 integer at the start of `bytes`; returns the value and the bytes read. */
function decodeLeb(bytes: readonly number[], signed: boolean): { value: number; read: number } {
  let value = 0;
  let shift = 0;
  let read = 0;
  for (;;) {
    const b = bytes[read++];
    if (b === undefined) throw new Error('ran off the end');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) {
      if (signed && (b & 0x40) !== 0) value -= 2 ** shift;
      return { value, read };
    }
  }
}

describe('ByteWriter.u32 (unsigned LEB128)', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [63, [0x3f]],
    [64, [0x40]],
    [127, [0x7f]],
    [128, [0x80, 0x01]],
    [255, [0xff, 0x01]],
    [300, [0xac, 0x02]],
    [16383, [0xff, 0x7f]],
    [16384, [0x80, 0x80, 0x01]],
    [624485, [0xe5, 0x8e, 0x26]],
    [2 ** 31, [0x80, 0x80, 0x80, 0x80, 0x08]],
    [2 ** 32 - 1, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ])('u32(%i)', (v, bytes) => {
    expect(bytesOf(new ByteWriter().u32(v))).toEqual(bytes);
  });

  it('round-trips through an independent decoder', () => {
    const values = [0, 1, 127, 128, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28 - 1, 2 ** 28, 2 ** 32 - 1];
    for (let v = 1; v < 2 ** 32; v = v * 3 + 1) values.push(v);
    for (const v of values) {
      const bytes = bytesOf(new ByteWriter().u32(v));
      expect(decodeLeb(bytes, false)).toEqual({ value: v, read: bytes.length });
      expect(bytes.length).toBe(Math.max(1, Math.ceil(Math.log2(v + 1) / 7)));
    }
  });
});

describe('ByteWriter.s32 (signed LEB128)', () => {
  it.each([
    [0, [0x00]],
    [1, [0x01]],
    [63, [0x3f]],
    [64, [0xc0, 0x00]],
    [127, [0xff, 0x00]],
    [128, [0x80, 0x01]],
    [-1, [0x7f]],
    [-2, [0x7e]],
    [-64, [0x40]],
    [-65, [0xbf, 0x7f]],
    [-128, [0x80, 0x7f]],
    [-123456, [0xc0, 0xbb, 0x78]],
    [2 ** 31 - 1, [0xff, 0xff, 0xff, 0xff, 0x07]],
    [-(2 ** 31), [0x80, 0x80, 0x80, 0x80, 0x78]],
  ])('s32(%i)', (v, bytes) => {
    expect(bytesOf(new ByteWriter().s32(v))).toEqual(bytes);
  });

  it('round-trips through an independent decoder', () => {
    const values = [0, -1, 63, 64, -64, -65, 8191, 8192, -8192, -8193, 2 ** 31 - 1, -(2 ** 31)];
    for (let v = 1; v < 2 ** 31; v = v * 5 + 3) values.push(v, -v);
    for (const v of values) {
      const bytes = bytesOf(new ByteWriter().s32(v));
      expect(decodeLeb(bytes, true)).toEqual({ value: v, read: bytes.length });
    }
  });
});

describe('ByteWriter framing', () => {
  it('writes a name as its UTF-8 length and bytes', () => {
    expect(bytesOf(new ByteWriter().name('env'))).toEqual([3, 0x65, 0x6e, 0x76]);
    expect(bytesOf(new ByteWriter().name('é'))).toEqual([2, 0xc3, 0xa9]);
    expect(bytesOf(new ByteWriter().name(''))).toEqual([0]);
  });

  it('prefixes a sized body and a section with their lengths', () => {
    const body = new ByteWriter().bytes([1, 2, 3]);
    expect(bytesOf(new ByteWriter().sized(body))).toEqual([3, 1, 2, 3]);
    expect(bytesOf(new ByteWriter().section(SECTION.code, body))).toEqual([10, 3, 1, 2, 3]);
    const big = new ByteWriter().bytes(new Array<number>(200).fill(7));
    expect(bytesOf(new ByteWriter().sized(big)).slice(0, 3)).toEqual([0xc8, 0x01, 7]);
  });

  it('grows past its initial buffer without losing bytes', () => {
    const w = new ByteWriter();
    for (let i = 0; i < 5000; i++) w.byte(i & 0xff);
    expect(w.length).toBe(5000);
    const view = w.view();
    expect(view.length).toBe(5000);
    expect(view.every((b, i) => b === (i & 0xff))).toBe(true);
  });

  it('assembles a module the runtime validates and runs: (func (result i32) i32.const -65)', () => {
    const w = new ByteWriter().bytes(WASM_HEADER);
    w.section(SECTION.type, new ByteWriter().u32(1).byte(TYPE.func).u32(0).u32(1).byte(TYPE.i32));
    w.section(SECTION.function, new ByteWriter().u32(1).u32(0));
    w.section(SECTION.export, new ByteWriter().u32(1).name('f').byte(0x00).u32(0));
    const body = new ByteWriter().u32(0).byte(OP.i32Const).s32(-65).byte(OP.end);
    w.section(SECTION.code, new ByteWriter().u32(1).sized(body));
    const bytes = w.view().slice();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
    expect((instance.exports['f'] as () => number)()).toBe(-65);
  });
});
