export { finish, initSampler, record, resolveGrid, timeGrid } from './common.js';
export type { GridKind, SamplerOptions, SamplerResult, SamplerState, Snapshot } from './common.js';
export { ddpmAncestral, ddpmPosterior, gaussianPosterior } from './ddpmAncestral.js';
export type { PosteriorCoefficients } from './ddpmAncestral.js';
export { eulerMaruyama } from './eulerMaruyama.js';
export { heun } from './heun.js';
export { predictorCorrector } from './predictorCorrector.js';
export type { PredictorCorrectorOptions } from './predictorCorrector.js';
