/**
 * StudyAnalysis — what analyseStudy finds in a data-constrained study's cells
 * (issue 7), as plain data. Keys are snake_case because the object is the
 * study report's results.json as it stands (like StudyCellResult).
 *
 * Units: losses are held-out bits per scored token (AR kinds: exact NLL;
 * diffusion: the MDLM NELBO bound, an upper bound on its NLL); compute is the
 * 6·N·D FLOPs estimate (trainingFlops); U in training tokens; E and epochs in
 * passes over the training windows.
 *
 * Non-finite numbers are real values here: r_d_star.value is Infinity when
 * the data show no diminishing returns, interval ends can be Infinity (and
 * NaN when the bootstrap used no resample). The report's results.json writes
 * them as the strings "Infinity" / "NaN" (see study/report).
 */
import type { StudyEvaluation } from '../cell/runStudyCell.js';
import type { CrossoverStatus } from './crossoverCompute.js';

/** Which side of the crossover comparison a kind is on ('other': a kind neither AR nor diffusion, never paired). */
export type StudyFamily = 'ar' | 'diffusion' | 'other';

/** A config field's value as labels and keys show it. */
export type StudyFieldValue = string | number | boolean | null;

/** Mean and spread of one quantity over seeds; sd is the sample standard deviation (null with one seed). */
export interface SeedSpread {
  mean: number;
  min: number;
  max: number;
  sd: number | null;
  n: number;
}

/** One point of a run's held-out curve, pooled over seeds (same step in every seed: the plan is seed-free). */
export interface StudyCurvePoint {
  step: number;
  epoch: number;
  tokens: number;
  flops: number;
  /** Held-out bits per token over the seeds evaluated at this step. */
  bits: SeedSpread;
  /** Mean over those seeds of bits on training rows. */
  train_bits: number;
}

/** One seed's run as stored. */
export interface StudyRunCurve {
  id: string;
  seed: number;
  /** Training outcome: 'completed', 'early-stopped' or 'diverged'. */
  status: string;
  params: number;
  /** The held-out curve as stored. */
  curve: StudyEvaluation[];
}

/** The runs of one series at one U for E epochs (seeds pooled). */
export interface StudyEpochRun {
  epochs: number;
  seeds: number[];
  /** Parameters (the same for every seed of a series). */
  params: number;
  /** Compute of the whole run: 6·params·E·W·C. */
  flops: number;
  /** The last held-out point of completed runs; null when no seed completed. */
  final_bits: SeedSpread | null;
  /** Seeds that did not complete (diverged or stopped early): their curves are kept, their final point is not. */
  not_completed: number;
  curve: StudyCurvePoint[];
  runs: StudyRunCurve[];
}

/** The lowest seed-mean held-out loss at one (series, U), over every evaluation of every run there. */
export interface StudyBest {
  bits: number;
  /** Epochs trained when it was measured. */
  epoch: number;
  /** E of the run it belongs to. */
  run_epochs: number;
  flops: number;
  /** At the last evaluation of the longest run: still improving, the real optimum may lie beyond (censored). */
  censored: boolean;
}

/** One series at one unique-token budget U. */
export interface StudyBudget {
  unique_tokens: number;
  /** Ascending in E. */
  runs: StudyEpochRun[];
  best: StudyBest | null;
  /** E of the lowest final loss at this U (over completed runs); null without one. */
  final_minimum_epochs: number | null;
  /**
   * E values past that minimum whose final loss has risen above it beyond
   * seed noise (two standard errors of the difference; any rise with one
   * seed): overfitting, left out of the R_D* fit.
   */
  overfit_epochs: number[];
  /**
   * How far the final loss of the longest completed run lies above the lowest
   * final loss, in bits per token (0 when the longest run is the minimum): the
   * size of the overfitting, where overfit_epochs says only when it starts.
   */
  overfit_rise: number | null;
}

/** One point given to (or kept from) the R_D* fit. */
export interface RDStarPoint {
  unique_tokens: number;
  epochs: number;
  /** Mean final held-out bits over seeds. */
  loss: number;
  /** Past the series' minimum at this U: not fitted. */
  dropped: boolean;
}

