/**
 * WasmKernel — a just-in-time compiler from BitProgram to WebAssembly SIMD.
 *
 * Each operation becomes straight-line code on 128-bit vectors (4 words, 128
 * lanes): `v128.load` its arguments, `v128.and|or|xor` them, optionally
 * `v128.not`, `v128.store` the result. Slot s of the block lives at byte
 * offset s·blockBytes, and that constant goes into the load/store's memarg
 * offset, so the only address arithmetic is the loop counter. The loop runs
 * over the block's vectors with the whole program as its body ("lane-major"),
 * so a block touches one vector per slot per iteration: the block's working
 * set is numSlots × blockBytes, sized by the evaluator to fit in L2.
 *
 * Single-use intermediates are fused into their consumer's expression
 * (BitProgram's `fuse`), so e.g. a MAJ-3 costs one store instead of four.
 * When asked to count, each computed output's vector is also popcounted
 * (i8x16.popcnt, then pairwise widening adds) into an i32x4 counter in memory
 * while it is still in a register, so counting ones costs no second pass.
 * The program is cut into functions of at most CHUNK_OPS stores (V8's
 * optimising tier compiles very large functions slowly).
 */
import type { BitKernel } from './BitKernel.js';
import { type BitProgram, OP_NEGATE } from './BitProgram.js';
import { ByteWriter, OP, SECTION, SIMD, TYPE, WASM_HEADER } from '../_internals/wasmEncoding.js';

const CHUNK_OPS = 4096;
const PAGE_BYTES = 65536;
/** memarg alignment for v128 accesses: log2(16). */
const ALIGN_16 = 4;
/**
 * Words per loop step: one v128. Unrolling over a whole cache line per slot
 * (2 or 4 vectors per step) was measured slower on circuit-eval: the program
 * is then 2–4× larger and no longer fits the cache next to its data.
 */
export const QUANTUM_WORDS = 4;
const COMBINE = [SIMD.and, SIMD.or, SIMD.xor] as const;


let simdSupport: boolean | undefined;

/** Whether this runtime validates WebAssembly SIMD (Node ≥ 16.4 does). */
export function wasmSimdAvailable(): boolean {
  if (simdSupport === undefined) {
    try {
      const probe = encodeModule(Int32Array.of(0, 0, 2, 0, 0), [0], 1, 16, 16);
      simdSupport = typeof WebAssembly === 'object' && WebAssembly.validate(probe);
    } catch {
      simdSupport = false;
    }
  }
  return simdSupport === true;
}

export class WasmKernel implements BitKernel {
  readonly name = 'wasm-simd' as const;
  readonly quantum = QUANTUM_WORDS;
  readonly memory: Uint32Array;
  private readonly chunks: ((bytes: number, count: number) => void)[];
  /** i32x4 counters, one per output, after the slots. */
  private readonly counters: Uint32Array;

  constructor(private readonly program: BitProgram, readonly blockWords: number) {
    if (blockWords % QUANTUM_WORDS !== 0) throw new RangeError(`WasmKernel needs blockWords divisible by ${QUANTUM_WORDS}, got ${blockWords}`);
    const blockBytes = blockWords * 4;
    const countBase = program.numSlots * blockBytes;
    const totalBytes = countBase + 16 * program.outputs.length;
    const pages = Math.max(1, Math.ceil(totalBytes / PAGE_BYTES));
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
    const bytes = encodeModule(program.ops, program.outputRecords, pages, blockBytes, countBase);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { mem: memory } });
    this.chunks = Object.values(instance.exports) as ((bytes: number, count: number) => void)[];
    this.memory = new Uint32Array(memory.buffer);
    this.counters = this.memory.subarray(countBase / 4, countBase / 4 + 4 * program.outputs.length);
  }

  run(words: number, count: boolean): void {
    if (count && words % QUANTUM_WORDS !== 0) throw new RangeError(`counting needs a multiple of ${QUANTUM_WORDS} words, got ${words}`);
    const bytes = Math.ceil(words / QUANTUM_WORDS) * 16;
    for (const f of this.chunks) f(bytes, count ? 1 : 0);
  }

  drainCounts(into: Float64Array): void {
    const c = this.counters;
    for (let o = 0; o < this.program.outputs.length; o++) {
      into[o]! += c[4 * o]! + c[4 * o + 1]! + c[4 * o + 2]! + c[4 * o + 3]!;
    }
    c.fill(0);
  }
}

/**
 * Offsets of the records that store a result (dst >= 0), in chunks of at most
 * CHUNK_OPS; fused records (dst = −1) are emitted inside their consumer.
 */
