/**
 * BitKernel — what executes a BitProgram on one block of words.
 *
 * Memory layout, shared by all kernels: slot s occupies words
 * [s·blockWords, (s+1)·blockWords) of `memory`; word w of a slot holds lanes
 * 32w … 32w+31 (one input vector per bit). The evaluator copies the inputs into
 * slots 0 … numInputs−1, calls `run(words)`, then reads the output slots.
 */
export type KernelName = 'wasm-simd' | 'js';

export interface BitKernel {
  readonly name: KernelName;
  readonly blockWords: number;
  /** Block sizes and counted word ranges are multiples of this many words. */
  readonly quantum: number;
  /** Live view of the kernel's memory (slot-major, see above). */
  readonly memory: Uint32Array;
  /**
   * Evaluates the program on words [0, words) of every slot. With `count`
   * (words then a multiple of 4), also adds the set bits of every computed
   * output over those words to the kernel's internal counters.
   */
  run(words: number, count: boolean): void;
  /** Adds the counters to `into[o]` and zeroes them (outputs that are inputs or constants are not counted). */
  drainCounts(into: Float64Array): void;
}

/** Largest power of two ≤ x (x ≥ 1). */
function floorPow2(x: number): number {
  return 2 ** Math.floor(Math.log2(Math.max(1, x)));
}

/**
 * Words per block: as many as fit `cacheBytes` for all slots at once (so a
 * block's working set stays in cache), clamped to [min, max], and no more
 * than the words the caller will actually evaluate.
 */
export function chooseBlockWords(numSlots: number, totalWords: number, cacheBytes: number, min: number, max: number): number {
  const fit = floorPow2(cacheBytes / (4 * numSlots));
  const need = Math.max(min, 2 ** Math.ceil(Math.log2(Math.max(1, totalWords))));
  return Math.max(min, Math.min(fit, max, need));
}
