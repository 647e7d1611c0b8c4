/**
 * Draws from a Gaussian mixture and from its perturbed law: x = a·x0 + s·z
 * with x0 ~ Σ_k π_k N(μ_k, Σ_k) and z ~ N(0, I), that is, a component k with
 * probability π_k, then
 *
 *   x = a μ_k + L_k z,   L_k L_kᵀ = a² Σ_k + s² I   (Cholesky; elementwise √ for the diagonal form).
 */
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { choleskyInto, lowerTimesInto } from '../_internals/linalg.js';
import { NormalSampler, uniform01 } from '../_internals/random.js';
import type { AnyGaussianMixture, GaussianMixture } from './GaussianMixture.js';
import { asDiagonalMixture, mixtureDim } from './mixtureForms.js';

/**
 * n draws of a·x0 + s·z (x0 from the mixture, z standard normal), row-major
 * [n, d]: a component by its weight, then a μ_k + L z with L the Cholesky
 * factor of a²Σ_k + s²I (for a = 1, s = 0: plain draws from the mixture).
 */
export function samplePerturbed(mix: AnyGaussianMixture, a: number, s: number, n: number, rng: RandomGenerator): Float64Array {
  const K = mix.weights.length;
  const d = mixtureDim(mix);
  const diag = asDiagonalMixture(mix);
  const normal = new NormalSampler(rng);
  const cumulative = new Float64Array(K);
  let acc = 0;
  for (let k = 0; k < K; k++) cumulative[k] = acc += mix.weights[k] ?? 0;
  // Per-component square roots of a²Σ_k + s²I: elementwise for the diagonal form, Cholesky otherwise.
  const roots = new Float64Array(diag !== undefined ? K * d : K * d * d);
  const dense = new Float64Array(d * d);
  for (let k = 0; k < K; k++) {
    if (diag !== undefined) {
      for (let i = 0; i < d; i++) roots[k * d + i] = Math.sqrt(a * a * (diag.variances[k]?.[i] ?? 0) + s * s);
    } else {
      const cov = (mix as GaussianMixture).covariances[k] ?? [];
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) dense[i * d + j] = a * a * (cov[i]?.[j] ?? 0) + (i === j ? s * s : 0);
      const bad = choleskyInto(dense, d, roots, 0, k * d * d);
      if (bad >= 0) throw new RangeError(`samplePerturbed: a²Σ_${k} + s²I is not positive definite (row ${bad})`);
    }
  }
  const out = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let p = 0; p < n; p++) {
    const u = uniform01(rng) * acc;
    let k = 0;
    while (k < K - 1 && u > (cumulative[k] ?? 0)) k++;
    normal.fill(z);
    if (diag !== undefined) {
      for (let i = 0; i < d; i++) out[p * d + i] = (roots[k * d + i] ?? 0) * (z[i] ?? 0);
    } else {
      lowerTimesInto(roots, d, z, out, k * d * d, 0, p * d);
    }
    const mu = mix.means[k] ?? [];
    for (let i = 0; i < d; i++) out[p * d + i] = (out[p * d + i] ?? 0) + a * (mu[i] ?? 0);
  }
  return out;
}

/** n draws from the mixture, row-major [n, d]. */
export function sampleMixture(mix: AnyGaussianMixture, n: number, rng: RandomGenerator): Float64Array {
  return samplePerturbed(mix, 1, 0, n, rng);
}