function splitOps(ops: Int32Array): number[][] {
  const chunks: number[][] = [[]];
  for (let p = 0; p < ops.length; p += 3 + ops[p + 2]!) {
    if (ops[p + 1]! < 0) continue;
    if (chunks[chunks.length - 1]!.length === CHUNK_OPS) chunks.push([]);
    chunks[chunks.length - 1]!.push(p);
  }
  return chunks;
}

/**
 * Module: imports memory `env.mem`; exports f0, f1, … (one per chunk), each
 * `(bytes: i32, count: i32) => void`, looping i = 0, 16, … < bytes.
 * Locals: 0 = bytes, 1 = count, 2 = i, 3 = the last stored vector.
 */
function encodeModule(ops: Int32Array, outputRecords: ArrayLike<number>, pages: number, blockBytes: number, countBase: number): Uint8Array {
  const counted = new Map<number, number[]>(); // record offset → outputs it computes
  for (let o = 0; o < outputRecords.length; o++) {
    const p = outputRecords[o]!;
    if (p >= 0) counted.set(p, [...(counted.get(p) ?? []), o]);
  }
  const bodies = splitOps(ops).map((c) => chunkBody(ops, c, blockBytes, counted, countBase));
  const w = new ByteWriter().bytes(WASM_HEADER);
  w.section(SECTION.type, new ByteWriter().u32(1).byte(TYPE.func).u32(2).byte(TYPE.i32).byte(TYPE.i32).u32(0));
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

const I = 2;
const LAST = 3;

/** `for (i = 0; i < bytes; i += 16) { body }`. */
function loopOverBlock(b: ByteWriter, body: () => void): void {
  b.byte(OP.i32Const).s32(0).byte(OP.localSet).u32(I);
  b.byte(OP.block).byte(TYPE.blockVoid).byte(OP.loop).byte(TYPE.blockVoid);
  b.byte(OP.localGet).u32(I).byte(OP.localGet).u32(0).byte(OP.i32GeU).byte(OP.brIf).u32(1);
  body();
  b.byte(OP.localGet).u32(I).byte(OP.i32Const).s32(16).byte(OP.i32Add).byte(OP.localSet).u32(I);
  b.byte(OP.br).u32(0).byte(OP.end).byte(OP.end);
}

function load(b: ByteWriter, offset: number): void {
  b.byte(OP.localGet).u32(I).byte(OP.simd).u32(SIMD.load).u32(ALIGN_16).u32(offset);
}

function chunkBody(ops: Int32Array, roots: readonly number[], blockBytes: number, counted: ReadonlyMap<number, number[]>, countBase: number): ByteWriter {
  const b = new ByteWriter();
  b.u32(2).u32(1).byte(TYPE.i32).u32(1).byte(TYPE.v128); // locals: i, last
  loopOverBlock(b, () => {
    for (const p of roots) {
      const outs = counted.get(p);
      b.byte(OP.localGet).u32(I); // store address
      expression(b, ops, p, blockBytes);
      if (outs !== undefined) b.byte(OP.localTee).u32(LAST);
      b.byte(OP.simd).u32(SIMD.store).u32(ALIGN_16).u32(ops[p + 1]! * blockBytes);
      if (outs === undefined) continue;
      // if (count) counters[o] += widen(popcnt(last)), counters at absolute countBase + 16·o.
      b.byte(OP.localGet).u32(1).byte(OP.if).byte(TYPE.blockVoid);
      for (const o of outs) {
        b.byte(OP.i32Const).s32(0);
        b.byte(OP.i32Const).s32(0).byte(OP.simd).u32(SIMD.load).u32(ALIGN_16).u32(countBase + 16 * o);
        b.byte(OP.localGet).u32(LAST).byte(OP.simd).u32(SIMD.i8x16Popcnt);
        b.byte(OP.simd).u32(SIMD.i16x8ExtaddPairwiseI8x16U).byte(OP.simd).u32(SIMD.i32x4ExtaddPairwiseI16x8U);
        b.byte(OP.simd).u32(SIMD.i32x4Add).byte(OP.simd).u32(SIMD.store).u32(ALIGN_16).u32(countBase + 16 * o);
      }
      b.byte(OP.end);
    }
  });
  return b.byte(OP.end);
}

/** Pushes the v128 value of the record at p: its arguments (slots or fused records), combined. */
function expression(b: ByteWriter, ops: Int32Array, p: number, blockBytes: number): void {
  const code = ops[p]!;
  const n = ops[p + 2]!;
  for (let k = 0; k < n; k++) {
    const arg = ops[p + 3 + k]!;
    if (arg >= 0) load(b, arg * blockBytes);
    else expression(b, ops, -arg - 1, blockBytes);
    if (k > 0) b.byte(OP.simd).u32(COMBINE[code & 3]!);
  }
  if (code & OP_NEGATE) b.byte(OP.simd).u32(SIMD.not);
}
