/**
 * Small descriptive statistics shared by the analysis: the mean, two
 * percentile rules, and ordinary least squares on (x, y) points.
 *
 *   mean            x̄ = x₁ + (1/n) Σ (xᵢ − x₁)  (= (1/n) Σ xᵢ, computed from the
 *                   first value so that n equal values average to exactly that value)
 *   quantileLinear  for sorted x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ and p ∈ [0, 1]: h = (n − 1)p,
 *                   Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)  (Hyndman–Fan type 7,
 *                   numpy's default) — for continuous statistics (means)
 *   nearestRank     Q(p) = x₍⌈pn⌉−1₎, index clamped to [0, n − 1]  (type 1, the
 *                   inverse empirical CDF) — for discrete statistics (depths),
 *                   so an interval's ends are values that occurred
 *   linearFit       y ≈ a + b·x:  b = Σ(xᵢ − x̄)(yᵢ − ȳ) / Σ(xᵢ − x̄)²,  a = ȳ − b·x̄,
 *                   R² = 1 − SS_res / SS_tot with SS_res = Σ(yᵢ − a − b·xᵢ)²,
 *                   SS_tot = Σ(yᵢ − ȳ)²; R² is null when SS_tot = 0 (every y
 *                   equal: a flat line fits exactly but explains nothing).
 *                   Needs ≥ 2 points with ≥ 2 distinct x, else null.
 */
import type { LinearFit } from '../Analysis.js';

export function mean(xs: readonly number[]): number {
  const shift = xs[0]!;
  let sum = 0;
  for (const x of xs) sum += x - shift;
  return shift + sum / xs.length;
}

/** Type-7 percentile of an ascending array (non-empty). */
export function quantileLinear(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  // When a = b (e.g. all resamples agree) the result is exactly a, with no rounding.
  return a === b ? a : a + (h - lo) * (b - a);
}

/** Type-1 (nearest-rank) percentile of an array already in ascending order (non-empty). */
export function nearestRank<T>(sorted: readonly T[], p: number): T {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index]!;
}

/** Least-squares line through the points; null with fewer than 2 points or a single distinct x. */
export function linearFit(points: readonly { x: number; y: number }[]): LinearFit | null {
  if (points.length < 2) return null;
  const xBar = mean(points.map((p) => p.x));
  const yBar = mean(points.map((p) => p.y));
  let sxx = 0;
  let sxy = 0;
  let ssTot = 0;
  for (const { x, y } of points) {
    sxx += (x - xBar) ** 2;
    sxy += (x - xBar) * (y - yBar);
    ssTot += (y - yBar) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  const intercept = yBar - slope * xBar;
  let ssRes = 0;
  for (const { x, y } of points) ssRes += (y - intercept - slope * x) ** 2;
  return { slope, intercept, r2: ssTot === 0 ? null : 1 - ssRes / ssTot, points: points.length };
}
