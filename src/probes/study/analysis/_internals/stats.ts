/**
 * Small statistics for the study's analysis.
 *
 *   mean            x̄ = x₁ + (1/n) Σ (xᵢ − x₁)  (shifted by the first value, so n
 *                   equal values average to exactly that value)
 *   percentile      type 7 (Hyndman–Fan, numpy's default) on an ascending array
 *                   that may end in +∞: h = (n − 1)p, Q(p) = x₍⌊h⌋₎ +
 *                   (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎); equal neighbours or h integral
 *                   give the neighbour exactly, and a finite–∞ pair gives ∞
 *   lineFit         y ≈ a + b·x by ordinary least squares:
 *                   b = Σ(xᵢ − x̄)(yᵢ − ȳ) / Σ(xᵢ − x̄)², a = ȳ − b·x̄,
 *                   R² = 1 − SS_res/SS_tot (null when SS_tot = 0); null when
 *                   every x is equal
 *   CHI2_1_95       χ²₁ quantile at 0.95 = 1.959964² (the profile-likelihood cut)
 */

export const INTERVAL_LEVEL = 0.95;
export const LOWER_P = (1 - INTERVAL_LEVEL) / 2;
export const UPPER_P = 1 - LOWER_P;
export const CHI2_1_95 = 3.841458820694124;

export function mean(xs: ArrayLike<number>): number {
  const shift = xs[0]!;
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i]! - shift;
  return shift + sum / xs.length;
}

/** Type-7 percentile of an ascending, non-empty array (entries may be +∞). */
export function percentile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  const frac = h - lo;
  if (a === b || frac === 0) return a;
  if (b === Infinity) return Infinity;
  return a + frac * (b - a);
}

export interface Line {
  intercept: number;
  slope: number;
  r2: number | null;
}

/** Least-squares line through (xs[i], ys[i]); null when the xs do not vary. */
export function lineFit(xs: ArrayLike<number>, ys: ArrayLike<number>): Line | null {
  const xBar = mean(xs);
  const yBar = mean(ys);
  let sxx = 0;
  let sxy = 0;
  let ssTot = 0;
  for (let i = 0; i < xs.length; i++) {
    const dx = xs[i]! - xBar;
    const dy = ys[i]! - yBar;
    sxx += dx * dx;
    sxy += dx * dy;
    ssTot += dy * dy;
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = yBar - slope * xBar;
  let ssRes = 0;
  for (let i = 0; i < xs.length; i++) ssRes += (ys[i]! - intercept - slope * xs[i]!) ** 2;
  return { intercept, slope, r2: ssTot === 0 ? null : 1 - ssRes / ssTot };
}
