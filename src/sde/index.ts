// depthlab's SDE module: schedules, exact and approximate scores, samplers,
// metrics, spectral analysis and masked diffusion (see docs/sde.md).
export * as schedules from './schedules/index.js';
export * as mixtures from './mixtures/index.js';
export * as scores from './scores/index.js';
export * as samplers from './samplers/index.js';
export * as metrics from './metrics/index.js';
export * as spectral from './spectral/index.js';
export * as masked from './masked/index.js';
export { forwardSample, forwardSdeStep, probabilityFlowDrift, reverseSdeDrift } from './sdes.js';
export type { NormalSource } from './sdes.js';
export { errorSweep, nnlsSmall, samplers as samplerRegistry } from './errorSweep.js';
export type { BoundFit, ErrorSweepConfig, ErrorSweepResult, ErrorSweepRow, SamplerName } from './errorSweep.js';
