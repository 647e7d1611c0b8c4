/**
 * One series' done runs gathered per unique-token budget U and epoch count E,
 * seeds pooled.
 *
 *   curve        per evaluation step (the same steps in every seed: the plan
 *                depends on E, W, B and K, not on the seed), the seeds'
 *                held-out bits: mean, min, max, sample sd
 *                s = √(Σ(xᵢ − x̄)²/(n − 1)) (null for n = 1), n
 *   final_bits   the same over the completed seeds' last evaluation (at E);
 *                diverged or early-stopped seeds keep their curve but give
 *                no final point
 *   flops        the whole run's planned compute, trainingFlops(params,
 *                E·W·C) = 6·params·E·tokens_per_epoch
 *   best         the lowest seed-mean point over every curve at this U (ties:
 *                less compute); censored when it is the last evaluation of
 *                the longest run, i.e. the loss was still falling where the
 *                study stopped
 *   overfit      the final losses' minimum over E at this U, and the E past
 *                it whose loss has risen (more repeats, worse held-out loss),
 *                which the monotone R_D* form does not describe. "Risen" is
 *                beyond seed noise when there are seeds to measure it:
 *                  x̄_E − x̄_min > 2·√(s_E²/n_E + s_min²/n_min)
 *                (two standard errors of the difference); with one seed any
 *                rise counts. So a flat tail whose seed means wobble by less
 *                than their noise stays in the fit.
 *   overfit_rise the longest completed run's final loss minus the minimum
 */
import type { StudyCellResult, StudyEvaluation } from '../../cell/runStudyCell.js';
import type { SeedSpread, StudyBest, StudyBudget, StudyCurvePoint, StudyEpochRun } from '../analyseStudyTypes.js';
import { trainingFlops } from '../trainingFlops.js';
import { mean } from './stats.js';

export function seedSpread(xs: readonly number[]): SeedSpread {
  const m = mean(xs);
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1)) : null;
  return { mean: m, min: Math.min(...xs), max: Math.max(...xs), sd, n: xs.length };
}

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function pooledCurve(results: readonly StudyCellResult[]): StudyCurvePoint[] {
  const byStep = groupBy(
    results.flatMap((r) => r.curve.filter((p) => Number.isFinite(p.bits_per_token))),
    (p: StudyEvaluation) => p.step,
  );
  return [...byStep.entries()]
    .sort(([a], [b]) => a - b)
    .map(([step, points]) => ({
      step,
      epoch: points[0]!.epoch,
      tokens: points[0]!.tokens,
      flops: points[0]!.flops,
      bits: seedSpread(points.map((p) => p.bits_per_token)),
      train_bits: mean(points.map((p) => p.train_bits_per_token)),
    }));
}

function epochRun(epochs: number, results: readonly StudyCellResult[]): StudyEpochRun {
  const sorted = [...results].sort((a, b) => a.config.seed - b.config.seed);
  const completed = sorted.filter((r) => r.status === 'completed' && r.curve.length > 0);
  const finals = completed.map((r) => r.curve[r.curve.length - 1]!.bits_per_token).filter(Number.isFinite);
  const first = sorted[0]!;
  return {
    epochs,
    seeds: sorted.map((r) => r.config.seed),
    params: first.params,
    flops: trainingFlops(first.params, epochs * first.tokens_per_epoch),
    final_bits: finals.length > 0 ? seedSpread(finals) : null,
    not_completed: sorted.length - completed.length,
    curve: pooledCurve(sorted),
    runs: sorted.map((r) => ({ id: r.id, seed: r.config.seed, status: r.status, params: r.params, curve: r.curve })),
  };
}

/** Whether `later` lies above `low` beyond two standard errors of their difference (any rise with a single seed on either side). */
function risen(later: SeedSpread, low: SeedSpread): boolean {
  const diff = later.mean - low.mean;
  if (later.sd === null || low.sd === null) return diff > 0;
  return diff > 2 * Math.sqrt(later.sd ** 2 / later.n + low.sd ** 2 / low.n);
}

function bestOf(runs: readonly StudyEpochRun[]): StudyBest | null {
  let best: StudyBest | null = null;
  const longest = runs[runs.length - 1];
  for (const run of runs) {
    run.curve.forEach((p, i) => {
      if (best === null || p.bits.mean < best.bits || (p.bits.mean === best.bits && p.flops < best.flops)) {
        best = { bits: p.bits.mean, epoch: p.epoch, run_epochs: run.epochs, flops: p.flops, censored: run === longest && i === run.curve.length - 1 };
      }
    });
  }
  return best;
}

/** The series' done results, per U ascending, runs per E ascending. */
export function budgetsOf(results: readonly StudyCellResult[]): StudyBudget[] {
  const byU = groupBy(results, (r) => r.config.uniqueTokens);
  return [...byU.entries()]
    .sort(([a], [b]) => a - b)
    .map(([uniqueTokens, atU]) => {
      const runs = [...groupBy(atU, (r) => r.config.epochs).entries()].sort(([a], [b]) => a - b).map(([e, rs]) => epochRun(e, rs));
      let minimum: StudyEpochRun | null = null;
      for (const run of runs) if (run.final_bits && (minimum === null || run.final_bits.mean < minimum.final_bits!.mean)) minimum = run;
      const minE = minimum?.epochs ?? null;
      const last = runs.filter((r) => r.final_bits !== null).at(-1);
      return {
        unique_tokens: uniqueTokens,
        runs,
        best: bestOf(runs),
        final_minimum_epochs: minE,
        overfit_epochs: minimum === null ? [] : runs.filter((r) => r.final_bits !== null && r.epochs > minimum.epochs && risen(r.final_bits, minimum.final_bits!)).map((r) => r.epochs),
        overfit_rise: minimum === null || last === undefined ? null : last.final_bits!.mean - minimum.final_bits!.mean,
      };
    });
}
