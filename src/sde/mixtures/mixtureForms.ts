/**
 * The two forms of a Gaussian mixture p(x) = Σ_k π_k N(x; μ_k, Σ_k) (see
 * GaussianMixture.ts): its dimension d = dim μ_k, and conversion between full
 * covariances Σ_k and diagonal ones, Σ_k = diag(variances[k]).
 */
import type { AnyGaussianMixture, DiagonalGaussianMixture, GaussianMixture } from './GaussianMixture.js';

export function isDiagonalMixture(mix: AnyGaussianMixture): mix is DiagonalGaussianMixture {
  return 'variances' in mix;
}

export function mixtureDim(mix: AnyGaussianMixture): number {
  return mix.means[0]?.length ?? 0;
}

/** The diagonal form of a full mixture whose covariances are all diagonal; undefined when one is not. */
export function asDiagonalMixture(mix: AnyGaussianMixture): DiagonalGaussianMixture | undefined {
  if (isDiagonalMixture(mix)) return mix;
  const d = mixtureDim(mix);
  const variances: number[][] = [];
  for (const cov of mix.covariances) {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j && (cov[i]?.[j] ?? 0) !== 0) return undefined;
    variances.push(Array.from({ length: d }, (_, i) => cov[i]?.[i] ?? 0));
  }
  return { weights: mix.weights, means: mix.means, variances };
}

/** The full form of any mixture (diagonal variances become diagonal matrices). */
export function asFullMixture(mix: AnyGaussianMixture): GaussianMixture {
  if (!isDiagonalMixture(mix)) return mix;
  const d = mixtureDim(mix);
  const covariances = mix.variances.map((v) =>
    Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? v[i] ?? 0 : 0))),
  );
  return { weights: mix.weights, means: mix.means, covariances };
}
