/**
 * BitslicedEvaluator — evaluates a circuit on many input vectors at once,
 * 32 per machine word (128 per SIMD vector), block by block.
 *
 *   const ev = BitslicedEvaluator.compile(circuit);        // lower + JIT once
 *   const outs = ev.run(inputLanes, vectors);             // one lane array per output
 *   const ones = ev.countOnesRandom(1 << 20, seed);       // stream random inputs, count ones
 *
 * The circuit is lowered once to a BitProgram (see BitProgram.ts); a block of
 * `blockWords` words per slot is sized so that all live slots fit in cache, and
 * the program runs gate after gate over the block. Lane layout: lanes.ts.
 */
import type { Circuit } from '../Circuit.js';
import { CircuitError } from '../CircuitError.js';
import { ONE } from './BitBuilder.js';
import { type BitKernel, chooseBlockWords, type KernelName } from './BitKernel.js';
import { type BitProgram, lowerCircuit } from './BitProgram.js';
import { JsKernel } from './JsKernel.js';
import { maskTail, packVectors, popcount32, RandomLanes, unpackVectors, wordsFor } from './lanes.js';
import { QUANTUM_WORDS, WasmKernel, wasmSimdAvailable } from './WasmKernel.js';

export type BitslicedBackend = 'auto' | KernelName;

export interface BitslicedOptions {
  /** 'auto' (default) takes WebAssembly SIMD when the runtime has it, else plain JS. */
  readonly backend?: BitslicedBackend;
  /** Bytes of cache a block's live slots may fill (default 256 KiB, an L2 share). */
  readonly cacheBytes?: number;
  /** Force the words per block (a multiple of 4); default chosen from cacheBytes. */
  readonly blockWords?: number;
}

const DEFAULT_CACHE_BYTES = 256 * 1024;

export class BitslicedEvaluator {
  private constructor(
    readonly circuit: Circuit,
    readonly program: BitProgram,
    private readonly kernel: BitKernel,
  ) {}

  static compile(circuit: Circuit, options: BitslicedOptions = {}): BitslicedEvaluator {
    const backend = options.backend ?? 'auto';
    const useWasm = backend === 'wasm-simd' || (backend === 'auto' && wasmSimdAvailable());
    const program = lowerCircuit(circuit, { fuse: useWasm });
    if (backend === 'wasm-simd' && !wasmSimdAvailable()) {
      throw new Error('backend "wasm-simd" is not available in this runtime (WebAssembly SIMD missing); use backend "js" or "auto"');
    }
    const quantum = useWasm ? QUANTUM_WORDS : 4;
    const blockWords = options.blockWords ?? chooseBlockWords(program.numSlots, Infinity, options.cacheBytes ?? DEFAULT_CACHE_BYTES, useWasm ? quantum : 64, 4096);
    if (!Number.isSafeInteger(blockWords) || blockWords < quantum || blockWords % quantum !== 0) {
      throw new RangeError(`blockWords must be a positive multiple of ${quantum} for the ${useWasm ? 'wasm-simd' : 'js'} kernel, got ${blockWords}`);
    }
    const kernel = useWasm ? new WasmKernel(program, blockWords) : new JsKernel(program, blockWords);
    return new BitslicedEvaluator(circuit, program, kernel);
  }

  get backend(): KernelName {
    return this.kernel.name;
  }

  get blockWords(): number {
    return this.kernel.blockWords;
  }

  /** Output lanes for `vectors` input vectors given as input lanes (lanes.ts layout). */
  run(inputs: readonly Uint32Array[], vectors: number): Uint32Array[] {
    this.checkInputs(inputs, vectors);
    const words = wordsFor(vectors);
    const outs = this.circuit.outputs.map(() => new Uint32Array(words));
    this.blocks(words, (start, count) => this.load(inputs, start, count), (start, count) => {
      this.kernel.run(count, false);
      this.program.outputs.forEach((slot, o) => {
        const out = outs[o]!;
        if (slot >= 0) out.set(this.slotWords(slot, count), start);
        else out.fill(slot === ONE ? 0xffffffff : 0, start, start + count);
      });
    });
    for (const out of outs) maskTail(out, vectors);
    return outs;
  }

