/**
 * JsKernel — the portable bit-sliced kernel: a Uint32Array and one tight loop
 * per operation over the block's words (32 lanes per word). Blocking keeps the
 * per-operation dispatch cost small against the loop body. Used where
 * WebAssembly SIMD is not available, and as the independent second
 * implementation the WASM kernel is tested against.
 */
import type { BitKernel } from './BitKernel.js';
import { type BitProgram, OP_AND, OP_NEGATE, OP_OR } from './BitProgram.js';
import { popcount32 } from './lanes.js';

export class JsKernel implements BitKernel {
  readonly name = 'js' as const;
  readonly quantum = 1;
  readonly memory: Uint32Array;
  private readonly counts: Float64Array;

  constructor(private readonly program: BitProgram, readonly blockWords: number) {
    this.memory = new Uint32Array(program.numSlots * blockWords);
    this.counts = new Float64Array(program.outputs.length);
  }

  run(words: number, count: boolean): void {
    this.evaluate(words);
    if (count) this.count(words);
  }

  drainCounts(into: Float64Array): void {
    this.counts.forEach((c, o) => (into[o]! += c));
    this.counts.fill(0);
  }

  private evaluate(words: number): void {
    const m = this.memory;
    const ops = this.program.ops;
    const B = this.blockWords;
    for (let p = 0; p < ops.length; ) {
      const code = ops[p]!;
      const d = ops[p + 1]! * B;
      const n = ops[p + 2]!;
      const args = p + 3;
      p = args + n;
      const a0 = ops[args]! * B;
      const kind = code & 3;
      if (n === 1) {
        for (let w = 0; w < words; w++) m[d + w] = m[a0 + w]!;
      } else {
        const a1 = ops[args + 1]! * B;
        if (kind === OP_AND) for (let w = 0; w < words; w++) m[d + w] = m[a0 + w]! & m[a1 + w]!;
        else if (kind === OP_OR) for (let w = 0; w < words; w++) m[d + w] = m[a0 + w]! | m[a1 + w]!;
        else for (let w = 0; w < words; w++) m[d + w] = m[a0 + w]! ^ m[a1 + w]!;
        // dst never aliases an argument (see BitProgram), so accumulate in place.
        for (let k = 2; k < n; k++) {
          const a = ops[args + k]! * B;
          if (kind === OP_AND) for (let w = 0; w < words; w++) m[d + w] = m[d + w]! & m[a + w]!;
          else if (kind === OP_OR) for (let w = 0; w < words; w++) m[d + w] = m[d + w]! | m[a + w]!;
          else for (let w = 0; w < words; w++) m[d + w] = m[d + w]! ^ m[a + w]!;
        }
      }
      if (code & OP_NEGATE) for (let w = 0; w < words; w++) m[d + w] = ~m[d + w]!;
    }
  }

  private count(words: number): void {
    const m = this.memory;
    this.program.outputs.forEach((slot, o) => {
      if (this.program.outputRecords[o]! < 0) return;
      let c = 0;
      for (let w = slot * this.blockWords, end = w + words; w < end; w++) c += popcount32(m[w]!);
      this.counts[o]! += c;
    });
  }
}
