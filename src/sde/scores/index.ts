export type { Score } from './Score.js';
export { APPROXIMATION_KINDS, approximateScore, measureScoreError } from './approximateScores.js';
export type { ApproximateScore, ApproximateScoreOptions, ApproximationKind } from './approximateScores.js';
export { mixtureLogDensityAt, mixtureScore, sampleMixtureAt } from './mixtureScore.js';
export type { MixtureScore, MixtureScoreOptions } from './mixtureScore.js';
export { SymbolicScoreError, symbolicScore } from './symbolicScore.js';
export type { SymbolicScore } from './symbolicScore.js';
export { tweedieMean } from './tweedie.js';
