/**
 * fitDataConstrained — R_D* for one model kind and size, from validation
 * losses at several unique-token budgets U and epoch counts E (Muennighoff et
 * al. 2023; Prabhudesai et al. 2025):
 *
 *   L(U, E) = L∞ + B / D′(U, E)^β,   D′ = U + U·R·(1 − e^{−(E−1)/R})
 *
 * Method (_internals/projection.ts): least squares by variable projection.
 * For fixed (R, β) the model is linear in (L∞, B ≥ 0), solved exactly; the
 * residual sum of squares RSS(R, β) is minimised over (ln R, ln β) by a grid
 * (81 × 30) followed by Nelder–Mead from the grid profile's best local minima.
 * R is searched in [1e-3, 1000·(E_max − 1)], β in [1e-3, 5].
 *
 * R = ∞ (no diminishing returns: D′ = U·E) is fitted too, and is the answer
 * unless the data reject it. With Gaussian noise of unknown variance the
 * likelihood-ratio statistic is Λ = n·ln(RSS_∞ / RSS_R̂); diminishing returns
 * are shown when R̂ is below the ceiling, RSS_R̂ < RSS_∞, and Λ > χ²₁(0.95) =
 * 3.84. Otherwise rStar = Infinity (never a huge finite number) and the
 * profile interval's lower end is the honest lower bound on R. RSS values
 * under the rounding floor n·(16·ε·max|L|)² count as that floor, so exact
 * data do not produce spurious ratios.
 *
 * Intervals, both 95%:
 *   interval.rStar    percentile bootstrap: resample the points with
 *                     replacement (seeded SeededRandom stream 'dataConstrained'),
 *                     refit with the same rule; its upper end is Infinity when
 *                     more than 2.5% of refits see no diminishing returns.
 *                     Resamples with < 5 distinct points, no E > 1, or equal
 *                     losses are skipped (counted in bootstrap.skipped).
 *   interval.profile  profile likelihood: the R with
 *                     n·ln(RSS_prof(R)/RSS_min) ≤ 3.84, RSS_prof(R) = min over
 *                     (L∞, B, β); found by stepping ln R by 0.25 from R̂ and
 *                     bisecting; 0 when unbounded below, Infinity when R = ∞
 *                     is inside.
 *
 * Points past a kind's overfitting minimum (loss rising with E) are not
 * described by this monotone form; the caller decides whether to drop them.
 */
import { StudyAnalysisError } from './StudyAnalysisError.js';
import { bootstrapOptions, resampleIndices, streamFor } from './_internals/bootstrap.js';
import { FULL_SEARCH, QUICK_SEARCH, fitCore, makeDesign, profileRss } from './_internals/projection.js';
import type { CoreFit, Design } from './_internals/projection.js';
import { CHI2_1_95, LOWER_P, UPPER_P, percentile } from './_internals/stats.js';

export interface DataConstrainedPoint {
  uniqueTokens: number;
  epochs: number;
  loss: number;
}

export interface DataConstrainedOptions {
  /** Bootstrap resamples; default 200, 0 skips the bootstrap. */
  resamples?: number;
  /** Seed of the bootstrap stream; default 0. */
  seed?: number;
}

export interface DataConstrainedFit {
  /** R_D*; Infinity when the data show no diminishing returns. */
  rStar: number;
  /** The least-squares R before the test against R = ∞ (Infinity at the ceiling). */
  rStarBestFit: number;
  /** Whether R = ∞ is rejected at 95% (then rStar is finite). */
  diminishingReturns: boolean;
  lInf: number;
  b: number;
  beta: number;
  rss: number;
  r2: number;
  n: number;
  /** 95% intervals for R: bootstrap ([NaN, NaN] with no resamples used) and profile likelihood (header). */
  interval: { rStar: [number, number]; profile: [number, number] };
  bootstrap: { resamples: number; used: number; skipped: number; infinite: number; seed: number };
}

const MIN_POINTS = 5;
const STEP = 0.25;
const BISECTIONS = 40;

