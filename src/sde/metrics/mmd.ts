/**
 * Unbiased squared maximum mean discrepancy with a Gaussian (RBF) kernel
 * (Gretton et al. 2012, "A Kernel Two-Sample Test", eq. 3):
 *
 *   MMD²_u = 1/(m(m−1)) Σ_{i≠j} k(x_i, x_j) + 1/(n(n−1)) Σ_{i≠j} k(y_i, y_j)
 *            − 2/(mn) Σ_{i,j} k(x_i, y_j),        k(u, v) = exp(−‖u − v‖² / (2h²)).
 *
 * The bandwidth h defaults to the median heuristic (Gretton et al. 2012,
 * §8): the median of the pairwise distances of the pooled sample. Being
 * unbiased, the estimate can be slightly negative when P = Q. Cost O((m+n)²·dim);
 * `maxPoints` caps each sample at its first points (the particles of a
 * sampler are exchangeable, so a prefix is a fair subsample).
 */
import { checkShape } from './moments.js';

export interface MmdOptions {
  /** Kernel bandwidth h; default: the median heuristic. */
  bandwidth?: number;
  /** Use at most this many points of each sample (default: all). */
  maxPoints?: number;
}

export interface MmdResult {
  mmd2: number;
  bandwidth: number;
}

function sqDist(a: Float64Array, ia: number, b: Float64Array, ib: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) {
    const d = a[ia + k]! - b[ib + k]!;
    s += d * d;
  }
  return s;
}

/** Median of the pairwise distances of the pooled sample (over at most 1,000 points of each, for cost). */
export function medianBandwidth(x: Float64Array, nx: number, y: Float64Array, ny: number, dim: number): number {
  const mx = Math.min(nx, 1000);
  const my = Math.min(ny, 1000);
  const m = mx + my;
  const d2 = new Float64Array((m * (m - 1)) / 2);
  const at = (i: number): [Float64Array, number] => (i < mx ? [x, i * dim] : [y, (i - mx) * dim]);
  let c = 0;
  for (let i = 0; i < m; i++) {
    const [a, ia] = at(i);
    for (let j = 0; j < i; j++) {
      const [b, ib] = at(j);
      d2[c++] = sqDist(a, ia, b, ib, dim);
    }
  }
  d2.sort();
  const med = d2.length % 2 === 1 ? d2[(d2.length - 1) / 2]! : 0.5 * (d2[d2.length / 2 - 1]! + d2[d2.length / 2]!);
  return Math.sqrt(med);
}

export function mmdRbf(x: Float64Array, nx: number, y: Float64Array, ny: number, dim: number, opts: MmdOptions = {}): MmdResult {
  checkShape(x, nx, dim, 'mmdRbf');
  checkShape(y, ny, dim, 'mmdRbf');
  const cap = opts.maxPoints ?? Infinity;
  const m = Math.min(nx, cap);
  const n = Math.min(ny, cap);
  if (m < 2 || n < 2) throw new RangeError('mmdRbf: needs at least 2 points in each sample');
  let h = opts.bandwidth ?? medianBandwidth(x, m, y, n, dim);
  // Identical points everywhere make the median 0; any positive bandwidth then gives MMD² = 0.
  if (!(h > 0)) h = 1;
  const g = -1 / (2 * h * h);
  let kxx = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) kxx += Math.exp(g * sqDist(x, i * dim, x, j * dim, dim));
  let kyy = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) kyy += Math.exp(g * sqDist(y, i * dim, y, j * dim, dim));
  let kxy = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) kxy += Math.exp(g * sqDist(x, i * dim, y, j * dim, dim));
  const mmd2 = (2 * kxx) / (m * (m - 1)) + (2 * kyy) / (n * (n - 1)) - (2 * kxy) / (m * n);
  return { mmd2, bandwidth: h };
}
