/**
 * Ancestral sampling of masked diffusion with a given denoiser (MDLM, Sahoo et
 * al. 2024, §3.3; the exact denoiser of exactDenoiser.ts stands in for a
 * trained network). Start from the all-[MASK] sequence — or, in conditional
 * generation, with the input segment given — and over S steps unmask the
 * remaining positions: at each step the denoiser gives each masked position
 * its marginal p(x_i | x_t), k positions are chosen ('random' order, or
 * 'confidence': the largest max-marginal first) and each is drawn from its
 * own marginal, independently of the others unmasked in the same step.
 *
 * That independence is the point (Feng et al. 2025, arXiv 2502.09622): with
 * one position per step (S = number of masked positions) the sampler draws
 * from the exact joint by the chain rule, so every sample is valid; with
 * fewer steps, positions drawn together ignore each other's values and the
 * sequence can be wrong even when every token is individually plausible.
 */
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Task, TaskInput } from '../../circuits/tasks/index.js';
import { rngFromSeed, uniform01 } from '../_internals/random.js';
import type { ExactDenoiser } from './exactDenoiser.js';
import type { MaskedSequence, MaskedToken, MaskSchedule } from './maskSchedule.js';
import { taskSequence } from './sequence.js';

export type UnmaskOrder = 'random' | 'confidence';
export const UNMASK_ORDERS: readonly UnmaskOrder[] = ['random', 'confidence'];

/** The only thing the sampler asks of a denoiser. */
export type Denoiser = Pick<ExactDenoiser, 'marginals'>;

/**
 * How many positions each of S steps unmasks, `masked` in all.
 *  - 'even' (default): ⌊(j+1)M/S⌋ − ⌊jM/S⌋, i.e. ⌈M/S⌉ or ⌊M/S⌋ per step — exactly
 *    S steps, unlike a fixed k = ⌈M/S⌉ that can finish early.
 *  - a MaskSchedule: the step from t_j = 1 − j/S to t_{j+1} leaves
 *    round(M·(1 − α(t_{j+1}))) masked, the expected count of the forward
 *    process at t_{j+1} (MDLM's sampler reveals in expectation α(s) − α(t)
 *    of the masked mass per step; rounding makes the count deterministic).
 *    Under the linear schedule this is the even split up to rounding.
 */
export function unmaskCounts(masked: number, steps: number, allocation: 'even' | MaskSchedule = 'even'): number[] {
  if (!Number.isInteger(masked) || masked < 0) throw new RangeError(`masked count must be a non-negative integer, got ${masked}`);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`steps must be a positive integer, got ${steps}`);
  const stillMasked = (j: number): number => {
    if (j >= steps) return 0;
    if (allocation === 'even') return masked - Math.floor((j * masked) / steps);
    // The first step starts fully masked whatever α(1) is (log-linear has α(1) = ε > 0).
    if (j === 0) return masked;
    return Math.min(masked, Math.max(0, Math.round(masked * (1 - allocation.alpha(1 - j / steps)))));
  };
  const out: number[] = [];
  for (let j = 0; j < steps; j++) out.push(Math.max(0, stillMasked(j) - stillMasked(j + 1)));
  // Rounding of a schedule can only move counts between steps, never lose a position.
  const sum = out.reduce((a, b) => a + b, 0);
  out[steps - 1]! += masked - sum;
  return out;
}

export interface SampleOptions {
  /** Number of denoising steps S. */
  readonly steps: number;
  readonly order?: UnmaskOrder;
  /** Starting state (null = [MASK]); default all masked. */
  readonly initial?: MaskedSequence;
  /** Per-step counts: 'even' (default) or a mask schedule (see unmaskCounts). */
  readonly allocation?: 'even' | MaskSchedule;
  readonly rng: RandomGenerator | number;
}

export interface SampleResult {
  readonly sequence: string[];
  /** Positions unmasked at each step, in the order chosen. */
  readonly unmasked: number[][];
}

/** Draws one complete sequence. */
export function sampleMasked(denoiser: Denoiser & { layout: { length: number } }, options: SampleOptions): SampleResult {
  const rng = typeof options.rng === 'number' ? rngFromSeed(options.rng) : options.rng;
  const order = options.order ?? 'random';
  const state: MaskedToken[] = options.initial ? [...options.initial] : new Array<MaskedToken>(denoiser.layout.length).fill(null);
  if (state.length !== denoiser.layout.length) {
    throw new RangeError(`initial state has length ${state.length}, the denoiser's sequences have length ${denoiser.layout.length}`);
  }
  const maskedCount = state.filter((s) => s === null).length;
  const counts = unmaskCounts(maskedCount, options.steps, options.allocation ?? 'even');
  const unmasked: number[][] = [];
  for (const k of counts) {
    if (k === 0) {
      unmasked.push([]);
      continue;
    }
    const marginals = denoiser.marginals(state);
    const masked = state.flatMap((s, i) => (s === null ? [i] : []));
    const chosen = choosePositions(masked, k, order, marginals, rng);
    // All marginals were computed before any of this step's draws: positions are drawn independently.
    const draws = chosen.map((pos) => drawSymbol(marginals.get(pos)!, rng));
    chosen.forEach((pos, j) => (state[pos] = draws[j]!));
    unmasked.push(chosen);
  }
  return { sequence: state as string[], unmasked };
}

/** The state with the input segment of this input given and everything else masked. */
export function conditionalState(task: Task, depth: number, input: TaskInput, layout: { inputLength: number; length: number }): MaskedToken[] {
  const seq = taskSequence(task, depth, input);
  return seq.map((s, i) => (i < layout.inputLength ? s : null));
}

function shuffleInPlace<T>(xs: T[], rng: RandomGenerator): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(uniform01(rng) * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

function choosePositions(masked: number[], k: number, order: UnmaskOrder, marginals: Map<number, Map<string, number>>, rng: RandomGenerator): number[] {
  // Shuffle first: for 'random' that is the choice; for 'confidence' it breaks ties at random
  // (at the start every S5 position has max-marginal 1/120, and a fixed tie-break would bias the order).
  const shuffled = shuffleInPlace([...masked], rng);
  if (order === 'confidence') {
    const conf = new Map(shuffled.map((pos) => [pos, Math.max(...marginals.get(pos)!.values())]));
    shuffled.sort((a, b) => conf.get(b)! - conf.get(a)!); // stable: ties keep the shuffled order
  } else if (order !== 'random') {
    throw new RangeError(`unknown unmasking order ${JSON.stringify(order)}; expected random or confidence`);
  }
  return shuffled.slice(0, k);
}

function drawSymbol(dist: Map<string, number>, rng: RandomGenerator): string {
  const u = uniform01(rng);
  let acc = 0;
  let last: string | undefined;
  for (const [s, p] of dist) {
    acc += p;
    last = s;
    if (u < acc) return s;
  }
  // Rounding can leave the cumulative sum a hair below 1.
  if (last === undefined) throw new RangeError('cannot draw from an empty marginal');
  return last;
}
