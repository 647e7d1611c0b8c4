export { choleskyLower, gaussianKl } from './gaussianKl.js';
export { medianBandwidth, mmdRbf } from './mmd.js';
export type { MmdOptions, MmdResult } from './mmd.js';
export { checkShape, momentErrors, sampleCov, sampleMean } from './moments.js';
export type { MomentErrors } from './moments.js';
export { randomDirections, slicedWasserstein1, wasserstein1d } from './slicedWasserstein.js';
export type { SlicedWassersteinOptions } from './slicedWasserstein.js';
