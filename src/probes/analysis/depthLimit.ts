/**
 * depthLimits — the depth at which each (task, model variant, size) stops
 * reaching the success threshold τ.
 *
 * Over the depths D tested for a series (those with a done cell):
 *   limit = max{ d ∈ D : mean(d) ≥ τ },  null when no d ∈ D reaches τ.
 * It is the largest depth still solved, not the first one failed: accuracy
 * that dips below τ at a small depth and recovers (noise, or a depth that
 * happens to be easy) does not hide later successes. Both are reported: the
 * failing depths below the limit (`failingBelow`) and the first failure
 * (min{ d ∈ D : mean(d) < τ }). When the limit is the largest depth tested
 * (`censored`) the true limit is at least that: the probe did not go deeper.
 *
 * Interval: B bootstrap resamples; in each, every depth's seeds are resampled
 * independently (n_d draws with replacement from that depth's cells), the
 * means recomputed and the limit taken again. The interval is the 2.5% and
 * 97.5% nearest-rank percentiles of the B limits, null ("no depth solved")
 * ranking below every depth — so its ends are depths that occurred, or null.
 */
import type { AccuracySeries, DepthLimit } from './Analysis.js';
import { LOWER_P, resampledMean, streamFor, UPPER_P } from './_internals/bootstrap.js';
import { nearestRank } from './_internals/stats.js';
import type { BootstrapOptions } from './accuracyByDepth.js';

/** The largest depth whose accuracy is ≥ τ, or null; `means` ascending by depth. */
export function limitOf(means: readonly { depth: number; mean: number }[], tau: number): number | null {
  let limit: number | null = null;
  for (const { depth, mean } of means) if (mean >= tau) limit = depth;
  return limit;
}

export function depthLimits(series: readonly AccuracySeries[], tau: number, bootstrap: BootstrapOptions): DepthLimit[] {
  return series.map(({ points, ...id }) => {
    const limit = limitOf(points, tau);
    const rng = streamFor(bootstrap.seed, `${id.key}|limit|tau=${tau}`);
    const limits: (number | null)[] = [];
    for (let b = 0; b < bootstrap.resamples; b++) {
      limits.push(limitOf(points.map((p) => ({ depth: p.depth, mean: resampledMean(p.values, rng) })), tau));
    }
    limits.sort((a, b) => (a === null ? (b === null ? 0 : -1) : b === null ? 1 : a - b));
    const failing = points.filter((p) => p.mean < tau).map((p) => p.depth);
    const depths = points.map((p) => p.depth);
    return {
      ...id,
      limit,
      lo: nearestRank(limits, LOWER_P),
      hi: nearestRank(limits, UPPER_P),
      depths,
      censored: limit !== null && limit === depths[depths.length - 1],
      failingBelow: limit === null ? [] : failing.filter((d) => d < limit),
      firstFailure: failing[0] ?? null,
    };
  });
}
