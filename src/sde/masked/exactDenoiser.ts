/**
 * The exact denoiser of masked diffusion on a task's sequences — the
 * function a perfectly trained MDLM network (Sahoo et al. 2024) would
 * compute: for a partly masked sequence x_t, the conditional distribution
 * p(x_i | unmasked tokens of x_t) of every masked position i under the data
 * distribution, which is uniform over the task's inputs at a depth (trace and
 * answer being functions of the input; see sequence.ts).
 *
 *   p(x_i = s | x_t) = #{valid x consistent with x_t, x_i = s} / #{valid x consistent with x_t}
 *
 * Two exact methods:
 *  - enumerate: every input of the depth (task.allInputs, at most 2^17 of
 *    them), keeping the sequences that agree with the unmasked tokens;
 *  - word-dp: for word problems (task.parameters.group), dynamic programming
 *    over prefix products. The sequence g_1…g_n · p_1…p_n · p_n is a hidden
 *    chain p_0 = e, p_i = p_{i−1}·g_i: a uniform input is a uniform path of
 *    prefix products (g_i = p_{i−1}^{−1} p_i is a bijection for fixed p_{i−1}),
 *    position i of the input is read off the edge (p_{i−1}, p_i) and position i
 *    of the trace off the state p_i. A forward–backward pass counts the
 *    consistent paths in O(n·|G|²), so S5 at n = 8 (120^8 inputs) is exact.
 *
 * Inconsistent states. Few-step samplers unmask several positions at once,
 * each drawn from its own marginal, and can produce unmasked tokens that no
 * valid sequence agrees with (Feng et al. 2025); the conditional above is then
 * 0/0. Both methods define it as the limit η → 0 of a denoiser that believes
 * each visible token was corrupted with probability η: the posterior
 * concentrates, uniformly, on the valid sequences that disagree with the
 * fewest unmasked tokens. When the state is consistent that minimum is 0 and
 * this is exactly the conditional above. The same minimum, with every
 * position visible, is the Hamming distance to the nearest valid sequence
 * (the token error of validity.ts).
 */
import { parseGroup } from '../../circuits/groups/index.js';
import type { FiniteGroup } from '../../circuits/groups/index.js';
import type { Task } from '../../circuits/tasks/index.js';
import { enumeratingDenoiser } from './_internals/enumeratingDenoiser.js';
import { wordProblemDenoiser } from './_internals/wordProblemDenoiser.js';
import { DenoiserRefusal } from './DenoiserRefusal.js';
import type { MaskedSequence } from './maskSchedule.js';
import type { SequenceLayout } from './sequence.js';

export { DenoiserRefusal } from './DenoiserRefusal.js';

export type DenoiserMethod = 'enumerate' | 'word-dp';

/** Per masked position, the probability of each symbol (entries sum to 1). */
export type Marginals = Map<number, Map<string, number>>;

export interface Posterior {
  /** Per masked position: p(symbol | unmasked tokens). */
  readonly marginals: Marginals;
  /** Fewest unmasked tokens a valid sequence disagrees with: 0 iff the state is consistent. */
  readonly mismatches: number;
  /** Natural log of the number of valid sequences achieving `mismatches`. */
  readonly logCompletions: number;
}

export interface ExactDenoiser {
  readonly task: Task;
  readonly depth: number;
  readonly layout: SequenceLayout;
  readonly method: DenoiserMethod;
  posterior(state: MaskedSequence): Posterior;
  /** posterior(state).marginals. */
  marginals(state: MaskedSequence): Marginals;
  /** Hamming distance from a full sequence to the nearest valid sequence. */
  nearestDistance(sequence: readonly string[]): number;
}

export interface ExactDenoiserOptions {
  /** 'auto' (default): word-dp for word problems, enumerate otherwise. */
  readonly method?: DenoiserMethod | 'auto';
}

export function exactDenoiser(task: Task, depth: number, options: ExactDenoiserOptions = {}): ExactDenoiser {
  if (!Number.isInteger(depth) || depth < task.minDepth || depth > task.maxDepth) {
    throw new RangeError(`${task.id}: depth must be an integer in [${task.minDepth}, ${task.maxDepth}], got ${depth}`);
  }
  const method = options.method ?? 'auto';
  const group = wordProblemGroup(task);
  if (method === 'word-dp' || (method === 'auto' && group !== undefined)) {
    if (group === undefined) {
      throw new DenoiserRefusal(`${task.id} is not a word problem (no parseable parameters.group), so the prefix-product DP does not apply; use method 'enumerate'`);
    }
    return wordProblemDenoiser(task, depth, group);
  }
  return enumeratingDenoiser(task, depth);
}

/** The group of a word-problem task, or undefined for other tasks. */
export function wordProblemGroup(task: Task): FiniteGroup<unknown> | undefined {
  const name = task.parameters['group'];
  if (typeof name !== 'string') return undefined;
  return parseGroup(name) as FiniteGroup<unknown> | undefined;
}
