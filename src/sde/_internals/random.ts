/**
 * Seeded randomness for the SDE module: xoroshiro128+ from pure-rand, started
 * from a hashed seed (xoroshiro128plus(s) emits ~s first and nearby seeds stay
 * correlated; murmur3's finalizer decorrelates them), and standard normal
 * draws by the Box–Muller transform.
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

/** A stream of standard normal draws (Box–Muller; the second value of each pair is kept for the next call). */
export class NormalSampler {
  private spare: number | undefined;

  constructor(private readonly rng: RandomGenerator) {}

  next(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(uniform01(this.rng)));
    const theta = 2 * Math.PI * uniform01(this.rng);
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** Fills `out` with independent standard normals. */
  fill(out: Float64Array): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.next();
    return out;
  }
}
