/**
 * Sliced Wasserstein-1 distance (Rabin et al. 2011; Bonneel et al. 2015):
 *
 *   SW1(P, Q) = E_{θ ~ Unif(S^{d−1})} W1(θ#P, θ#Q) ≈ (1/L) Σ_l W1(⟨θ_l, X⟩, ⟨θ_l, Y⟩)
 *
 * with L seeded random directions (normalised Gaussian vectors). The 1-D
 * distance is exact for empirical measures, by sorting:
 *
 *   W1(μ, ν) = ∫ |F_μ(u) − F_ν(u)| du,
 *
 * computed over the merged sorted support, so the two samples may differ in
 * size (for equal sizes it is (1/n) Σ |x_(i) − y_(i)|).
 */
import { NormalSampler, rngFromSeed } from '../_internals/random.js';
import { checkShape } from './moments.js';

/** Exact W1 between the empirical measures of two 1-D samples (arrays are sorted in place). */
export function wasserstein1d(a: Float64Array, b: Float64Array): number {
  if (a.length === 0 || b.length === 0) throw new RangeError('wasserstein1d: both samples must be non-empty');
  a.sort();
  b.sort();
  const na = a.length;
  const nb = b.length;
  let i = 0;
  let j = 0;
  let prev = Math.min(a[0]!, b[0]!);
  let total = 0;
  // Walk the merged support; between consecutive atoms both CDFs are constant.
  while (i < na || j < nb) {
    const va = i < na ? a[i]! : Infinity;
    const vb = j < nb ? b[j]! : Infinity;
    const v = va <= vb ? va : vb;
    total += Math.abs(i / na - j / nb) * (v - prev);
    prev = v;
    if (va <= vb) i++;
    else j++;
  }
  return total;
}

/** L unit directions in R^dim, row-major [L, dim], from the seed. */
export function randomDirections(L: number, dim: number, seed: number): Float64Array {
  if (!Number.isInteger(L) || L < 1) throw new RangeError(`randomDirections: L must be a positive integer, got ${L}`);
  const normal = new NormalSampler(rngFromSeed(seed));
  const out = new Float64Array(L * dim);
  for (let l = 0; l < L; l++) {
    let nrm = 0;
    do {
      nrm = 0;
      for (let j = 0; j < dim; j++) {
        const v = normal.next();
        out[l * dim + j] = v;
        nrm += v * v;
      }
    } while (!(nrm > 1e-300));
    const inv = 1 / Math.sqrt(nrm);
    for (let j = 0; j < dim; j++) out[l * dim + j]! *= inv;
  }
  return out;
}

export interface SlicedWassersteinOptions {
  /** Number of random directions L (default 128). */
  directions?: number;
  /** Seed of the directions (default 0). */
  seed?: number;
  /** Explicit unit directions [L, dim], overriding `directions` and `seed`. */
  dirs?: Float64Array;
}

/** Sliced W1 between samples x ([nx, dim]) and y ([ny, dim]). */
export function slicedWasserstein1(
  x: Float64Array, nx: number, y: Float64Array, ny: number, dim: number, opts: SlicedWassersteinOptions = {},
): number {
  checkShape(x, nx, dim, 'slicedWasserstein1');
  checkShape(y, ny, dim, 'slicedWasserstein1');
  const dirs = opts.dirs ?? randomDirections(opts.directions ?? 128, dim, opts.seed ?? 0);
  if (dirs.length % dim !== 0 || dirs.length === 0) throw new RangeError(`slicedWasserstein1: dirs must hold L·dim entries, dim = ${dim}`);
  const L = dirs.length / dim;
  const px = new Float64Array(nx);
  const py = new Float64Array(ny);
  let sum = 0;
  for (let l = 0; l < L; l++) {
    const o = l * dim;
    for (let i = 0; i < nx; i++) {
      let v = 0;
      for (let j = 0; j < dim; j++) v += dirs[o + j]! * x[i * dim + j]!;
      px[i] = v;
    }
    for (let i = 0; i < ny; i++) {
      let v = 0;
      for (let j = 0; j < dim; j++) v += dirs[o + j]! * y[i * dim + j]!;
      py[i] = v;
    }
    sum += wasserstein1d(px, py);
  }
  return sum / L;
}
