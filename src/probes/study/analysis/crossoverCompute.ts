/**
 * crossoverCompute — C_crit at one unique-token budget U: the training
 * compute beyond which masked diffusion's best loss so far stays below
 * autoregression's (Prabhudesai et al. 2025).
 *
 * For each kind, points (C, L) are sorted by C and replaced by the running
 * minimum m(C) = min{ L_j : C_j ≤ C } (best so far: a longer run could have
 * stopped early). Equal C keep the smaller value. Between points the curve
 * is piecewise linear in log₁₀ C:
 *   m(C) = m_a + (m_b − m_a)·(log C − log C_a)/(log C_b − log C_a),  C_a ≤ C ≤ C_b.
 * Both curves are compared only on the compute range they share,
 * [max(first C), min(last C)]. The gap g(C) = m_diff(C) − m_ar(C) is piecewise
 * linear in log C with breakpoints at both kinds' C; C_crit is where the
 * last stretch with g < 0 that reaches the end of the range begins, at the
 * root of the segment that enters it:
 *   log C_crit = log C_a + (log C_b − log C_a)·g_a/(g_a − g_b),  g_a ≥ 0 > g_b.
 * "Last", not "first": near initialisation both losses sit near log₂ V and
 * the bound can dip under AR's NLL for a moment before AR pulls ahead; that
 * early lead is not the crossover the claim is about.
 *
 * status:
 *   'crossing'                    diffusion overtakes AR at `compute` and stays ahead
 *                                 to the end of the shared range
 *   'never'                       diffusion is not below AR at the end of the shared
 *                                 range (it may have led briefly: diffusionAheadFromStart)
 *   'diffusion-ahead-from-start'  diffusion is below AR on the whole shared range:
 *                                 C_crit ≤ range[0] (unobserved), so `compute` is null
 * signChanges counts how often g changes sign in the range (more than 1: the
 * curves cross back and forth; read C_crit with care).
 */
import { StudyAnalysisError } from './StudyAnalysisError.js';

export interface ComputePoint {
  flops: number;
  loss: number;
}

export type CrossoverStatus = 'crossing' | 'never' | 'diffusion-ahead-from-start';

export interface Crossover {
  /** C_crit in FLOPs; null unless status is 'crossing'. */
  compute: number | null;
  /** The common best-so-far loss at C_crit; null unless 'crossing'. */
  loss: number | null;
  status: CrossoverStatus;
  /** Diffusion below AR at the start of the shared range (whatever happens later). */
  diffusionAheadFromStart: boolean;
  /** Sign changes of g = diffusion − AR over the shared range (a touch at 0 is not a change). */
  signChanges: number;
  /** The shared compute range [lo, hi] compared. */
  range: [number, number];
}

export function crossoverCompute(ar: readonly ComputePoint[], diffusion: readonly ComputePoint[]): Crossover {
  const a = bestSoFar(ar, 'ar');
  const m = bestSoFar(diffusion, 'diffusion');
  const lo = Math.max(a[0]!.x, m[0]!.x);
  const hi = Math.min(a[a.length - 1]!.x, m[m.length - 1]!.x);
  if (lo > hi) {
    throw new StudyAnalysisError(`the AR and diffusion curves share no compute range (AR ends at ${10 ** a[a.length - 1]!.x}, diffusion at ${10 ** m[m.length - 1]!.x} FLOPs)`);
  }
  const range: [number, number] = [10 ** lo, 10 ** hi];
  const xs = [...new Set([lo, hi, ...a.map((p) => p.x), ...m.map((p) => p.x)])].filter((x) => x >= lo && x <= hi).sort((p, q) => p - q);
  const gap = (x: number): number => at(m, x) - at(a, x);
  const gaps = xs.map(gap);
  const aheadFromStart = gaps[0]! < 0;
  let signChanges = 0;
  let sign = Math.sign(gaps[0]!);
  for (const g of gaps) {
    if (g !== 0 && Math.sign(g) !== sign) {
      if (sign !== 0) signChanges += 1;
      sign = Math.sign(g);
    }
  }
  const common = { diffusionAheadFromStart: aheadFromStart, signChanges, range };
  if (!(gaps[gaps.length - 1]! < 0)) return { compute: null, loss: null, status: 'never', ...common };
  // The last knot where diffusion was not ahead; the crossing lies in the segment after it.
  let k = gaps.length - 1;
  while (k >= 0 && gaps[k]! < 0) k--;
  if (k < 0) return { compute: null, loss: null, status: 'diffusion-ahead-from-start', ...common };
  const [xa, xb, ga, gb] = [xs[k]!, xs[k + 1]!, gaps[k]!, gaps[k + 1]!];
  const x = xa + ((xb - xa) * ga) / (ga - gb);
  return { compute: 10 ** x, loss: at(a, x), status: 'crossing', ...common };
}

interface Knot {
  x: number;
  y: number;
}

function bestSoFar(points: readonly ComputePoint[], kind: string): Knot[] {
  if (points.length === 0) throw new StudyAnalysisError(`crossoverCompute: the ${kind} curve has no points`);
  points.forEach((p, i) => {
    if (!(p.flops > 0 && Number.isFinite(p.flops))) throw new StudyAnalysisError(`${kind} point ${i}: flops = ${p.flops}, must be finite and > 0`);
    if (!Number.isFinite(p.loss)) throw new StudyAnalysisError(`${kind} point ${i}: loss = ${p.loss}, must be finite`);
  });
  const sorted = [...points].sort((p, q) => p.flops - q.flops || p.loss - q.loss);
  const knots: Knot[] = [];
  let best = Infinity;
  for (const p of sorted) {
    best = Math.min(best, p.loss);
    const x = Math.log10(p.flops);
    const last = knots[knots.length - 1];
    if (last && last.x === x) last.y = best;
    else knots.push({ x, y: best });
  }
  return knots;
}

/** The piecewise-linear curve at x (inside its range). */
function at(knots: readonly Knot[], x: number): number {
  let k = 1;
  while (k < knots.length - 1 && knots[k]!.x < x) k++;
  const a = knots[k - 1];
  const b = knots[k];
  if (!a || !b) return knots[0]!.y;
  if (x <= a.x) return a.y;
  if (x >= b.x) return b.y;
  return a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
}
