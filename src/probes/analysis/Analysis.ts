/**
 * Analysis — what `analyse` makes of a probe's finished cells (the types;
 * the definitions and formulas are in the files that compute each part):
 *
 *   series          accuracy against depth for every model variant and size,
 *                   mean over seeds with a bootstrap 95% interval (accuracyByDepth.ts)
 *   depthLimits     the largest depth whose mean accuracy is ≥ τ, with a
 *                   bootstrap interval (depthLimit.ts)
 *   minLayers       "Illusion of State": the fewest layers reaching τ at each
 *                   depth, with line fits against log₂(depth) and depth (minLayers.ts)
 *   diffusionSteps  masked diffusion's accuracy against its denoising steps
 *                   at each depth (diffusionSteps.ts)
 *   depthGeneralization  models trained at one depth scored at others, with
 *                   bootstrap intervals (depthGeneralization.ts)
 *
 * Every number is plain JSON (no NaN, no undefined), so an Analysis
 * round-trips through results.json unchanged.
 */
import type { ModelKind } from '../cell/CellConfig.js';

export type AccuracyMetric = 'answer_accuracy' | 'token_accuracy';

/** A value of a config field in a variant; null stands for "left at its automatic default" (e.g. denoisingSteps). */
export type VariantValue = string | number | boolean | null;

/**
 * What a model is, apart from its size, task, depth and seed: its kind and
 * the config fields that tell its cells apart from other cells of the kind
 * (variant.ts).
 */
export interface ModelVariant {
  model: ModelKind;
  /** Field → value, fields in alphabetical order; e.g. { loops: 4 } for looped. */
  variant: Record<string, VariantValue>;
  /** e.g. "looped loops=4", "diffusion denoisingSteps=8", "ar". */
  label: string;
}

/** A task as cells name it: its id and, for the 'word' task, its group. */
export interface TaskRef {
  task: string;
  group: string | null;
}

/** One (task, variant, size) whose cells differ only in depth and seed. */
export interface SeriesId extends TaskRef, ModelVariant {
  layers: number;
  dModel: number;
  /** Canonical JSON of the fields above: unique per series, stable across runs. */
  key: string;
}

/** A mean over seeds with its bootstrap 95% percentile interval. */
export interface Estimate {
  mean: number;
  lo: number;
  hi: number;
  /** Seeds (done cells) averaged. */
  n: number;
}

export interface AccuracyPoint extends Estimate {
  depth: number;
  /** The cells' seeds and their accuracies, in ascending seed order. */
  seeds: number[];
  values: number[];
}

export interface AccuracySeries extends SeriesId {
  /** One point per depth with a done cell, ascending depth. */
  points: AccuracyPoint[];
}

export interface DepthLimit extends SeriesId {
  /** max{ d : mean(d) ≥ τ } over the depths tested; null when no depth reaches τ. */
  limit: number | null;
  /** Bootstrap 95% interval of the limit (nearest-rank percentiles; null sorts below every depth). */
  lo: number | null;
  hi: number | null;
  /** The depths with a done cell, ascending. */
  depths: number[];
  /** True when the limit is the largest depth tested: the real limit may lie beyond. */
  censored: boolean;
  /** Tested depths below the limit whose mean is < τ (non-monotone accuracy). */
  failingBelow: number[];
  /** The smallest tested depth whose mean is < τ; null when every one reaches τ. */
  firstFailure: number | null;
}

/** y ≈ intercept + slope·x by least squares; r2 null when every y is equal. */
export interface LinearFit {
  slope: number;
  intercept: number;
  r2: number | null;
  /** Points fitted. */
  points: number;
}

export interface MinLayersRow {
  depth: number;
  /** min{ L : mean(L, depth) ≥ τ } over the layer counts tested at this depth; null when none reaches τ. */
  minLayers: number | null;
  /** Layer counts with a done cell at this depth, ascending. */
  layersTested: number[];
}

export interface MinLayersView extends TaskRef, ModelVariant {
  dModel: number;
  key: string;
  /** Every layer count of this (task, variant, dModel), ascending. */
  layerCounts: number[];
  rows: MinLayersRow[];
  /** Fits of minLayers over the rows where it exists: against log₂(depth) (depths ≥ 1 only) and against depth. */
  fitLog2Depth: LinearFit | null;
  fitDepth: LinearFit | null;
  /** Points available to each fit (a fit needs 2 with distinct x). */
  fitPoints: { log2Depth: number; depth: number };
}

export interface StepsPoint extends Estimate {
  /** S; null for the automatic default (one step per generated position). */
  denoisingSteps: number | null;
}

export interface DiffusionStepsView extends TaskRef, ModelVariant {
  layers: number;
  dModel: number;
  key: string;
  /** Per depth (ascending), accuracy for each S tested (ascending, the default last). */
  depths: { depth: number; points: StepsPoint[] }[];
}

export interface GeneralizationPoint extends Estimate {
  /** The depth of the test examples. */
  evalDepth: number;
  /** evalDepth is the training depth: the ordinary test split. */
  inDistribution: boolean;
  seeds: number[];
  values: number[];
}

/** One series trained at one depth and scored at several. */
export interface GeneralizationView extends SeriesId {
  trainDepth: number;
  /** Ascending evalDepth, the training depth among them. */
  points: GeneralizationPoint[];
}

export interface CellCounts {
  total: number;
  pending: number;
  running: number;
  done: number;
  failed: number;
  /** Done cells whose training diverged (a non-finite loss); their accuracy still counts. */
  diverged: number;
}

export interface Analysis {
  /** The success threshold τ on the metric. */
  tau: number;
  metric: AccuracyMetric;
  bootstrap: { resamples: number; seed: number; level: number };
  counts: CellCounts;
  /** Fewest and most seeds behind any point; null with no done cell. */
  seedsPerPoint: { min: number; max: number } | null;
  series: AccuracySeries[];
  depthLimits: DepthLimit[];
  minLayers: MinLayersView[];
  diffusionSteps: DiffusionStepsView[];
  /** Empty unless cells were scored at other depths (evaluation.depthGeneralization). */
  depthGeneralization: GeneralizationView[];
}
