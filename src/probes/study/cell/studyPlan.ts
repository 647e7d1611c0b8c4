/**
 * studyPlan — the training plan of a study cell: how many steps make E
 * passes over W windows in batches of B, how many rows each step holds, and
 * after which steps the held-out set is scored.
 *
 * Rows. The run reads R = E·W rows: the stream position p = s·B + j (step s,
 * row j) is window perm_{⌊p/W⌋}(p mod W) (batchAt of the probe cell: a
 * seeded permutation per epoch, a pure function of the step). Steps
 * S = ⌈R / B⌉; every step holds B rows except the last, which holds
 * R − (S − 1)·B (the "last partial batch"), so the run trains on exactly
 * E·W rows = E·W·C scored tokens — every window exactly E times.
 *
 * Evaluation points. K = evalPoints target epochs, log-spaced from
 * e_1 = min(1, E)/4 to e_K = E:
 *
 *   e_k = e_1 · (E / e_1)^{(k−1)/(K−1)}      (K = 1: the end only)
 *
 * each rounded to a step s_k = clamp(round(e_k·W / B), 1, S), duplicates
 * dropped, the last forced to S. A point reports the epochs actually done,
 * rows(s)/W with rows(s) = min(s·B, R), and tokens = rows(s)·C.
 */
import { batchAt } from '../../cell/_internals/encodedSet.js';

export interface StudyPlan {
  /** S: steps of the run. */
  steps: number;
  /** R = E·W: rows the run trains on. */
  rows: number;
  /** Rows of the last step (B unless the last batch is partial). */
  lastBatchRows: number;
  /** Steps after which the held-out set is scored, ascending, the last = steps. */
  evalSteps: number[];
}

/** The plan for E epochs over `windows` rows in batches of `batchSize` with `evalPoints` evaluations (header). */
export function studyPlan(epochs: number, windows: number, batchSize: number, evalPoints: number): StudyPlan {
  for (const [name, v] of [['epochs', epochs], ['windows', windows], ['batchSize', batchSize], ['evalPoints', evalPoints]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`studyPlan: ${name} = ${v} must be an integer ≥ 1`);
  }
  const rows = epochs * windows;
  const steps = Math.ceil(rows / batchSize);
  const lastBatchRows = rows - (steps - 1) * batchSize;
  const first = Math.min(1, epochs) / 4;
  const targets = evalPoints === 1 ? [epochs] : Array.from({ length: evalPoints }, (_, k) => first * (epochs / first) ** (k / (evalPoints - 1)));
  const chosen = new Set<number>();
  targets.forEach((e, k) => {
    const s = k === targets.length - 1 ? steps : Math.min(steps, Math.max(1, Math.round((e * windows) / batchSize)));
    chosen.add(s);
  });
  return { steps, rows, lastBatchRows, evalSteps: [...chosen].sort((a, b) => a - b) };
}

/** Rows trained on after `step` steps of `plan` with batches of `batchSize`. */
export function rowsAfter(plan: StudyPlan, batchSize: number, step: number): number {
  return Math.min(step * batchSize, plan.rows);
}

/**
 * The rows of step `step` (header): window perm_e(p mod W) of stream position
 * p = step·B + j and its epoch e = ⌊p/W⌋, for j < B (fewer at the last step).
 */
export function planBatch(plan: StudyPlan, windows: number, batchSize: number, step: number, seed: number): { window: number; epoch: number }[] {
  const count = Math.max(0, Math.min(batchSize, plan.rows - step * batchSize));
  const picked = batchAt(windowIndices(windows), batchSize, step, seed);
  return picked.slice(0, count).map((window, j) => ({ window, epoch: Math.floor((step * batchSize + j) / windows) }));
}

let indexCache: number[] = [];

/** 0 … n−1 (the last array is reused). */
function windowIndices(n: number): number[] {
  if (indexCache.length !== n) indexCache = Array.from({ length: n }, (_, i) => i);
  return indexCache;
}
