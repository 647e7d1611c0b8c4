export { checkMixture, SYMMETRY_TOLERANCE, WEIGHT_SUM_TOLERANCE } from './checkMixture.js';
export type { AnyGaussianMixture, DiagonalGaussianMixture, GaussianMixture } from './GaussianMixture.js';
export { MixtureError } from './MixtureError.js';
export type { MixtureRule } from './MixtureError.js';
export { asDiagonalMixture, asFullMixture, isDiagonalMixture, mixtureDim } from './mixtureForms.js';
export { parseMixture } from './parseMixture.js';
export { mixtureLogDensity, PerturbedMixture, perturbMixture } from './PerturbedMixture.js';
export { sampleMixture, samplePerturbed } from './sampleMixture.js';
