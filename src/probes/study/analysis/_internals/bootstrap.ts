/**
 * Seeded resampling for the study's bootstrap intervals.
 *
 * Each estimate draws from its own SeededRandom stream, numbered by a 32-bit
 * FNV-1a hash of a label naming it, so that the same points, seed and number
 * of resamples give the same interval. A resample of n points draws n indices
 * uniformly with replacement, i = ⌊u·n⌋ with u ∈ (0, 1).
 */
import { SeededRandom } from '../../../../models/backbone/seededRandom.js';
import { StudyAnalysisError } from '../StudyAnalysisError.js';

export const DEFAULT_RESAMPLES = 200;

// One labelled-stream scheme for every bootstrap in depthlab (the probe analysis's).
export { streamFor, streamOf } from '../../../analysis/_internals/bootstrap.js';

/** n indices in [0, n) drawn with replacement. */
export function resampleIndices(n: number, rng: SeededRandom): number[] {
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) out[k] = Math.floor(rng.uniform() * n);
  return out;
}

/** Checked bootstrap options: resamples an integer ≥ 0, seed a safe integer. */
export function bootstrapOptions(options: { resamples?: number; seed?: number }): { resamples: number; seed: number } {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(resamples) || resamples < 0) {
    throw new StudyAnalysisError(`resamples = ${resamples}: must be an integer ≥ 0 (0 skips the bootstrap), e.g. 200`);
  }
  if (!Number.isSafeInteger(seed)) throw new StudyAnalysisError(`seed = ${seed}: must be a safe integer`);
  return { resamples, seed };
}
