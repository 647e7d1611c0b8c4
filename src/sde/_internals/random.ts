/**
 * Seeded randomness for the SDE module: xoroshiro128+ from pure-rand, started
 * from a hashed seed (xoroshiro128plus(s) emits ~s first and nearby seeds stay
 * correlated; murmur3's finalizer decorrelates them), and standard normal
 * draws by the Box–Muller transform.
 *
 * The normal stream is part of every seeded result (samplers, sweeps, tests
 * tuned to a seed), so `fill` is a faster route to exactly the same numbers as
 * repeated `next()`, not a different generator.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

export function rngFromSeed(seed: number): RandomGenerator {
  return xoroshiro128plus(fmix32((seed | 0) ^ fmix32(Math.floor(seed / 2 ** 32) | 0)));
}

/** Uniform in (0, 1), 53 bits, never 0. */
export function uniform01(rng: RandomGenerator): number {
  const hi = (rng.next() >>> 5) * 67108864; // 27 bits, shifted by 2^26
  const lo = rng.next() >>> 6; // 26 bits
  return (hi + lo + 0.5) / 9007199254740992;
}

/** 2^-53: uniform01 = (27 bits · 2^26 + 26 bits + ½) · 2^-53. */
const TWO_M53 = 1 / 9007199254740992;
const TWO_PI = 2 * Math.PI;

/**
 * A stream of standard normal draws (Box–Muller; the second value of each pair
 * is kept for the next call). `fill(out)` returns exactly what out.length calls
 * of `next()` would, pair by pair without the per-value bookkeeping.
 */
export class NormalSampler {
  /** Whether `spare` holds the unused second value of the last pair (a flag, so that the field stays a plain double). */
  private hasSpare = false;
  private spare = 0;

  constructor(private readonly rng: RandomGenerator) {}

  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(uniform01(this.rng)));
    const theta = 2 * Math.PI * uniform01(this.rng);
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }

  /** Fills `out` with independent standard normals. */
  fill(out: Float64Array): Float64Array {
    const len = out.length;
    if (len === 0) return out;
    const rng = this.rng;
    let i = 0;
    if (this.hasSpare) {
      out[0] = this.spare;
      this.hasSpare = false;
      i = 1;
    }
    // uniform01, inlined (same arithmetic, same draws, same order).
    for (; i + 1 < len; i += 2) {
      const u1 = ((rng.next() >>> 5) * 67108864 + (rng.next() >>> 6) + 0.5) * TWO_M53;
      const u2 = ((rng.next() >>> 5) * 67108864 + (rng.next() >>> 6) + 0.5) * TWO_M53;
      const r = Math.sqrt(-2 * Math.log(u1));
      const theta = TWO_PI * u2;
      out[i] = r * Math.cos(theta);
      out[i + 1] = r * Math.sin(theta);
    }
    if (i < len) out[i] = this.next();
    return out;
  }
}
