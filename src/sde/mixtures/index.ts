export { MixtureError, PerturbedMixture, SYMMETRY_TOLERANCE, WEIGHT_SUM_TOLERANCE, asDiagonalMixture, asFullMixture, checkMixture, isDiagonalMixture, mixtureDim, mixtureLogDensity, parseMixture, perturbMixture, sampleMixture, samplePerturbed } from './GaussianMixture.js';
export type { AnyGaussianMixture, DiagonalGaussianMixture, GaussianMixture, MixtureRule } from './GaussianMixture.js';
