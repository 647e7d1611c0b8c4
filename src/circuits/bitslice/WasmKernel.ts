/**
 * WasmKernel — a just-in-time compiler from BitProgram to WebAssembly SIMD.
 *
 * Each operation becomes straight-line code on 128-bit vectors (4 words, 128
 * lanes): `v128.load` its arguments, `v128.and|or|xor` them, optionally
 * `v128.not`, `v128.store` the result. Slot s of the block lives at byte
 * offset s·blockBytes, and that constant goes into the load/store's memarg
 * offset, so the only address arithmetic is the loop counter. The program is
 * cut into functions of at most CHUNK_OPS operations (big functions compile
 * slowly in V8's optimising tier); each loops over the block's vectors.
 */
import type { BitKernel } from './BitKernel.js';
import { type BitProgram, OP_AND, OP_NEGATE } from './BitProgram.js';
import { ByteWriter, OP, SECTION, SIMD, TYPE, WASM_HEADER } from '../_internals/wasmEncoding.js';

const CHUNK_OPS = Number(process.env.CHUNK_OPS ?? 4096);
const LAYOUT = process.env.LAYOUT ?? 'lane-major';
const UNROLL = Number(process.env.UNROLL ?? 4);
const PAGE_BYTES = 65536;
/** memarg alignment for v128 accesses: log2(16). */
const ALIGN_16 = 4;

let simdSupport: boolean | undefined;

/** Whether this runtime validates WebAssembly SIMD (Node ≥ 16.4 does). */
export function wasmSimdAvailable(): boolean {
  if (simdSupport === undefined) {
    try {
      simdSupport = typeof WebAssembly === 'object' && WebAssembly.validate(encodeModule([], 1, 16, [{ code: OP_AND, dst: 0, args: [0, 0] }]));
    } catch {
      simdSupport = false;
    }
  }
  return simdSupport === true;
}

export class WasmKernel implements BitKernel {
  readonly name = 'wasm-simd' as const;
  readonly memory: Uint32Array;
  private readonly chunks: ((bytes: number) => void)[];

  constructor(program: BitProgram, readonly blockWords: number) {
    if (blockWords % 4 !== 0) throw new RangeError(`WasmKernel needs blockWords divisible by 4, got ${blockWords}`);
    const blockBytes = blockWords * 4;
    const pages = Math.max(1, Math.ceil((program.numSlots * blockBytes) / PAGE_BYTES));
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const bytes = encodeModule(splitOps(program.ops), pages, blockBytes);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } });
    this.chunks = Object.values(instance.exports) as ((bytes: number) => void)[];
    this.memory = new Uint32Array(memory.buffer);
  }

  run(words: number): void {
    const q = LAYOUT === 'op-major' ? 16 * UNROLL : 16; const bytes = Math.ceil((words * 4) / q) * q;
    for (const f of this.chunks) f(bytes);
  }
}

/** Cuts the encoded op stream into chunks of at most CHUNK_OPS records. */
function splitOps(ops: Int32Array): Int32Array[] {
  const chunks: Int32Array[] = [];
  let start = 0;
  let count = 0;
  for (let p = 0; p < ops.length; ) {
    p += 3 + ops[p + 2]!;
    if (++count === CHUNK_OPS || p === ops.length) {
      chunks.push(ops.subarray(start, p));
      start = p;
      count = 0;
    }
  }
  return chunks.length > 0 ? chunks : [new Int32Array(0)];
}

/**
 * Module: imports memory `env.mem`; exports one function per chunk,
 * `(bytes: i32) => void`, which runs its ops for i = 0, 16, … < bytes.
 * `probe` replaces the chunks by literal ops (used for feature detection).
 */
