/**
 * The exact denoiser by enumeration (see exactDenoiser.ts): every input of the
 * depth (at most 2^17 = ENUMERATE_LIMIT), its sequence stored as symbol ids,
 * and for a masked state x_t
 *
 *   m* = min_{valid x} #{unmasked i : x_i ≠ (x_t)_i},
 *   p(x_i = s | x_t) = #{valid x with m(x) = m*, x_i = s} / #{valid x with m(x) = m*},
 *
 * which is the plain conditional when x_t is consistent (m* = 0).
 */
import { ENUMERATE_LIMIT } from '../../../circuits/tasks/index.js';
import type { Task, TaskInput } from '../../../circuits/tasks/index.js';
import { DenoiserRefusal } from '../DenoiserRefusal.js';
import type { ExactDenoiser, Marginals, Posterior } from '../exactDenoiser.js';
import type { MaskedSequence } from '../maskSchedule.js';
import { sameLayout, sequenceLayout, sequenceLayoutOf, taskSequence } from '../sequence.js';
import { checkState } from './checkState.js';

export function enumeratingDenoiser(task: Task, depth: number): ExactDenoiser {
  const count = task.countInputs(depth);
  if (count > BigInt(ENUMERATE_LIMIT)) {
    throw new DenoiserRefusal(
      `${task.id} at depth ${depth} has ${count} inputs, more than 2^17 = ${ENUMERATE_LIMIT}: exact enumeration refused` +
        ' (word problems have an exact prefix-product DP: method "word-dp")',
    );
  }
  const layout = sequenceLayout(task, depth);
  const L = layout.length;
  const symbols: string[] = [];
  const ids = new Map<string, number>();
  const idOf = (s: string): number => {
    let id = ids.get(s);
    if (id === undefined) ids.set(s, (id = symbols.push(s) - 1));
    return id;
  };
  const n = Number(count);
  const table = new Int32Array(n * L);
  let row = 0;
  for (const input of task.allInputs(depth) as Iterable<TaskInput>) {
    if (!sameLayout(sequenceLayoutOf(task, depth, input), layout)) {
      throw new DenoiserRefusal(`${task.id} at depth ${depth}: sequences have different segment lengths, so masked positions are not aligned`);
    }
    const seq = taskSequence(task, depth, input);
    for (let i = 0; i < L; i++) table[row * L + i] = idOf(seq[i]!);
    row++;
  }
  const who = `exact denoiser (${task.id}, depth ${depth})`;

  const posterior = (state: MaskedSequence): Posterior => {
    checkState(layout, state, who);
    const observed: number[] = [];
    const observedId: number[] = [];
    const masked: number[] = [];
    state.forEach((s, i) => {
      if (s === null) masked.push(i);
      else {
        observed.push(i);
        // A symbol no valid sequence uses at this depth can only mismatch.
        observedId.push(ids.get(s) ?? -1);
      }
    });
    const mism = new Int32Array(row);
    let best = Infinity;
    for (let r = 0; r < row; r++) {
      let m = 0;
      for (let k = 0; k < observed.length && m <= best; k++) if (table[r * L + observed[k]!] !== observedId[k]) m++;
      mism[r] = m;
      if (m < best) best = m;
    }
    const counts = masked.map(() => new Float64Array(symbols.length));
    let total = 0;
    for (let r = 0; r < row; r++) {
      if (mism[r] !== best) continue;
      total++;
      for (let k = 0; k < masked.length; k++) counts[k]![table[r * L + masked[k]!]!]!++;
    }
    const marginals: Marginals = new Map();
    masked.forEach((pos, k) => {
      const dist = new Map<string, number>();
      counts[k]!.forEach((c, id) => {
        if (c > 0) dist.set(symbols[id]!, c / total);
      });
      marginals.set(pos, dist);
    });
    return { marginals, mismatches: best, logCompletions: Math.log(total) };
  };

  return {
    task,
    depth,
    layout,
    method: 'enumerate',
    posterior,
    marginals: (state) => posterior(state).marginals,
    nearestDistance: (sequence) => posterior(sequence).mismatches,
  };
}
