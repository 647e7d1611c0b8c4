/**
 * Gaussian mixtures — the data distributions whose diffused marginals and
 * scores are known exactly:
 *
 *   p(x) = Σ_k π_k N(x; μ_k, Σ_k),
 *   log N(x; m, S) = −½ (x − m)ᵀ S⁻¹ (x − m) − ½ log det S − (d/2) log 2π.
 *
 * Two forms: full covariances (`GaussianMixture`, also the file format) and
 * diagonal ones (`DiagonalGaussianMixture`, `variances[k][i]` = (Σ_k)_ii),
 * which the score evaluates in O(K·d) per particle instead of O(K·d²).
 *
 * This file declares the two forms; the operations on them live beside it and
 * are re-exported here, so that `GaussianMixture.js` stays the one import:
 *   mixtureForms.ts      dimension, and conversion between the two forms
 *   MixtureError.ts      the error of a broken rule
 *   checkMixture.ts      the rules (weights, dimensions, symmetry, positive definiteness)
 *   parseMixture.ts      the JSON file format
 *   PerturbedMixture.ts  the factored law of a·x0 + s·z: log-density and score
 *   sampleMixture.ts     draws of x0 and of a·x0 + s·z
 */

/** A mixture with full covariance matrices (the file format). */
export interface GaussianMixture {
  weights: number[];
  means: number[][];
  covariances: number[][][];
}

/** A mixture with diagonal covariances: `variances[k][i]` is the i-th diagonal entry of Σ_k. */
export interface DiagonalGaussianMixture {
  weights: number[];
  means: number[][];
  variances: number[][];
}

export type AnyGaussianMixture = GaussianMixture | DiagonalGaussianMixture;

export { asDiagonalMixture, asFullMixture, isDiagonalMixture, mixtureDim } from './mixtureForms.js';
export { MixtureError, type MixtureRule } from './MixtureError.js';
export { checkMixture, SYMMETRY_TOLERANCE, WEIGHT_SUM_TOLERANCE } from './checkMixture.js';
export { parseMixture } from './parseMixture.js';
export { mixtureLogDensity, PerturbedMixture, perturbMixture } from './PerturbedMixture.js';
export { sampleMixture, samplePerturbed } from './sampleMixture.js';
