/**
 * The headline experiment of the SDE module: how sample quality degrades with
 * the score error ε and the step size h = T/N, against the shape of the
 * convergence bound of Chen et al. 2023 ("Sampling is as easy as learning the
 * score", Thm 2), for an OU-type forward process, L-Lipschitz score and
 * L2 score error ε:
 *
 *   TV(p̂, p0) ≲ √KL(p0‖γ)·e^{−T} + (L√(d h) + L·m2·h)·√T + ε·√T.
 *
 * For every (ε, N) on the grid the chosen sampler runs (seeded, n particles)
 * with the approximate score `approxScore(ε)` and the result is compared with
 * a fresh sample of p0: sliced W1, unbiased RBF-MMD², and the errors of the
 * mean and covariance.
 *
 * Only the SHAPE of the bound is compared, not its value: the bound is on TV
 * with unspecified constants and its hypotheses (OU process, Lipschitz score)
 * are not those of every schedule, while the measured quantity is sliced W1.
 * With T fixed over the grid, the e^{−T} term is a constant, so the measured
 * sw1 is fitted by non-negative least squares to
 *
 *   sw1 ≈ c0 + c_ε·ε√T + c_√h·√(d h)·√T + c_h·h·√T,
 *
 * (c_√h standing for L, c_h for L·m2), with ε the *realised* L2 score error
 * (√ of the Δt-weighted mean over the grid of E_{p_t}‖ŝ − ∇log p_t‖², measured
 * with the exact score; it equals the nominal ε when ŝ = ∇log p_t + ε·u, ‖u‖ = 1).
 * The fitted constants and R² are reported; T is the integrated horizon
 * schedule.T − schedule.tMin.
 */
import type { Schedule } from './schedules/Schedule.js';
import type { Score } from './scores/Score.js';
import { NormalSampler, rngFromSeed } from './_internals/random.js';
import type { GridKind, SamplerOptions, SamplerResult } from './samplers/common.js';
import { resolveGrid } from './samplers/common.js';
import { eulerMaruyama } from './samplers/eulerMaruyama.js';
import { predictorCorrector } from './samplers/predictorCorrector.js';
import { heun } from './samplers/heun.js';
import { ddpmAncestral } from './samplers/ddpmAncestral.js';
import { momentErrors, sampleCov, sampleMean } from './metrics/moments.js';
import { slicedWasserstein1 } from './metrics/slicedWasserstein.js';
import { mmdRbf } from './metrics/mmd.js';

export type SamplerName = 'euler-maruyama' | 'predictor-corrector' | 'heun' | 'ddpm';

export const samplers: Record<SamplerName, (schedule: Schedule, score: Score, opts: SamplerOptions) => SamplerResult> = {
  'euler-maruyama': eulerMaruyama,
  'predictor-corrector': predictorCorrector,
  heun,
  ddpm: ddpmAncestral,
};

export interface ErrorSweepConfig {
  schedule: Schedule;
  /** n independent draws of p0, [n, dim], from the seed. */
  sampleP0: (n: number, seed: number) => Float64Array;
  /** The exact score ∇log p_t (used to measure the realised score error). */
  exactScore: () => Score;
  /** The approximate score at nominal error ε. */
  approxScore: (eps: number) => Score;
  eps: readonly number[];
  steps: readonly number[];
  sampler?: SamplerName;
  grid?: GridKind;
  /** Particles per run. */
  n: number;
  seed: number;
  /** Mean and covariance of p0 (row-major); estimated from the reference sample when absent. */
  p0Mean?: ArrayLike<number>;
  p0Cov?: ArrayLike<number>;
  /** Directions of the sliced W1 (default 64). */
  swDirections?: number;
  /** Points of each sample used by the MMD (default 1,000). */
  mmdMaxPoints?: number;
  /** Points per grid time used to measure the realised score error (default 512). */
  scoreErrorPoints?: number;
}

