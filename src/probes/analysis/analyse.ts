/**
 * analyse — a probe's results as numbers: accuracy against depth with
 * bootstrap intervals, depth limits, the fewest layers per depth with growth
 * fits, diffusion's accuracy against denoising steps, and depth
 * generalisation (Analysis.ts lists
 * them; each file defines its part with formulas).
 *
 * Only 'done' cells count; pending, running and failed cells are counted
 * but contribute no accuracy. The metric is answer accuracy (the whole
 * answer exactly right, model running free) unless token accuracy is asked
 * for. A pure function of the data and options: the bootstrap draws from
 * SeededRandom streams named by each estimate, so equal inputs give equal
 * output.
 */
import type { ProbeData } from '../store/CellRecord.js';
import type { AccuracyMetric, Analysis, CellCounts } from './Analysis.js';
import { accuracyByDepth } from './accuracyByDepth.js';
import { depthGeneralization } from './depthGeneralization.js';
import { depthLimits } from './depthLimit.js';
import { diffusionSteps } from './diffusionSteps.js';
import { minLayers } from './minLayers.js';
import { INTERVAL_LEVEL } from './_internals/bootstrap.js';

export interface AnalyseOptions {
  /** Success threshold τ on the metric, in [0, 1]; default 0.9. */
  tau?: number;
  /** Default 'answer_accuracy'. */
  metric?: AccuracyMetric;
  /** Bootstrap resamples B, an integer ≥ 1; default 2000. */
  bootstrap?: number;
  /** Seed of the bootstrap streams; default 0. */
  seed?: number;
}

export const DEFAULT_TAU = 0.9;
export const DEFAULT_RESAMPLES = 2000;

/** Options out of range; the message is one line naming the option and the fix. */
export class AnalyseOptionsError extends Error {
  override readonly name = 'AnalyseOptionsError';
}

/**
 * The analysis of a probe: its data, or anything that yields it — e.g. an
 * open RunStore (`analyse(RunStore.open(dir, { readonly: true }))`).
 */
export function analyse(source: ProbeData | { data(): ProbeData }, options: AnalyseOptions = {}): Analysis {
  const data = 'data' in source && typeof source.data === 'function' ? source.data() : (source as ProbeData);
  const tau = options.tau ?? DEFAULT_TAU;
  const metric = options.metric ?? 'answer_accuracy';
  const resamples = options.bootstrap ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? 0;
  if (!(tau >= 0 && tau <= 1)) throw new AnalyseOptionsError(`tau = ${tau}: must be in [0, 1], e.g. 0.9`);
  if (metric !== 'answer_accuracy' && metric !== 'token_accuracy') {
    throw new AnalyseOptionsError(`metric = ${JSON.stringify(metric)}: use answer_accuracy or token_accuracy`);
  }
  if (!Number.isInteger(resamples) || resamples < 1) throw new AnalyseOptionsError(`bootstrap = ${resamples}: must be an integer ≥ 1, e.g. 2000`);
  if (!Number.isSafeInteger(seed)) throw new AnalyseOptionsError(`seed = ${seed}: must be a safe integer`);

  const bootstrap = { resamples, seed };
  const series = accuracyByDepth(data, metric, bootstrap);
  const ns = series.flatMap((s) => s.points.map((p) => p.n));
  return {
    tau,
    metric,
    bootstrap: { resamples, seed, level: INTERVAL_LEVEL },
    counts: statusCounts(data),
    seedsPerPoint: ns.length === 0 ? null : { min: Math.min(...ns), max: Math.max(...ns) },
    series,
    depthLimits: depthLimits(series, tau, bootstrap),
    minLayers: minLayers(series, tau),
    diffusionSteps: diffusionSteps(series),
    depthGeneralization: depthGeneralization(data, metric, bootstrap),
  };
}

function statusCounts(data: ProbeData): CellCounts {
  const counts: CellCounts = { total: data.records.length, pending: 0, running: 0, done: 0, failed: 0, diverged: 0 };
  for (const record of data.records) {
    counts[record.status] += 1;
    if (record.status === 'done' && record.metrics?.status === 'diverged') counts.diverged += 1;
  }
  return counts;
}