  /** Number of vectors on which each output is 1, for the given input lanes. */
  countOnes(inputs: readonly Uint32Array[], vectors: number): number[] {
    this.checkInputs(inputs, vectors);
    return this.count(vectors, (start, count) => this.load(inputs, start, count));
  }

  /**
   * Number of ones per output over `vectors` uniform random vectors
   * (RandomLanes(seed)), streamed block by block without materialising them.
   * `onProgress` is called after each block with the vectors done so far.
   */
  countOnesRandom(vectors: number, seed: number, onProgress?: (done: number) => void): number[] {
    const random = new RandomLanes(this.program.numInputs, seed);
    const B = this.kernel.blockWords;
    return this.count(vectors, (start, count) => {
      if (onProgress !== undefined && start > 0) onProgress(Math.min(start * 32, vectors));
      for (let i = 0; i < this.program.numInputs; i++) random.next(i, this.kernel.memory, i * B, count);
    });
  }

  /** Convenience: outputs (0/1 per output) for each of a list of vectors. */
  evaluateVectors(vectors: readonly ArrayLike<boolean | number>[]): Uint8Array[] {
    const inputs = packVectors(vectors, this.program.numInputs);
    return unpackVectors(this.run(inputs, vectors.length), vectors.length);
  }

  private count(vectors: number, fill: (start: number, count: number) => void): number[] {
    const words = wordsFor(vectors);
    const ones = new Float64Array(this.circuit.outputs.length);
    const tailMask = vectors % 32 === 0 ? 0xffffffff : (1 << (vectors % 32)) - 1;
    const { outputs, outputRecords } = this.program;
    let sinceDrain = 0;
    this.blocks(words, fill, (start, count) => {
      // The kernel counts computed outputs over whole blocks; the last block
      // (ragged, with a partial last word) and outputs that are inputs or
      // constants are counted here.
      const ragged = start + count === words && (count % this.kernel.quantum !== 0 || tailMask !== 0xffffffff);
      const inKernel = !ragged;
      this.kernel.run(count, inKernel);
      if (inKernel && (sinceDrain += count) >= 1 << 26) {
        this.kernel.drainCounts(ones); // each i32 lane gains <= 8 per word: drain long before 2^32
        sinceDrain = 0;
      }
      outputs.forEach((slot, o) => {
        if (inKernel && outputRecords[o]! >= 0) return;
        if (slot < 0) {
          if (slot === ONE) ones[o]! += Math.min(count * 32, vectors - start * 32);
          return;
        }
        const w = this.slotWords(slot, count);
        let c = 0;
        for (let k = 0; k < count; k++) c += popcount32(start + k === words - 1 ? w[k]! & tailMask : w[k]!);
        ones[o]! += c;
      });
    });
    this.kernel.drainCounts(ones);
    return Array.from(ones);
  }

  /** Fills each block, then hands it to `use` (which runs the kernel). */
  private blocks(words: number, fill: (start: number, count: number) => void, use: (start: number, count: number) => void): void {
    const B = this.kernel.blockWords;
    for (let start = 0; start < words; start += B) {
      const count = Math.min(B, words - start);
      fill(start, count);
      use(start, count);
    }
  }

  private load(inputs: readonly Uint32Array[], start: number, count: number): void {
    const B = this.kernel.blockWords;
    inputs.forEach((lane, i) => this.kernel.memory.set(lane.subarray(start, start + count), i * B));
  }

  private slotWords(slot: number, count: number): Uint32Array {
    const B = this.kernel.blockWords;
    return this.kernel.memory.subarray(slot * B, slot * B + count);
  }

  private checkInputs(inputs: readonly Uint32Array[], vectors: number): void {
    if (!Number.isSafeInteger(vectors) || vectors < 0) throw new CircuitError('width', `vectors must be a non-negative integer, got ${vectors}`, 'vectors');
    if (inputs.length !== this.program.numInputs) {
      throw new CircuitError('width', `got ${inputs.length} input lanes but the circuit has ${this.program.numInputs} inputs; give one lane array per input`, 'inputs');
    }
    const words = wordsFor(vectors);
    inputs.forEach((lane, i) => {
      if (lane.length < words) throw new CircuitError('width', `input lane ${i} has ${lane.length} words but ${vectors} vectors need ${words}`, 'inputs');
    });
  }
}
