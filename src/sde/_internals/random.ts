/**
 * Seeded randomness for the SDE module: xoroshiro128+ from pure-rand, started
 * from a hashed seed (xoroshiro128plus(s) emits ~s first and nearby seeds stay
 * correlated; murmur3's finalizer decorrelates them), and standard normal
 * draws by a 256-layer ziggurat (Marsaglia & Tsang 2000, "The Ziggurat Method
 * for Generating Random Variables", J. Stat. Softw. 5(8)).
 *
 * The ziggurat covers the half-density f(x) = exp(−x²/2), x ≥ 0, with 256
 * horizontal layers of equal area V: layer 0 is the base strip [0, R]×[0, f(R)]
 * plus the tail beyond R, layer i ≥ 1 the rectangle [0, x_i]×[f(x_i), f(x_{i+1})].
 * A draw picks a layer and a sign uniformly and a point z = u·x_i uniformly
 * along the layer's width; z < x_{i+1} lies under f for sure (≈ 99% of draws,
 * no transcendental function), otherwise the wedge is tested against f(z), or
 * for layer 0 a tail draw (Marsaglia 1964) is made. Every draw takes two 32-bit
 * outputs a, b: the top 8 bits of a choose the layer, the next one the sign,
 * and u takes the top 23 bits of b and the low 23 of a — separate bits,
 * because reusing the layer bits in u correlates the two (Doornik 2005, "An
 * Improved Ziggurat Method to Generate Normal Random Samples"), and the
 * layer comes from high bits, as the lowest bits of xoroshiro128+ are its
 * weakest.
 *
 * The normal stream is part of every seeded result (samplers, sweeps, tests):
 * `next()` and `fill()` read the same stream, and `NormalSampler.fromSeed(s)`
 * gives exactly the draws of `new NormalSampler(rngFromSeed(s))` — it owns the
 * xoroshiro128+ state and steps it on local variables inside `fill` instead of
 * calling the generator object per 32-bit output (the hot path of the
 * samplers).
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function hashSeed(seed: number): number {
  return fmix32((seed | 0) ^ fmix32(Math.floor(seed / 2 ** 32) | 0));
}

export function rngFromSeed(seed: number): RandomGenerator {
  return xoroshiro128plus(hashSeed(seed));
}

/** Uniform in (0, 1), 53 bits, never 0. */
export function uniform01(rng: RandomGenerator): number {
  const hi = (rng.next() >>> 5) * 67108864; // 27 bits, shifted by 2^26
  const lo = rng.next() >>> 6; // 26 bits
  return (hi + lo + 0.5) / 9007199254740992;
}

// ---------------------------------------------------------------- ziggurat tables

/** Right edge of the base strip for 256 layers (Marsaglia & Tsang 2000). */
const ZIG_R = 3.6541528853610088;
/** Area of each layer: R·f(R) + ∫_R^∞ f. */
const ZIG_V = 4.92867323399e-3;
const ZIG_LAYERS = 256;
/** x_i, the layer widths (x_0 = V/f(R), the base strip's pseudo-width; x_1 = R; x_256 = 0). */
const ZIG_X = new Float64Array(ZIG_LAYERS + 1);
/** x_{i+1}/x_i: u below this is accepted at once. */
const ZIG_RATIO = new Float64Array(ZIG_LAYERS);
/** f(x_i) = exp(−x_i²/2). */
const ZIG_F = new Float64Array(ZIG_LAYERS + 1);
{
  const fR = Math.exp(-0.5 * ZIG_R * ZIG_R);
  ZIG_X[0] = ZIG_V / fR;
  ZIG_X[1] = ZIG_R;
  for (let i = 1; i < ZIG_LAYERS - 1; i++) {
    const xi = ZIG_X[i]!;
    ZIG_X[i + 1] = Math.sqrt(-2 * Math.log(ZIG_V / xi + Math.exp(-0.5 * xi * xi)));
  }
  ZIG_X[ZIG_LAYERS] = 0;
  for (let i = 0; i <= ZIG_LAYERS; i++) ZIG_F[i] = Math.exp(-0.5 * ZIG_X[i]! * ZIG_X[i]!);
  ZIG_F[0] = 0; // the base strip's "lower edge" (only layers ≥ 1 use a wedge)
  for (let i = 0; i < ZIG_LAYERS; i++) ZIG_RATIO[i] = ZIG_X[i + 1]! / ZIG_X[i]!;
}

/** 2^-46: the position u = (23 bits · 2^23 + 23 bits) · 2^-46 ∈ [0, 1). */
const TWO_M46 = 2 ** -46;
const TWO_23 = 2 ** 23;
/** 2^-53: uniform01 = (27 bits · 2^26 + 26 bits + ½) · 2^-53. */
const TWO_M53 = 2 ** -53;

/** Marks, in the constructor, a sampler that owns its state (see fromSeed); never drawn from. */
const OWNED: RandomGenerator = xoroshiro128plus(0);

/**
 * A stream of standard normal draws (ziggurat). `next()` and `fill()` draw
 * from the same stream: filling k values consumes exactly what k calls of
 * `next()` would.
 */
export class NormalSampler {
  /** The generator read per output, or null when this sampler owns its xoroshiro128+ state (the s fields). */
  private readonly rng: RandomGenerator | null;
  // xoroshiro128+ state, pure-rand's layout (s0 = s01:s00, s1 = s11:s10; low words s00, s10).
  private s01 = 0;
  private s00 = 0;
  private s11 = 0;
  private s10 = 0;