export function fitDataConstrained(points: readonly DataConstrainedPoint[], options: DataConstrainedOptions = {}): DataConstrainedFit {
  const { resamples, seed } = bootstrapOptions(options);
  validate(points);
  const d = makeDesign(points);
  const core = fitCore(d, FULL_SEARCH);
  const decision = decide(d, core);
  const chosen = decision.rStar === Infinity ? core.infinite : core.finite;
  const ssTot = sumSquares(d.y);

  const rng = streamFor(seed, 'dataConstrained');
  const draws: number[] = [];
  let skipped = 0;
  const start = { lnR: core.finite.lnR, lnBeta: Math.log(core.finite.beta) };
  for (let r = 0; r < resamples; r++) {
    const idx = resampleIndices(d.n, rng);
    const sample = idx.map((i) => points[i]!);
    if (new Set(idx).size < MIN_POINTS || !sample.some((p) => p.epochs > 1) || sample.every((p) => p.loss === sample[0]!.loss)) {
      skipped++;
      continue;
    }
    const ds = makeDesign(sample);
    draws.push(decide(ds, fitCore(ds, QUICK_SEARCH, start)).rStar);
  }
  draws.sort((a, b) => a - b);
  const bootInterval: [number, number] = draws.length > 0 ? [percentile(draws, LOWER_P), percentile(draws, UPPER_P)] : [NaN, NaN];

  return {
    rStar: decision.rStar,
    rStarBestFit: decision.bestFit,
    diminishingReturns: decision.rStar !== Infinity,
    lInf: chosen.lin.lInf,
    b: chosen.lin.bRef * Math.exp(chosen.beta * d.lnRef),
    beta: chosen.beta,
    rss: chosen.lin.rss,
    r2: 1 - chosen.lin.rss / ssTot,
    n: d.n,
    interval: { rStar: bootInterval, profile: profileInterval(d, core, decision) },
    bootstrap: { resamples, used: draws.length, skipped, infinite: draws.filter((v) => v === Infinity).length, seed },
  };
}

function validate(points: readonly DataConstrainedPoint[]): void {
  if (points.length < MIN_POINTS) {
    throw new StudyAnalysisError(`fitDataConstrained needs ≥ ${MIN_POINTS} points (4 parameters: R, L∞, B, β); got ${points.length}`);
  }
  points.forEach((p, i) => {
    if (!(p.uniqueTokens > 0 && Number.isFinite(p.uniqueTokens))) throw new StudyAnalysisError(`point ${i}: uniqueTokens = ${p.uniqueTokens}, must be finite and > 0`);
    if (!(p.epochs >= 1 && Number.isFinite(p.epochs))) throw new StudyAnalysisError(`point ${i}: epochs = ${p.epochs}, must be finite and ≥ 1`);
    if (!(p.loss > 0 && Number.isFinite(p.loss))) throw new StudyAnalysisError(`point ${i}: loss = ${p.loss}, must be finite and > 0`);
  });
  if (!points.some((p) => p.epochs > 1)) throw new StudyAnalysisError('R is not identifiable: every point has epochs = 1; include repeated epochs');
  if (points.every((p) => p.loss === points[0]!.loss)) throw new StudyAnalysisError('every loss is equal; nothing to fit');
}

function sumSquares(y: Float64Array): number {
  let m = 0;
  for (const v of y) m += v;
  m /= y.length;
  let s = 0;
  for (const v of y) s += (v - m) ** 2;
  return s;
}

function rssFloor(d: Design): number {
  let maxAbs = 0;
  for (const v of d.y) maxAbs = Math.max(maxAbs, Math.abs(v));
  return d.n * (16 * Number.EPSILON * maxAbs) ** 2;
}

interface Decision {
  rStar: number;
  bestFit: number;
  rssMin: number;
}

function decide(d: Design, core: CoreFit): Decision {
  const floor = rssFloor(d);
  const fin = Math.max(core.finite.lin.rss, floor);
  const inf = Math.max(core.infinite.lin.rss, floor);
  const atCeiling = core.finite.lnR >= core.bounds.lnRMax - 1e-6;
  const bestFit = atCeiling || inf <= fin ? Infinity : Math.exp(core.finite.lnR);
  const rejected = bestFit !== Infinity && d.n * Math.log(inf / fin) > CHI2_1_95;
  return { rStar: rejected ? bestFit : Infinity, bestFit, rssMin: Math.min(fin, inf) };
}

function profileInterval(d: Design, core: CoreFit, decision: Decision): [number, number] {
  const { bounds } = core;
  const cut = decision.rssMin * Math.exp(CHI2_1_95 / d.n);
  const floor = rssFloor(d);
  const outside = (lnR: number): boolean => Math.max(profileRss(d, lnR, bounds), floor) > cut;
  const centre: number = decision.bestFit === Infinity ? bounds.lnRMax : core.finite.lnR;
  const edge = (dir: -1 | 1): number | null => {
    const limit = dir < 0 ? bounds.lnRMin : bounds.lnRMax;
    let inside = centre;
    for (;;) {
      const next = dir < 0 ? Math.max(limit, inside - STEP) : Math.min(limit, inside + STEP);
      if (next === inside) return null;
      if (outside(next)) {
        let [a, b] = [inside, next];
        for (let k = 0; k < BISECTIONS; k++) {
          const m = (a + b) / 2;
          if (outside(m)) b = m;
          else a = m;
        }
        return Math.exp(a);
      }
      inside = next;
    }
  };
  const lo = edge(-1);
  const hi = decision.bestFit === Infinity ? null : edge(1);
  return [lo ?? 0, hi ?? Infinity];
}