/** R_D* of one series (fitDataConstrained on its final points); 'insufficient' never carries a number. */
export interface RDStar {
  status: 'fitted' | 'insufficient';
  /** Why not fitted; null when fitted. */
  reason: string | null;
  /** R_D*: Infinity when R = ∞ is not rejected; null when not fitted. */
  value: number | null;
  /** 95% percentile-bootstrap interval (NaN ends when no resample was used). */
  interval: [number, number] | null;
  /** 95% profile-likelihood interval (0 below: unbounded; Infinity above: R = ∞ inside). */
  profile: [number, number] | null;
  diminishing_returns: boolean | null;
  /** Points fitted. */
  n_points: number;
  /** Points left out as overfitting (past the minimum at their U). */
  dropped_points: number;
  /** The least-squares R before the test against R = ∞. */
  best_fit_value: number | null;
  l_inf: number | null;
  b: number | null;
  beta: number | null;
  r2: number | null;
  bootstrap: { resamples: number; used: number; skipped: number; infinite: number; seed: number } | null;
  points: RDStarPoint[];
}

export interface StudySeries {
  /** Canonical JSON of the shared config (every field but uniqueTokens, epochs, seed). */
  key: string;
  /** "ar-orders N=16 · brown-char L2 d64": kind · setting. */
  label: string;
  /** The kind part: model, orders N, nonzero dropouts, other varying model/recipe fields. */
  kind: string;
  model: string;
  family: StudyFamily;
  /** The corpus-and-size part, e.g. "brown-bpe vocab=1024 L2 d64". */
  setting: string;
  /** Canonical JSON of the fields an AR and a diffusion series must share to be compared (data, held-out set, size). */
  setting_key: string;
  corpus: string;
  layers: number;
  d_model: number;
  /** The shared config, as given. */
  config: Record<string, unknown>;
  seeds: number[];
  /** Ascending in U. */
  budgets: StudyBudget[];
  r_d_star: RDStar;
}

/** The crossover at one U of one (AR, diffusion) pair; 'no-overlap' when their compute ranges do not meet. */
export interface StudyCrossing {
  unique_tokens: number;
  status: CrossoverStatus | 'no-overlap';
  /** C_crit in FLOPs; null unless 'crossing'. */
  compute: number | null;
  loss: number | null;
  /** The shared compute range compared; null for 'no-overlap'. */
  range: [number, number] | null;
  /** Diffusion below AR at the start of the shared range (an early lead AR may overturn); null for 'no-overlap'. */
  diffusion_ahead_from_start: boolean | null;
  /** Sign changes of diffusion − AR over the shared range; null for 'no-overlap'. */
  sign_changes: number | null;
}

/** C_crit(U) = a·U^γ by powerLawFit over a pair's crossings; 'insufficient' never carries a number. */
export interface CCritFit {
  status: 'fitted' | 'insufficient';
  reason: string | null;
  a: number | null;
  gamma: number | null;
  /** 95% bootstrap interval of γ. */
  interval: [number, number] | null;
  r2: number | null;
  n_points: number;
}

export interface StudyPair {
  /** Series keys and labels. */
  ar: string;
  ar_label: string;
  diffusion: string;
  diffusion_label: string;
  setting: string;
  /** One per U both series measured, ascending. */
  crossings: StudyCrossing[];
  c_crit: CCritFit;
}

export interface StudyCounts {
  total: number;
  done: number;
  failed: number;
  pending: number;
  running: number;
  /** pending + running: cells of the store not yet done (cells never put in the store are not known here). */
  missing: number;
  /** Done cells whose training diverged or stopped early. */
  not_completed: number;
}

/** The published constants the report sets beside the fitted ones. */
export interface PublishedConstants {
  source: string;
  r_d_star_diffusion: { value: number; range: [number, number] };
  r_d_star_ar: { value: number; earlier_value: number };
  c_crit_gamma: number;
}

export interface StudyAnalysis {
  counts: StudyCounts;
  /** Distinct seeds of all cells. */
  seeds: number[];
  /** Ordered: model kind (ar, ar-orders, diffusion, others), then label. */
  series: StudySeries[];
  pairs: StudyPair[];
  published: PublishedConstants;
  bootstrap: { resamples: number; seed: number };
  /** Caveats in plain sentences: thin evidence, dropped points, censored optima, failed cells. */
  notes: string[];
}
