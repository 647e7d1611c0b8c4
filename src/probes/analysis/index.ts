/**
 * A probe's analysis: accuracy against depth with bootstrap intervals over
 * seeds, depth limits at a threshold τ, the fewest layers per depth ("Illusion
 * of State") with log₂/linear fits, and diffusion's accuracy against its
 * denoising steps. Each file's header gives its definitions and formulas.
 */
export { analyse, AnalyseOptionsError, DEFAULT_RESAMPLES, DEFAULT_TAU } from './analyse.js';
export type { AnalyseOptions } from './analyse.js';
export { accuracyByDepth, metricOf } from './accuracyByDepth.js';
export type { BootstrapOptions } from './accuracyByDepth.js';
export { depthLimits, limitOf } from './depthLimit.js';
export { minLayers } from './minLayers.js';
export { diffusionSteps } from './diffusionSteps.js';
export type {
  AccuracyMetric,
  AccuracyPoint,
  AccuracySeries,
  Analysis,
  DepthLimit,
  DiffusionStepsView,
  Estimate,
  LinearFit,
  MinLayersRow,
  MinLayersView,
  ModelVariant,
  SeriesId,
  CellCounts,
  StepsPoint,
  TaskRef,
  VariantValue,
} from './Analysis.js';