  /** Draws through `rng` (which stays shared with the caller: every 32-bit output is taken from it in turn). */
  constructor(rng: RandomGenerator) {
    this.rng = rng === OWNED ? null : rng;
  }

  /** The same stream as `new NormalSampler(rngFromSeed(seed))`, with the generator state owned (faster `fill`). */
  static fromSeed(seed: number): NormalSampler {
    const s = new NormalSampler(OWNED);
    // pure-rand: xoroshiro128plus(seed) = state (−1, ~seed, seed | 0, 0).
    const h = hashSeed(seed);
    s.s01 = -1;
    s.s00 = ~h;
    s.s11 = h | 0;
    s.s10 = 0;
    return s;
  }

  /** The next 32-bit output (signed int32, as pure-rand's next()). */
  private u32(): number {
    const rng = this.rng;
    if (rng !== null) return rng.next();
    const s00 = this.s00, s01 = this.s01;
    const out = (s00 + this.s10) | 0;
    const a0 = this.s10 ^ s00;
    const a1 = this.s11 ^ s01;
    this.s00 = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
    this.s01 = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
    this.s10 = (a1 << 5) ^ (a0 >>> 27);
    this.s11 = (a0 << 5) ^ (a1 >>> 27);
    return out;
  }

  private uniform(): number {
    const hi = (this.u32() >>> 5) * 67108864;
    const lo = this.u32() >>> 6;
    return (hi + lo + 0.5) * TWO_M53;
  }

  next(): number {
    const a = this.u32();
    const b = this.u32();
    const i = a >>> 24;
    const u = ((b >>> 9) * TWO_23 + (a & 0x7fffff)) * TWO_M46;
    if (u < ZIG_RATIO[i]!) {
      const z = u * ZIG_X[i]!;
      return (a & 0x800000) === 0 ? z : -z;
    }
    return this.slow(a, u);
  }

  /** Fills `out` with independent standard normals. */
  fill(out: Float64Array): Float64Array {
    const len = out.length;
    const X = ZIG_X;
    const Q = ZIG_RATIO;
    const rng = this.rng;
    if (rng !== null) {
      for (let k = 0; k < len; k++) {
        const a = rng.next();
        const b = rng.next();
        const i = a >>> 24;
        const u = ((b >>> 9) * TWO_23 + (a & 0x7fffff)) * TWO_M46;
        if (u < Q[i]!) {
          const z = u * X[i]!;
          out[k] = (a & 0x800000) === 0 ? z : -z;
        } else {
          out[k] = this.slow(a, u);
        }
      }
      return out;
    }
    // Owned state: xoroshiro128+ (pure-rand's next(), twice) on locals.
    let s00 = this.s00, s01 = this.s01, s10 = this.s10, s11 = this.s11;
    for (let k = 0; k < len; k++) {
      const a = (s00 + s10) | 0;
      let a0 = s10 ^ s00;
      let a1 = s11 ^ s01;
      const t00 = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
      const t01 = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27);
      s11 = (a0 << 5) ^ (a1 >>> 27);
      const b = (t00 + s10) | 0;
      a0 = s10 ^ t00;
      a1 = s11 ^ t01;
      s00 = (t00 << 24) ^ (t01 >>> 8) ^ a0 ^ (a0 << 16);
      s01 = (t01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27);
      s11 = (a0 << 5) ^ (a1 >>> 27);
      const i = a >>> 24;
      const u = ((b >>> 9) * TWO_23 + (a & 0x7fffff)) * TWO_M46;
      if (u < Q[i]!) {
        // The sign without a branch (it is a coin flip, which a branch predictor cannot learn): bit 23 → ±1.
        out[k] = u * X[i]! * (1 - ((a >>> 22) & 2));
      } else {
        this.s00 = s00; this.s01 = s01; this.s10 = s10; this.s11 = s11;
        out[k] = this.slow(a, u);
        s00 = this.s00; s01 = this.s01; s10 = this.s10; s11 = this.s11;
      }
    }
    this.s00 = s00; this.s01 = s01; this.s10 = s10; this.s11 = s11;
    return out;
  }

  /** The rare paths: the tail (layer 0) or a wedge test; a rejected wedge point restarts with a fresh draw. */
  private slow(a: number, u: number): number {
    const i = a >>> 24;
    const negative = (a & 0x800000) !== 0;
    if (i === 0) {
      // Tail beyond R (Marsaglia 1964): R + e₁ with e₁ = −log(u₁)/R, accepted when 2e₂ > e₁², e₂ = −log(u₂).
      let e1: number;
      let e2: number;
      do {
        e1 = -Math.log(this.uniform()) / ZIG_R;
        e2 = -Math.log(this.uniform());
      } while (2 * e2 <= e1 * e1);
      return negative ? -(ZIG_R + e1) : ZIG_R + e1;
    }
    const z = u * ZIG_X[i]!;
    const f0 = ZIG_F[i]!;
    const f1 = ZIG_F[i + 1]!;
    if (f0 + this.uniform() * (f1 - f0) < Math.exp(-0.5 * z * z)) return negative ? -z : z;
    return this.next();
  }
}
