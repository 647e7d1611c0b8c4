/**
 * Seeds of the DSM training streams of learnedScore.ts: one independent 32-bit
 * seed per (seed, purpose, step), purpose one of the salts below, by
 * murmur3's finalizer (fmix32) over the mixed inputs.
 */

export const SALT_INIT = 1;
export const SALT_TIME = 2;
export const SALT_NOISE = 3;
export const SALT_P0 = 4;

/** A 32-bit seed from (seed, salt, index), by murmur3's finalizer: one independent stream per purpose and step. */
export function deriveSeed(seed: number, salt: number, index: number): number {
  let h = Math.imul((seed | 0) ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  h ^= Math.floor(seed / 2 ** 32) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) ^ Math.imul(index | 0, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
