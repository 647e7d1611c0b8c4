/**
 * Lanes — converting between input vectors and bit-sliced words.
 *
 * Convention used throughout depthlab: for a batch of V vectors, each circuit
 * input (and output) is a Uint32Array of ceil(V/32) words, and vector v is bit
 * (v mod 32) of word floor(v/32). Bits past V in the last word are zero.
 */
import { seededRng } from '../_internals/seededRng.js';

export function wordsFor(vectors: number): number {
  return Math.ceil(vectors / 32);
}

/** Packs vectors (each one bit per input, in input order) into one lane array per input. */
export function packVectors(vectors: readonly ArrayLike<boolean | number>[], numInputs: number): Uint32Array[] {
  const words = wordsFor(vectors.length);
  const lanes = Array.from({ length: numInputs }, () => new Uint32Array(words));
  vectors.forEach((vec, v) => {
    if (vec.length !== numInputs) throw new RangeError(`vector ${v} has ${vec.length} bits, expected ${numInputs}`);
    for (let i = 0; i < numInputs; i++) if (vec[i]) lanes[i]![v >>> 5]! |= 1 << (v & 31);
  });
  return lanes;
}

/** Bit v of a lane array, as 0/1. */
export function laneBit(lane: Uint32Array, v: number): number {
  return (lane[v >>> 5]! >>> (v & 31)) & 1;
}

/** The vectors back from lane arrays: result[v][i] = bit v of lanes[i]. */
export function unpackVectors(lanes: readonly Uint32Array[], vectors: number): Uint8Array[] {
  return Array.from({ length: vectors }, (_, v) => Uint8Array.from(lanes, (lane) => laneBit(lane, v)));
}

/** Number of set bits in a 32-bit word (SWAR). */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * Uniform random input lanes: input i draws its words from its own
 * xoroshiro128+ stream (the seed's generator, see seededRng, jumped i times,
 * 2^64 steps each),
 * so the bits do not depend on how a consumer blocks or orders its reads.
 */
export class RandomLanes {
  private readonly streams: ReturnType<typeof seededRng>[] = [];

  constructor(readonly numInputs: number, seed: number) {
    const g = seededRng(seed);
    for (let i = 0; i < numInputs; i++) {
      this.streams.push(g.clone());
      g.jump();
    }
  }

  /** Fills `out` with the next `count` words of input i. */
  next(i: number, out: Uint32Array, offset: number, count: number): void {
    const g = this.streams[i]!;
    for (let w = 0; w < count; w++) out[offset + w] = g.next() >>> 0;
  }

  /** The first `vectors` random vectors as whole lane arrays. */
  static generate(numInputs: number, vectors: number, seed: number): Uint32Array[] {
    const r = new RandomLanes(numInputs, seed);
    const words = wordsFor(vectors);
    return Array.from({ length: numInputs }, (_, i) => {
      const lane = new Uint32Array(words);
      r.next(i, lane, 0, words);
      maskTail(lane, vectors);
      return lane;
    });
  }
}

/** Clears the bits past `vectors` in the last word. */
export function maskTail(lane: Uint32Array, vectors: number): void {
  const rem = vectors & 31;
  if (rem !== 0 && lane.length > vectors >>> 5) lane[vectors >>> 5]! &= (1 << rem) - 1;
}
