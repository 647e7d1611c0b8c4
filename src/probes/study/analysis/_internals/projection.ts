/**
 * The least-squares machinery behind fitDataConstrained: variable projection
 * over (R, β) for the model L = L∞ + B·D′(U, E; R)^{−β}.
 *
 * For fixed (R, β) the model is linear in (L∞, B): with xᵢ = (D′ᵢ/D_ref)^{−β}
 * (D_ref = the geometric mean of U, to keep xᵢ near 1), ordinary least squares
 * gives B_ref = Σ(xᵢ − x̄)(yᵢ − ȳ) / Σ(xᵢ − x̄)², L∞ = ȳ − B_ref·x̄, and
 * B = B_ref·D_ref^β. B is constrained to B ≥ 0 (loss falls with data): a
 * negative solution is replaced by B = 0, L∞ = ȳ. RSS(R, β) is then the
 * residual sum of squares at those (L∞, B), computed from the residuals
 * themselves (not Syy − Sxy²/Sxx, which cancels near an exact fit).
 *
 * fitCore minimises RSS(R, β) over θ = (ln R, ln β), clamped to
 * R ∈ [1e-3, 1000·max(1, E_max − 1)] and β ∈ [1e-3, 5]:
 *   1. a grid of 81 ln R × 30 ln β values, evenly spaced;
 *   2. the profile min_β RSS over the ln-R grid; its (up to 3 best) local
 *      minima, and an optional caller's start, seed Nelder–Mead runs on θ;
 *   3. the best of those runs.
 * Bootstrap refits (QUICK_SEARCH) start from the full fit's optimum and
 * the best minimum of a 41 × 15 grid when it lies in another ln-R cell, with
 * a looser tolerance (1e-7 in ln R, ln β) and no Nelder–Mead restart.
 * It also fits the R = ∞ limit (D′ = U·E) over β alone (grid + Nelder–Mead),
 * so the caller can compare the two.
 *
 * The ceiling 1000·(E_max − 1) is where the data stop distinguishing R from
 * ∞: there D′ differs from U·E by at most about (E − 1)/(2R) ≤ 0.05%.
 */
import { repeatValue } from '../effectiveData.js';
import { nelderMead } from './nelderMead.js';

export interface Design {
  n: number;
  y: Float64Array;
  lnU: Float64Array;
  repeats: Float64Array;
  lnRef: number;
  maxRepeats: number;
}

export interface LinearPart {
  lInf: number;
  bRef: number;
  rss: number;
}

export interface PartFit {
  lnR: number;
  beta: number;
  lin: LinearPart;
}

export interface CoreFit {
  finite: PartFit;
  infinite: PartFit;
  bounds: Bounds;
}

export interface Bounds {
  lnRMin: number;
  lnRMax: number;
  lnBetaMin: number;
  lnBetaMax: number;
}

/** How hard fitCore searches: the full fit uses FULL_SEARCH, bootstrap refits QUICK_SEARCH. */
export interface Search {
  rGrid: number;
  betaGrid: number;
  starts: number;
  xTol: number;
  restart: boolean;
}

export const FULL_SEARCH: Search = { rGrid: 81, betaGrid: 30, starts: 3, xTol: 1e-10, restart: true };
export const QUICK_SEARCH: Search = { rGrid: 41, betaGrid: 15, starts: 1, xTol: 1e-7, restart: false };
const BETA_GRID = 30;

export function makeDesign(points: readonly { uniqueTokens: number; epochs: number; loss: number }[]): Design {
  const n = points.length;
  const y = new Float64Array(n);
  const lnU = new Float64Array(n);
  const repeats = new Float64Array(n);
  let lnSum = 0;
  let maxRepeats = 0;
  points.forEach((p, i) => {
    y[i] = p.loss;
    lnU[i] = Math.log(p.uniqueTokens);
    repeats[i] = p.epochs - 1;
    lnSum += lnU[i]!;
    maxRepeats = Math.max(maxRepeats, p.epochs - 1);
  });
  return { n, y, lnU, repeats, lnRef: lnSum / n, maxRepeats };
}

export function boundsOf(d: Design): Bounds {
  return { lnRMin: Math.log(1e-3), lnRMax: Math.log(1000 * Math.max(1, d.maxRepeats)), lnBetaMin: Math.log(1e-3), lnBetaMax: Math.log(5) };
}

/** ln D′ᵢ − ln D_ref for R = e^{lnR} (lnR = ∞ for the R = ∞ limit). */
export function lnEffective(d: Design, lnR: number, out: Float64Array): Float64Array {
  const r = Math.exp(lnR);
  for (let i = 0; i < d.n; i++) out[i] = d.lnU[i]! - d.lnRef + Math.log1p(repeatValue(d.repeats[i]!, r));
  return out;
}

