/**
 * Is a generated sequence a sequence of the task, and how far is it from one?
 *
 * Valid: the input segment writes a task input x, and the whole sequence is
 * exactly input · trace · answer of x, re-solved with task.solve — the answer
 * is the task's function of the generated input and the trace is its trace.
 *
 * Two token errors, both a fraction of the L positions:
 *  - tokenError = d(y, V)/L, d(y, V) = min over valid sequences v of the
 *    Hamming distance |{i : y_i ≠ v_i}| — the fewest tokens to change to make
 *    y valid (computed by the exact denoiser with every position visible);
 *  - sameInputTokenError = |{i : y_i ≠ v(x)_i}|/L for v(x) the valid sequence
 *    of y's own input x (undefined when y's input is not an input of the task).
 * The first never exceeds the second. Feng et al. 2025 (arXiv 2502.09622)
 * contrast exactly these two scales: token error can stay low with a constant
 * number of steps while sequence error (1 − validity) needs more.
 */
import type { Task } from '../../circuits/tasks/index.js';
import type { ExactDenoiser } from './exactDenoiser.js';
import { inputFromSymbols, sequenceLayout, taskSequence } from './sequence.js';

export interface SequenceCheck {
  readonly valid: boolean;
  /** The valid sequence of the generated input; undefined when the input segment is not a task input. */
  readonly reference: string[] | undefined;
  /** Positions where the sequence differs from `reference`. */
  readonly differing: number[] | undefined;
}

export function checkSequence(task: Task, depth: number, sequence: readonly string[]): SequenceCheck {
  const layout = sequenceLayout(task, depth);
  if (sequence.length !== layout.length) {
    throw new RangeError(`${task.id} at depth ${depth}: sequences have length ${layout.length}, got ${sequence.length}`);
  }
  const input = inputFromSymbols(task, depth, sequence.slice(0, layout.inputLength));
  if (input === undefined) return { valid: false, reference: undefined, differing: undefined };
  const reference = taskSequence(task, depth, input);
  const differing = reference.flatMap((s, i) => (s === sequence[i] ? [] : [i]));
  return { valid: differing.length === 0, reference, differing };
}

export function isValidSequence(task: Task, depth: number, sequence: readonly string[]): boolean {
  return checkSequence(task, depth, sequence).valid;
}

/** d(y, V)/L: Hamming distance to the nearest valid sequence, per position. */
export function tokenError(denoiser: ExactDenoiser, sequence: readonly string[]): number {
  return denoiser.nearestDistance(sequence) / denoiser.layout.length;
}

/** Hamming distance to the valid sequence of the same input, per position; undefined if the input is not one. */
export function sameInputTokenError(task: Task, depth: number, sequence: readonly string[]): number | undefined {
  const check = checkSequence(task, depth, sequence);
  return check.differing === undefined ? undefined : check.differing.length / sequence.length;
}
