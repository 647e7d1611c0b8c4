/**
 * Shared plumbing of the reverse-time samplers: time grids, options, the
 * prior draw x_T ~ N(0, s(T)² I), and snapshot recording.
 *
 * Every sampler integrates a linear forward SDE  dx = f(t)·x dt + g(t) dW
 * (Song et al. 2021, "Score-Based Generative Modeling through SDEs", §3.4)
 * backwards from t_0 = T down to t_N = tMin on a strictly decreasing grid
 * T = t_0 > t_1 > … > t_N = tMin, with Δt_k = t_k − t_{k+1} > 0.
 *
 * Particles are row-major [n, dim] Float64Arrays (particle i, coordinate j at
 * i·dim + j), the layout of the Score interface, so that one score call per
 * step serves the whole batch and no particle owns an array.
 */
import type { Schedule } from '../schedules/Schedule.js';
import type { Score } from '../scores/Score.js';
import { NormalSampler, rngFromSeed } from '../_internals/random.js';

export type GridKind = 'uniform' | 'quadratic';

/**
 * The decreasing time grid t_0 = T > … > t_steps = tMin, steps + 1 points.
 *   uniform:   t_k = tMin + (T − tMin)(1 − k/N)
 *   quadratic: t_k = tMin + (T − tMin)(1 − k/N)²  (denser near tMin, where
 *              the marginals change fastest for VP-type schedules; the
 *              "quadratic" spacing of Song, Meng & Ermon's DDIM, 2021)
 */
export function timeGrid(schedule: Schedule, steps: number, kind: GridKind = 'uniform'): Float64Array {
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`timeGrid: steps must be a positive integer, got ${steps}`);
  const { T, tMin } = schedule;
  if (!(T > tMin)) throw new RangeError(`timeGrid: schedule "${schedule.name}" has T = ${T} ≤ tMin = ${tMin}`);
  const grid = new Float64Array(steps + 1);
  for (let k = 0; k <= steps; k++) {
    const u = 1 - k / steps;
    grid[k] = tMin + (T - tMin) * (kind === 'quadratic' ? u * u : u);
  }
  // Pin the end points exactly: rounding in the formula must not move them.
  grid[0] = T;
  grid[steps] = tMin;
  return grid;
}

export interface SamplerOptions {
  /** Number of integration steps N (the grid has N + 1 points). */
  steps: number;
  /** A grid kind for `timeGrid`, or an explicit strictly decreasing grid of steps + 1 times. Default 'uniform'. */
  grid?: GridKind | ArrayLike<number>;
  /** Seed of every random draw (prior and step noise). */
  seed: number;
  /** Number of particles. */
  n: number;
  /** Step indices k ∈ [0, steps] after which to copy the particles (0 = the prior draw). */
  record?: readonly number[];
  /**
   * Initial particles x_{t_0} ([n, dim], copied) instead of the prior draw
   * N(0, s(T)² I) — for experiments that start from a known distribution.
   */
  init?: Float64Array;
}

export interface Snapshot {
  step: number;
  t: number;
  x: Float64Array;
}

export interface SamplerResult {
  /** Final particles at t_N = tMin, [n, dim]. */
  x: Float64Array;
  n: number;
  dim: number;
  /** The grid that was integrated, t_0 … t_N. */
  grid: Float64Array;
  snapshots: Snapshot[];
}

/** Resolves the grid of the options and checks that it is strictly decreasing with steps + 1 finite points. */
export function resolveGrid(schedule: Schedule, opts: SamplerOptions): Float64Array {
  const g = opts.grid;
  if (g === undefined || typeof g === 'string') return timeGrid(schedule, opts.steps, g ?? 'uniform');
  if (g.length !== opts.steps + 1) throw new RangeError(`sampler: an explicit grid needs steps + 1 = ${opts.steps + 1} points, got ${g.length}`);
  const grid = Float64Array.from(g);
  for (let k = 0; k < grid.length; k++) {
    const t = grid[k]!;
    if (!Number.isFinite(t)) throw new RangeError(`sampler: grid[${k}] = ${t} is not finite`);
    if (k > 0 && !(t < grid[k - 1]!)) throw new RangeError(`sampler: the grid must be strictly decreasing (grid[${k}] = ${t} ≥ grid[${k - 1}] = ${grid[k - 1]})`);
  }
  return grid;
}

/** The working state every sampler starts from: particles, noise stream, grid, snapshot bookkeeping. */
export interface SamplerState {
  x: Float64Array;
  n: number;
  dim: number;
  grid: Float64Array;
  normal: NormalSampler;
  snapshots: Snapshot[];
  recordSet: Set<number>;
}

export function initSampler(schedule: Schedule, score: Score, opts: SamplerOptions): SamplerState {
  const { n } = opts;
  const dim = score.dim;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`sampler: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`sampler: score.dim must be a positive integer, got ${dim}`);
  const grid = resolveGrid(schedule, opts);
  const normal = NormalSampler.fromSeed(opts.seed);
  const x = new Float64Array(n * dim);
  if (opts.init !== undefined) {
    if (opts.init.length !== n * dim) throw new RangeError(`sampler: init has ${opts.init.length} entries, expected n·dim = ${n * dim}`);
    x.set(opts.init);
  } else {
    // Prior N(0, s(T)² I): for VP s(T)² = 1 − e^{−B(T)} ≈ 1, for VE the prior std is s(T) itself.
    const s = schedule.std(grid[0]!);
    normal.fill(x);
    for (let i = 0; i < x.length; i++) x[i]! *= s;
  }
  const recordSet = new Set(opts.record ?? []);
  const st: SamplerState = { x, n, dim, grid, normal, snapshots: [], recordSet };
  record(st, 0);
  return st;
}

export function record(st: SamplerState, step: number): void {
  if (st.recordSet.has(step)) st.snapshots.push({ step, t: st.grid[step]!, x: st.x.slice() });
}

export function finish(st: SamplerState): SamplerResult {
  return { x: st.x, n: st.n, dim: st.dim, grid: st.grid, snapshots: st.snapshots };
}
