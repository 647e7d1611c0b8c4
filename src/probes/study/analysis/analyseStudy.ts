/**
 * analyseStudy — a data-constrained study's cells (StudyData) → StudyAnalysis:
 * per series and U, the final held-out loss of every E (seeds pooled), the
 * best loss and where it occurs; R_D* per series; the AR/diffusion crossover
 * compute per U and C_crit(U) = a·U^γ; counts and caveats. Pure: the same
 * data, resamples and seed give the same analysis.
 *
 * 1. Series (_internals/studySeries.ts): done cells whose configs agree on
 *    every field but U, E and seed. Labels show the model kind (orders N,
 *    nonzero dropouts), corpus, size and every other field that varies.
 * 2. Budgets (_internals/studyBudgets.ts): per U, per E, the seed-mean curve
 *    and final point (completed seeds only); the best seed-mean evaluation at
 *    that U, censored when it ends the longest run; the E past the final
 *    losses' minimum (overfitting).
 * 3. Fits (_internals/studyFits.ts): fitDataConstrained on each series'
 *    final points (U, E, mean final bits) without the overfitting ones;
 *    crossoverCompute at each U for every AR-family (ar, ar-orders) ×
 *    diffusion pair of the same setting (corpus, held-out set, size);
 *    powerLawFit of C_crit against U. Too little evidence gives status
 *    'insufficient' with the reason, never a number.
 * 4. Notes (_internals/studyNotes.ts).
 *
 * Published constants (Prabhudesai et al. 2025, arXiv 2507.15857) ride along
 * for comparison: R_D* ≈ 500 (494–513) for masked diffusion, ≈ 31 for AR
 * (≈ 15 in the paper's earlier version), C_crit ∝ U^2.174.
 */
import type { StudyCellResult } from '../cell/runStudyCell.js';
import type { StudyData } from '../../store/StudyCellRecord.js';
import type { PublishedConstants, StudyAnalysis, StudyCounts, StudyPair, StudySeries } from './analyseStudyTypes.js';
import { bootstrapOptions } from './_internals/bootstrap.js';
import { budgetsOf } from './_internals/studyBudgets.js';
import { pairOf, rDStarOf, type FitOptions } from './_internals/studyFits.js';
import { studyNotes } from './_internals/studyNotes.js';
import { compareSeries, seriesNamer, type SeriesIdentity } from './_internals/studySeries.js';

export interface AnalyseStudyOptions {
  /** Bootstrap resamples of every fit; default 200, 0 skips the bootstraps. */
  resamples?: number;
  /** Seed of the bootstrap streams; default 0. */
  seed?: number;
}

export const PUBLISHED_CONSTANTS: PublishedConstants = {
  source: 'Prabhudesai et al. 2025, "Diffusion Beats Autoregressive in Data-Constrained Settings" (arXiv 2507.15857)',
  r_d_star_diffusion: { value: 500, range: [494, 513] },
  r_d_star_ar: { value: 31, earlier_value: 15 },
  c_crit_gamma: 2.174,
};

function countsOf(data: StudyData): StudyCounts {
  const by = (status: string): number => data.records.filter((r) => r.status === status).length;
  const pending = by('pending');
  const running = by('running');
  return {
    total: data.records.length, done: by('done'), failed: by('failed'), pending, running, missing: pending + running,
    not_completed: data.records.filter((r) => r.status === 'done' && r.result !== null && r.result.status !== 'completed').length,
  };
}

function seriesOf(data: StudyData, options: FitOptions): StudySeries[] {
  const name = seriesNamer(data.records.map((r) => r.config as unknown as Record<string, unknown>));
  const groups = new Map<string, { id: SeriesIdentity; results: StudyCellResult[] }>();
  for (const r of data.records) {
    if (r.status !== 'done' || r.result === null) continue;
    const id = name(r.config as unknown as Record<string, unknown>);
    const group = groups.get(id.key) ?? { id, results: [] };
    groups.set(id.key, group);
    group.results.push(r.result);
  }
  return [...groups.values()]
    .map(({ id, results }) => {
      const budgets = budgetsOf(results);
      const seeds = [...new Set(results.map((r) => r.config.seed))].sort((a, b) => a - b);
      return { ...id, seeds, budgets, r_d_star: rDStarOf(budgets, options) };
    })
    .sort(compareSeries);
}

function pairsOf(series: readonly StudySeries[], options: FitOptions): StudyPair[] {
  const diffusion = series.filter((s) => s.family === 'diffusion');
  return series
    .filter((s) => s.family === 'ar')
    .flatMap((a) => diffusion.filter((d) => d.setting_key === a.setting_key).map((d) => pairOf(a, d, options)));
}

export function analyseStudy(data: StudyData, options: AnalyseStudyOptions = {}): StudyAnalysis {
  const fit = bootstrapOptions(options);
  const counts = countsOf(data);
  const series = seriesOf(data, fit);
  const pairs = pairsOf(series, fit);
  const resultless = data.records.filter((r) => r.status === 'done' && r.result === null).length;
  const seeds = [...new Set(data.records.map((r) => r.config.seed))].sort((a, b) => a - b);
  return {
    counts,
    seeds,
    series,
    pairs,
    published: PUBLISHED_CONSTANTS,
    bootstrap: fit,
    notes: studyNotes(counts, resultless, series, pairs),
  };
}
