/**
 * The backbone's own seeded randomness, on the JavaScript side so that
 * initial weights and dropout masks are identical on every tfjs backend.
 *
 * A stream is xoroshiro128+ (pure-rand) started from a hashed (seed, purpose)
 * pair — murmur3's finalizer, since xoroshiro128plus(s) emits ~s first and
 * nearby seeds stay correlated. Uniforms take 53 bits from two 32-bit
 * outputs, u ∈ (0, 1); normals come from Box–Muller:
 *   z₀ = √(−2 ln u₁)·cos(2πu₂),   z₁ = √(−2 ln u₁)·sin(2πu₂).
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** A 32-bit hash of a safe-integer seed and a stream number. */
export function hashSeed(seed: number, stream: number): number {
  const lo = seed | 0;
  const hi = Math.floor(seed / 2 ** 32) | 0;
  return fmix32(fmix32(lo ^ fmix32(hi)) ^ fmix32(stream + 0x9e3779b9));
}

/** A seeded stream of uniforms and standard normals. */
export class SeededRandom {
  private readonly rng: ReturnType<typeof xoroshiro128plus>;
  private spare: number | undefined;

  constructor(seed: number, stream: number) {
    this.rng = xoroshiro128plus(hashSeed(seed, stream));
  }

  /** Uniform in (0, 1), 53 bits, never 0. */
  uniform(): number {
    const hi = (this.rng.next() >>> 5) * 67108864; // 27 bits, shifted by 2^26
    const lo = this.rng.next() >>> 6; // 26 bits
    return (hi + lo + 0.5) / 9007199254740992;
  }

  /** A standard normal draw (Box–Muller, both outputs used). */
  normal(): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /** `size` draws of N(0, std²). */
  normals(size: number, std: number): Float32Array {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = std * this.normal();
    return out;
  }
}
