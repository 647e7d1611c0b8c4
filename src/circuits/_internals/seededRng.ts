/**
 * depthlab's seeded generator: xoroshiro128+ (pure-rand, fast-check's own)
 * started from a *hashed* seed. xoroshiro128plus(s) starts from the state
 * (−1, ~s, s, 0), so its first output is ~s and, the generator being
 * GF(2)-linear, nearby seeds stay correlated for many draws (the first of four
 * kinds drawn would be a function of s mod 4). murmur3's 32-bit finalizer, an
 * avalanching bijection, is applied to both 32-bit halves of the seed first.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** murmur3's 32-bit finalizer. */
export function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

export function seededRng(seed: number): ReturnType<typeof xoroshiro128plus> {
  return xoroshiro128plus(fmix32((seed | 0) ^ fmix32(Math.floor(seed / 2 ** 32) | 0)));
}
