/**
 * The study's two fits, each refused (status 'insufficient' with the reason)
 * rather than forced when the evidence is too thin.
 *
 * rDStarOf: fitDataConstrained on one series' final points (U, E, mean final
 * held-out bits over completed seeds). Points past the series' minimum at
 * their U (overfitting: loss rising with E) are dropped and counted. Needs
 * ≥ 5 kept points (4 parameters: R, L∞, B, β), some with E > 1, and not all
 * equal.
 *
 * pairOf: for one AR-family and one diffusion series of the same setting, at
 * each U both measured, crossoverCompute on every seed-mean evaluation
 * (flops, bits) of every run at that U (both curves as best-so-far
 * envelopes); 'no-overlap' when the compute ranges do not meet. Then
 * C_crit(U) = a·U^γ by powerLawFit over the crossings, when there are ≥ 2 at
 * distinct U.
 */
import { crossoverCompute, type ComputePoint } from '../crossoverCompute.js';
import { fitDataConstrained } from '../fitDataConstrained.js';
import { powerLawFit } from '../powerLawFit.js';
import { StudyAnalysisError } from '../StudyAnalysisError.js';
import type { CCritFit, RDStar, RDStarPoint, StudyBudget, StudyCrossing, StudyPair, StudySeries } from '../analyseStudyTypes.js';

/** Points the R_D* fit needs: one per parameter (R, L∞, B, β) plus one. */
export const MIN_FIT_POINTS = 5;

export interface FitOptions {
  resamples: number;
  seed: number;
}

function insufficientRDStar(reason: string, points: RDStarPoint[], kept: number, dropped: number): RDStar {
  return {
    status: 'insufficient', reason, value: null, interval: null, profile: null, diminishing_returns: null, n_points: kept, dropped_points: dropped,
    best_fit_value: null, l_inf: null, b: null, beta: null, r2: null, bootstrap: null, points,
  };
}

export function rDStarOf(budgets: readonly StudyBudget[], options: FitOptions): RDStar {
  const points: RDStarPoint[] = budgets.flatMap((b) =>
    b.runs.flatMap((r) => (r.final_bits === null ? [] : [{ unique_tokens: b.unique_tokens, epochs: r.epochs, loss: r.final_bits.mean, dropped: b.overfit_epochs.includes(r.epochs) }])),
  );
  const kept = points.filter((p) => !p.dropped);
  const dropped = points.length - kept.length;
  const droppedText = dropped > 0 ? ` after dropping ${dropped} past the overfitting minimum` : '';
  if (kept.length < MIN_FIT_POINTS) {
    return insufficientRDStar(`${kept.length} final point${kept.length === 1 ? '' : 's'}${droppedText}; the fit needs ≥ ${MIN_FIT_POINTS} (R, L∞, B, β)`, points, kept.length, dropped);
  }
  if (!kept.some((p) => p.epochs > 1)) return insufficientRDStar('every kept point has E = 1: repeats were never measured, R is not identifiable', points, kept.length, dropped);
  if (kept.every((p) => p.loss === kept[0]!.loss)) return insufficientRDStar('every kept loss is equal: nothing to fit', points, kept.length, dropped);
  try {
    const fit = fitDataConstrained(kept.map((p) => ({ uniqueTokens: p.unique_tokens, epochs: p.epochs, loss: p.loss })), options);
    return {
      status: 'fitted', reason: null, value: fit.rStar, interval: fit.interval.rStar, profile: fit.interval.profile, diminishing_returns: fit.diminishingReturns,
      n_points: fit.n, dropped_points: dropped, best_fit_value: fit.rStarBestFit, l_inf: fit.lInf, b: fit.b, beta: fit.beta, r2: fit.r2, bootstrap: fit.bootstrap, points,
    };
  } catch (error) {
    if (error instanceof StudyAnalysisError) return insufficientRDStar(error.message, points, kept.length, dropped);
    throw error;
  }
}

/** Every seed-mean evaluation of every run at one budget, as compute points. */
function computePoints(budget: StudyBudget): ComputePoint[] {
  return budget.runs.flatMap((r) => r.curve.filter((p) => p.flops > 0 && Number.isFinite(p.bits.mean)).map((p) => ({ flops: p.flops, loss: p.bits.mean })));
}

function crossingAt(ar: StudyBudget, diffusion: StudyBudget): StudyCrossing {
  const u = ar.unique_tokens;
  const a = computePoints(ar);
  const d = computePoints(diffusion);
  if (a.length === 0 || d.length === 0) return { unique_tokens: u, status: 'no-overlap', compute: null, loss: null, range: null, diffusion_ahead_from_start: null, sign_changes: null };
  try {
    const c = crossoverCompute(a, d);
    return { unique_tokens: u, status: c.status, compute: c.compute, loss: c.loss, range: c.range, diffusion_ahead_from_start: c.diffusionAheadFromStart, sign_changes: c.signChanges };
  } catch (error) {
    if (error instanceof StudyAnalysisError) return { unique_tokens: u, status: 'no-overlap', compute: null, loss: null, range: null, diffusion_ahead_from_start: null, sign_changes: null };
    throw error;
  }
}

const uList = (us: readonly number[]): string => us.map((u) => String(u)).join(', ');

function cCritOf(crossings: readonly StudyCrossing[], options: FitOptions): CCritFit {
  const found = crossings.filter((c) => c.status === 'crossing' && c.compute !== null);
  const none = (reason: string): CCritFit => ({ status: 'insufficient', reason, a: null, gamma: null, interval: null, r2: null, n_points: found.length });
  if (found.length === 0) {
    const count = (s: StudyCrossing['status']): number[] => crossings.filter((c) => c.status === s).map((c) => c.unique_tokens);
    const parts = [
      count('never').length > 0 ? `diffusion not below AR's best at the end of the measured compute at U = ${uList(count('never'))}` : '',
      count('diffusion-ahead-from-start').length > 0 ? `diffusion ahead over the whole shared compute range at U = ${uList(count('diffusion-ahead-from-start'))} (C_crit below the measured range)` : '',
      count('no-overlap').length > 0 ? `no shared compute range at U = ${uList(count('no-overlap'))}` : '',
    ].filter((p) => p !== '');
    return none(crossings.length === 0 ? 'no U measured by both series' : `no crossing in the measured range: ${parts.join('; ')}`);
  }
  if (new Set(found.map((c) => c.unique_tokens)).size < 2) return none(`one crossing (U = ${found[0]!.unique_tokens}); a power law needs crossings at ≥ 2 values of U`);
  const fit = powerLawFit(found.map((c) => ({ x: c.unique_tokens, y: c.compute! })), options);
  return { status: 'fitted', reason: null, a: fit.a, gamma: fit.gamma, interval: fit.interval.gamma, r2: fit.r2, n_points: fit.n };
}

export function pairOf(ar: StudySeries, diffusion: StudySeries, options: FitOptions): StudyPair {
  const dAt = new Map(diffusion.budgets.map((b) => [b.unique_tokens, b]));
  const crossings = ar.budgets.flatMap((b) => {
    const d = dAt.get(b.unique_tokens);
    return d ? [crossingAt(b, d)] : [];
  });
  return {
    ar: ar.key, ar_label: ar.label, diffusion: diffusion.key, diffusion_label: diffusion.label, setting: ar.setting,
    crossings, c_crit: cCritOf(crossings, options),
  };
}