export interface ErrorSweepRow {
  eps: number;
  /** Realised L2 score error along the grid. */
  epsL2: number;
  steps: number;
  /** Mean step size (T − tMin)/N. */
  h: number;
  sw1: number;
  mmd: number;
  meanError: number;
  covError: number;
  /** The bound's terms without constants: ε√T, √(d h)·√T, h·√T. */
  terms: { eps: number; sqrtH: number; h: number };
  /** The fitted bound shape c0 + c_ε·ε√T + c_√h·√(dh)√T + c_h·h√T at this row. */
  bound: number;
}

export interface BoundFit {
  c0: number;
  cEps: number;
  cSqrtH: number;
  cH: number;
  /** Coefficient of determination of the fit to sw1 over the grid. */
  r2: number;
}

export interface ErrorSweepResult {
  rows: ErrorSweepRow[];
  fit: BoundFit;
  T: number;
  dim: number;
  note: string;
}

const NOTE =
  'Only the shape of the Chen et al. (2023) TV bound is compared: its terms in ε√T, √(dh)√T and h√T (plus a constant for e^{−T}) ' +
  'are fitted with non-negative constants by least squares to the measured sliced W1; the bound itself is on TV and its constants are not claimed.';

/** Realised √(Σ_k Δt_k·E‖ŝ(x, t_k) − s(x, t_k)‖² / Σ Δt_k), x = a(t_k)x0 + s(t_k)z. */
function realisedScoreError(cfg: ErrorSweepConfig, grid: Float64Array, approx: Score, exact: Score, m: number): number {
  const dim = exact.dim;
  const normal = new NormalSampler(rngFromSeed(cfg.seed + 7919));
  const x = new Float64Array(m * dim);
  const s1 = new Float64Array(m * dim);
  const s2 = new Float64Array(m * dim);
  let acc = 0;
  let wsum = 0;
  for (let k = 0; k < grid.length - 1; k++) {
    const t = grid[k]!;
    const w = t - grid[k + 1]!;
    const x0 = cfg.sampleP0(m, cfg.seed + 104729 + k);
    const a = cfg.schedule.mean(t);
    const sd = cfg.schedule.std(t);
    for (let i = 0; i < x.length; i++) x[i] = a * x0[i]! + sd * normal.next();
    approx.evaluate(x, m, t, s1);
    exact.evaluate(x, m, t, s2);
    let e = 0;
    for (let i = 0; i < x.length; i++) e += (s1[i]! - s2[i]!) ** 2;
    acc += (w * e) / m;
    wsum += w;
  }
  return Math.sqrt(acc / wsum);
}

/** Least squares y ≈ Σ_j β_j X_j over the chosen columns (normal equations, Gaussian elimination); null if singular. */
function leastSquares(X: number[][], y: number[], cols: number[]): number[] | null {
  const p = cols.length;
  const A = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  for (let r = 0; r < y.length; r++) {
    const row = X[r]!;
    for (let i = 0; i < p; i++) {
      const xi = row[cols[i]!]!;
      for (let j = 0; j < p; j++) A[i]![j]! += xi * row[cols[j]!]!;
      A[i]![p]! += xi * y[r]!;
    }
  }
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[piv]![c]!)) piv = r;
    const scale = Math.max(1e-300, ...A.map((r) => Math.abs(r[c]!)));
    if (Math.abs(A[piv]![c]!) < 1e-12 * scale) return null;
    [A[c], A[piv]] = [A[piv]!, A[c]!];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let j = c; j <= p; j++) A[r]![j]! -= f * A[c]![j]!;
    }
  }
  return A.map((r, i) => r[p]! / r[i]!);
}

/**
 * Non-negative least squares for a handful of columns, exactly: the NNLS
 * solution is the unconstrained least-squares solution on some subset of
 * columns (its active set), so every subset is tried and the best one with
 * non-negative coefficients kept (2^p subsets, p = 4 here).
 */
