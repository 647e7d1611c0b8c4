/**
 * The few pieces of the WebAssembly binary format (core spec §5, SIMD proposal
 * opcodes) that the bit-sliced JIT needs: LEB128 integers, sections, and a
 * byte buffer that grows.
 */
export class ByteWriter {
  private buf = new Uint8Array(1024);
  length = 0;

  byte(b: number): this {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = b;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    for (let i = 0; i < bs.length; i++) this.byte(bs[i]!);
    return this;
  }

  /** Unsigned LEB128. */
  u32(v: number): this {
    do {
      let b = v & 0x7f;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 (for i32.const). */
  s32(v: number): this {
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }

  name(s: string): this {
    const utf8 = new TextEncoder().encode(s);
    return this.u32(utf8.length).bytes(utf8);
  }

  /** A length-prefixed section or body. */
  sized(content: ByteWriter): this {
    return this.u32(content.length).bytes(content.view());
  }

  section(id: number, content: ByteWriter): this {
    return this.byte(id).sized(content);
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

export const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;

export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32LtU: 0x49,
  i32Add: 0x6a,
  localTee: 0x22,
  simd: 0xfd,
} as const;

/** Opcodes after the 0xfd prefix. */
export const SIMD = {
  load: 0x00,
  store: 0x0b,
  const: 0x0c,
  i8x16Popcnt: 0x62,
  i16x8ExtaddPairwiseI8x16U: 0x7d,
  i32x4ExtaddPairwiseI16x8U: 0x7f,
  i32x4Add: 0xae,
  not: 0x4d,
  and: 0x4e,
  or: 0x50,
  xor: 0x51,
} as const;

export const TYPE = { i32: 0x7f, v128: 0x7b, func: 0x60, blockVoid: 0x40 } as const;
