/**
 * The combinatorics behind the MDLM NELBO estimators (mdlmElbo.ts header):
 * K contiguous near-equal strata of the mask counts {1..n}, a count
 * k ∈ S_j drawn with probability k·W_k / C_j, a uniform k-subset of the free
 * positions (partial Fisher–Yates), and the binomials C(n, k).
 */
import type { SeededRandom } from '../../backbone/index.js';

/** Starts of K contiguous near-equal strata of {1..n}, with n + 1 appended. */
export function strataStarts(n: number, K: number): number[] {
  return Array.from({ length: K + 1 }, (_, j) => 1 + Math.floor((j * n) / K));
}

/** k ∈ [lo, hi) with probability k·W_k / c (inverse CDF at u ∈ (0, 1)). */
export function drawCount(w: Float64Array, lo: number, hi: number, c: number, u: number): number {
  let acc = 0;
  for (let k = lo; k < hi; k++) {
    acc += k * w[k]!;
    if (u * c < acc) return k;
  }
  return hi - 1;
}

/** A uniform k-subset of the positions [given, length), by partial Fisher–Yates. */
export function randomSubset(length: number, given: number, k: number, random: SeededRandom): number[] {
  const pool = Array.from({ length: length - given }, (_, i) => given + i);
  for (let a = 0; a < k; a++) {
    const b = a + Math.floor(random.uniform() * (pool.length - a));
    [pool[a], pool[b]] = [pool[b]!, pool[a]!];
  }
  return pool.slice(0, k);
}

/** C(n, k) for k = 0..n. */
export function binomials(n: number): Float64Array {
  const c = new Float64Array(n + 1);
  c[0] = 1;
  for (let k = 1; k <= n; k++) c[k] = (c[k - 1]! * (n - k + 1)) / k;
  return c;
}