/** Least squares for (L∞, B_ref ≥ 0) at fixed β, given ln D′ − ln D_ref. */
export function solveLinear(d: Design, lnD: Float64Array, beta: number, x: Float64Array): LinearPart {
  const n = d.n;
  let xSum = 0;
  let ySum = 0;
  for (let i = 0; i < n; i++) {
    x[i] = Math.exp(-beta * lnD[i]!);
    xSum += x[i]!;
    ySum += d.y[i]!;
  }
  const xBar = xSum / n;
  const yBar = ySum / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - xBar;
    sxx += dx * dx;
    sxy += dx * (d.y[i]! - yBar);
  }
  let bRef = sxx > 0 ? sxy / sxx : 0;
  if (!(bRef > 0)) bRef = 0;
  const lInf = yBar - bRef * xBar;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (d.y[i]! - lInf - bRef * x[i]!) ** 2;
  return { lInf, bRef, rss };
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** min over β of RSS at fixed ln D′ (grid, then Nelder–Mead on ln β). */
export function bestBeta(d: Design, lnD: Float64Array, bounds: Bounds, x: Float64Array): { beta: number; lin: LinearPart } {
  let bestLnBeta = bounds.lnBetaMin;
  let bestRss = Infinity;
  for (let k = 0; k < BETA_GRID; k++) {
    const lnBeta = bounds.lnBetaMin + ((bounds.lnBetaMax - bounds.lnBetaMin) * k) / (BETA_GRID - 1);
    const rss = solveLinear(d, lnD, Math.exp(lnBeta), x).rss;
    if (rss < bestRss) [bestRss, bestLnBeta] = [rss, lnBeta];
  }
  const f = (t: readonly number[]): number => solveLinear(d, lnD, Math.exp(clamp(t[0]!, bounds.lnBetaMin, bounds.lnBetaMax)), x).rss;
  const m = nelderMead(f, [bestLnBeta], { steps: [0.1], xTol: 1e-11 });
  const beta = Math.exp(clamp(m.x[0]!, bounds.lnBetaMin, bounds.lnBetaMax));
  return { beta, lin: solveLinear(d, lnD, beta, x) };
}

export function fitCore(d: Design, search: Search = FULL_SEARCH, extraStart?: { lnR: number; lnBeta: number }): CoreFit {
  const R_GRID = search.rGrid;
  const bounds = boundsOf(d);
  const lnD = new Float64Array(d.n);
  const x = new Float64Array(d.n);
  const lnRs: number[] = [];
  const profile: { rss: number; lnBeta: number }[] = [];
  for (let j = 0; j < R_GRID; j++) {
    const lnR = bounds.lnRMin + ((bounds.lnRMax - bounds.lnRMin) * j) / (R_GRID - 1);
    lnRs.push(lnR);
    lnEffective(d, lnR, lnD);
    let best = { rss: Infinity, lnBeta: bounds.lnBetaMin };
    for (let k = 0; k < search.betaGrid; k++) {
      const lnBeta = bounds.lnBetaMin + ((bounds.lnBetaMax - bounds.lnBetaMin) * k) / (search.betaGrid - 1);
      const rss = solveLinear(d, lnD, Math.exp(lnBeta), x).rss;
      if (rss < best.rss) best = { rss, lnBeta };
    }
    profile.push(best);
  }
  const minima: number[] = [];
  for (let j = 0; j < R_GRID; j++) {
    const here = profile[j]!.rss;
    const left = j > 0 ? profile[j - 1]!.rss : Infinity;
    const right = j < R_GRID - 1 ? profile[j + 1]!.rss : Infinity;
    if (here <= left && here <= right) minima.push(j);
  }
  minima.sort((a, b) => profile[a]!.rss - profile[b]!.rss);
  const starts = minima.slice(0, search.starts).map((j) => [lnRs[j]!, profile[j]!.lnBeta]);
  if (extraStart) {
    const spacing = (bounds.lnRMax - bounds.lnRMin) / (R_GRID - 1);
    const separate = starts.filter((s) => Math.abs(s[0]! - extraStart.lnR) > spacing);
    starts.splice(0, starts.length, [extraStart.lnR, extraStart.lnBeta], ...separate);
  }

  const at = (t: readonly number[]): { lnR: number; beta: number } => ({
    lnR: clamp(t[0]!, bounds.lnRMin, bounds.lnRMax),
    beta: Math.exp(clamp(t[1]!, bounds.lnBetaMin, bounds.lnBetaMax)),
  });
  const f = (t: readonly number[]): number => {
    const p = at(t);
    return solveLinear(d, lnEffective(d, p.lnR, lnD), p.beta, x).rss;
  };
  let best: { x: number[]; f: number } = { x: starts[0]!, f: Infinity };
  for (const s of starts) {
    const m = nelderMead(f, s, { steps: [0.5, 0.2], xTol: search.xTol, restart: search.restart });
    if (m.f < best.f) best = m;
  }
  const p = at(best.x);
  const finite: PartFit = { lnR: p.lnR, beta: p.beta, lin: solveLinear(d, lnEffective(d, p.lnR, lnD), p.beta, x) };
  const inf = bestBeta(d, lnEffective(d, Infinity, lnD), bounds, x);
  return { finite, infinite: { lnR: Infinity, beta: inf.beta, lin: inf.lin }, bounds };
}

/** The profile RSS at ln R: min over β (for the profile-likelihood interval). */
export function profileRss(d: Design, lnR: number, bounds: Bounds): number {
  const lnD = lnEffective(d, lnR, new Float64Array(d.n));
  return bestBeta(d, lnD, bounds, new Float64Array(d.n)).lin.rss;
}