export function nnlsSmall(X: number[][], y: number[]): { beta: number[]; ssr: number } {
  const p = X[0]?.length ?? 0;
  let best = { beta: new Array<number>(p).fill(0), ssr: y.reduce((s, v) => s + v * v, 0) };
  for (let mask = 1; mask < 1 << p; mask++) {
    const cols: number[] = [];
    for (let j = 0; j < p; j++) if (mask & (1 << j)) cols.push(j);
    const b = leastSquares(X, y, cols);
    if (b === null || b.some((v) => !(v >= 0))) continue;
    const beta = new Array<number>(p).fill(0);
    cols.forEach((c, i) => (beta[c] = b[i]!));
    let ssr = 0;
    for (let r = 0; r < y.length; r++) {
      let pred = 0;
      for (let j = 0; j < p; j++) pred += beta[j]! * X[r]![j]!;
      ssr += (y[r]! - pred) ** 2;
    }
    if (ssr < best.ssr - 1e-15 * best.ssr) best = { beta, ssr };
  }
  return best;
}

export function errorSweep(cfg: ErrorSweepConfig): ErrorSweepResult {
  const { schedule, n, seed } = cfg;
  const sampler = samplers[cfg.sampler ?? 'euler-maruyama'];
  const exact = cfg.exactScore();
  const dim = exact.dim;
  const T = schedule.T - schedule.tMin;
  const ref = cfg.sampleP0(n, seed + 1);
  if (ref.length !== n * dim) throw new RangeError(`errorSweep: sampleP0 returned ${ref.length} entries, expected n·dim = ${n * dim}`);
  const mean = cfg.p0Mean ?? sampleMean(ref, n, dim);
  const cov = cfg.p0Cov ?? sampleCov(ref, n, dim);
  const swDirections = cfg.swDirections ?? 64;
  const mmdMaxPoints = cfg.mmdMaxPoints ?? 1000;
  const m = cfg.scoreErrorPoints ?? 512;

  const rows: ErrorSweepRow[] = [];
  for (const eps of cfg.eps) {
    const approx = cfg.approxScore(eps);
    if (approx.dim !== dim) throw new RangeError(`errorSweep: approxScore(${eps}).dim = ${approx.dim}, expected ${dim}`);
    for (const steps of cfg.steps) {
      const opts: SamplerOptions = { steps, seed, n, grid: cfg.grid ?? 'uniform' };
      const grid = resolveGrid(schedule, opts);
      // The same seed in every cell: common random numbers make differences between cells mostly signal.
      const out = sampler(schedule, approx, opts);
      const mo = momentErrors(out.x, n, dim, mean, cov);
      const h = T / steps;
      const epsL2 = realisedScoreError(cfg, grid, approx, exact, m);
      rows.push({
        eps,
        epsL2,
        steps,
        h,
        sw1: slicedWasserstein1(out.x, n, ref, n, dim, { directions: swDirections, seed: seed + 2 }),
        mmd: mmdRbf(out.x, n, ref, n, dim, { maxPoints: mmdMaxPoints }).mmd2,
        meanError: mo.meanError,
        covError: mo.covError,
        terms: { eps: epsL2 * Math.sqrt(T), sqrtH: Math.sqrt(dim * h) * Math.sqrt(T), h: h * Math.sqrt(T) },
        // Filled in once the constants are fitted over the whole grid.
        bound: 0,
      });
    }
  }

  const X = rows.map((r) => [1, r.terms.eps, r.terms.sqrtH, r.terms.h]);
  const y = rows.map((r) => r.sw1);
  const { beta, ssr } = nnlsSmall(X, y);
  const [c0, cEps, cSqrtH, cH] = [beta[0]!, beta[1]!, beta[2]!, beta[3]!];
  for (const r of rows) r.bound = c0 + cEps * r.terms.eps + cSqrtH * r.terms.sqrtH + cH * r.terms.h;
  const ybar = y.reduce((s, v) => s + v, 0) / Math.max(1, y.length);
  const sst = y.reduce((s, v) => s + (v - ybar) ** 2, 0);
  const r2 = sst > 0 ? 1 - ssr / sst : ssr === 0 ? 1 : 0;
  return { rows, fit: { c0, cEps, cSqrtH, cH, r2 }, T, dim, note: NOTE };
}