function encodeModule(chunks: readonly Int32Array[], pages: number, blockBytes: number, probe?: { code: number; dst: number; args: number[] }[]): Uint8Array {
  const bodies = probe === undefined ? chunks.map((c) => chunkBody(c, blockBytes)) : [chunkBodyFromList(probe, blockBytes)];
  const w = new ByteWriter().bytes(WASM_HEADER);
  w.section(SECTION.type, new ByteWriter().u32(1).byte(TYPE.func).u32(1).byte(TYPE.i32).u32(0));
  w.section(SECTION.import, new ByteWriter().u32(1).name('env').name('mem').byte(0x02).byte(0x01).u32(pages).u32(pages));
  const fns = new ByteWriter().u32(bodies.length);
  for (let i = 0; i < bodies.length; i++) fns.u32(0);
  w.section(SECTION.function, fns);
  const exps = new ByteWriter().u32(bodies.length);
  bodies.forEach((_, i) => exps.name(`f${i}`).byte(0x00).u32(i));
  w.section(SECTION.export, exps);
  const code = new ByteWriter().u32(bodies.length);
  for (const body of bodies) code.sized(body);
  w.section(SECTION.code, code);
  return w.view().slice();
}

function chunkBody(ops: Int32Array, blockBytes: number): ByteWriter {
  const list: { code: number; dst: number; args: number[] }[] = [];
  for (let p = 0; p < ops.length; ) {
    const n = ops[p + 2]!;
    list.push({ code: ops[p]!, dst: ops[p + 1]!, args: Array.from(ops.subarray(p + 3, p + 3 + n)) });
    p += 3 + n;
  }
  return chunkBodyFromList(list, blockBytes);
}

/** Local 0 = bytes (param), local 1 = i. */
function chunkBodyFromList(list: readonly { code: number; dst: number; args: number[] }[], blockBytes: number): ByteWriter {
  const b = new ByteWriter();
  b.u32(1).u32(1).byte(TYPE.i32); // one local group: 1 × i32
  const combine = [SIMD.and, SIMD.or, SIMD.xor];
  if (LAYOUT === 'op-major') {
    for (const op of list) {
      b.byte(OP.i32Const).s32(0).byte(OP.localSet).u32(1);
      b.byte(OP.loop).byte(TYPE.blockVoid);
      for (let u = 0; u < UNROLL; u++) {
        b.byte(OP.localGet).u32(1); // store address
        op.args.forEach((slot, k) => {
          b.byte(OP.localGet).u32(1).byte(OP.simd).u32(SIMD.load).u32(ALIGN_16).u32(slot * blockBytes + 16 * u);
          if (k > 0) b.byte(OP.simd).u32(combine[op.code & 3]!);
        });
        if (op.code & OP_NEGATE) b.byte(OP.simd).u32(SIMD.not);
        b.byte(OP.simd).u32(SIMD.store).u32(ALIGN_16).u32(op.dst * blockBytes + 16 * u);
      }
      b.byte(OP.localGet).u32(1).byte(OP.i32Const).s32(16 * UNROLL).byte(OP.i32Add).byte(0x22).u32(1);
      b.byte(OP.localGet).u32(0).byte(0x49).byte(OP.brIf).u32(0).byte(OP.end);
    }
    b.byte(OP.end);
    return b;
  }
  b.byte(OP.block).byte(TYPE.blockVoid).byte(OP.loop).byte(TYPE.blockVoid);
  b.byte(OP.localGet).u32(1).byte(OP.localGet).u32(0).byte(OP.i32GeU).byte(OP.brIf).u32(1);
  for (const op of list) {
    b.byte(OP.localGet).u32(1); // store address
    op.args.forEach((slot, k) => {
      b.byte(OP.localGet).u32(1).byte(OP.simd).u32(SIMD.load).u32(ALIGN_16).u32(slot * blockBytes);
      if (k > 0) b.byte(OP.simd).u32(combine[op.code & 3]!);
    });
    if (op.code & OP_NEGATE) b.byte(OP.simd).u32(SIMD.not);
    b.byte(OP.simd).u32(SIMD.store).u32(ALIGN_16).u32(op.dst * blockBytes);
  }
  b.byte(OP.localGet).u32(1).byte(OP.i32Const).s32(16).byte(OP.i32Add).byte(OP.localSet).u32(1);
  b.byte(OP.br).u32(0).byte(OP.end).byte(OP.end).byte(OP.end);
  return b;
}
