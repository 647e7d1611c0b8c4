/**
 * A probe's analysis: accuracy against depth with bootstrap intervals over
 * seeds, depth limits at a threshold τ, the fewest layers per depth ("Illusion
 * of State") with log₂/linear fits, diffusion's accuracy against its
 * denoising steps, and depth generalisation (trained at one depth, scored at
 * others). Each file's header gives its definitions and formulas.
 */
export { analyse, AnalyseOptionsError, DEFAULT_RESAMPLES, DEFAULT_TAU } from './analyse.js';
export type { AnalyseOptions } from './analyse.js';
export { accuracyByDepth, metricOf } from './accuracyByDepth.js';
export type { BootstrapOptions } from './accuracyByDepth.js';
export { depthLimits, limitOf } from './depthLimit.js';
export { minLayers } from './minLayers.js';
export { diffusionSteps } from './diffusionSteps.js';
export { depthGeneralization } from './depthGeneralization.js';
export type {
  AccuracyMetric,
  AccuracyPoint,
  AccuracySeries,
  Analysis,
  DepthLimit,
  DiffusionStepsView,
  Estimate,
  GeneralizationPoint,
  GeneralizationView,
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
