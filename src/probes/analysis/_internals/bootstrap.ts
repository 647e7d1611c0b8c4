/**
 * The seeded percentile bootstrap over seeds.
 *
 * For values v₁ … vₙ (one per seed), a resample draws n indices uniformly
 * with replacement, i = ⌊u·n⌋ with u ∈ (0, 1) from SeededRandom, and takes
 * the statistic of the drawn values. With B resamples the 95% interval of the
 * mean is [Q(0.025), Q(0.975)] of the B resampled means (type-7 percentiles,
 * stats.ts). When every seed agrees every resample equals the mean, so the
 * interval collapses to that point; with n = 1 it always does.
 *
 * Every estimate draws from its own stream, numbered by a 32-bit FNV-1a hash
 * of a label naming it (series key and depth): the same data, seed and B
 * give the same intervals, and adding cells elsewhere in a probe leaves an
 * estimate's interval unchanged.
 */
import { SeededRandom } from '../../../models/backbone/seededRandom.js';
import { mean, quantileLinear } from './stats.js';

/** Two-sided level of every interval in the analysis. */
export const INTERVAL_LEVEL = 0.95;
const TAIL = (1 - INTERVAL_LEVEL) / 2;
export const LOWER_P = TAIL;
export const UPPER_P = 1 - TAIL;

/** FNV-1a, 32-bit: a stream number from a label. */
export function streamOf(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The seeded stream of an estimate named by `label`. */
export function streamFor(seed: number, label: string): SeededRandom {
  return new SeededRandom(seed, streamOf(label));
}

/** The mean of one resample (n draws with replacement) of `values`, shifted like stats.mean. */
export function resampledMean(values: readonly number[], rng: SeededRandom): number {
  const n = values.length;
  const shift = values[0]!;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += values[Math.floor(rng.uniform() * n)]! - shift;
  return shift + sum / n;
}

/** Mean of `values` (non-empty) and its bootstrap 95% percentile interval. */
export function meanWithInterval(
  values: readonly number[],
  resamples: number,
  rng: SeededRandom,
): { mean: number; lo: number; hi: number } {
  const m = mean(values);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) means[b] = resampledMean(values, rng);
  means.sort();
  const sorted = Array.from(means);
  return { mean: m, lo: quantileLinear(sorted, LOWER_P), hi: quantileLinear(sorted, UPPER_P) };
}
