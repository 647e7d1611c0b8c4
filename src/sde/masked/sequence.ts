/**
 * The discrete sequences masked diffusion runs on: for an input x of a task at
 * a depth, the concatenation  input symbols · trace symbols · answer symbols
 * of task.symbols(example) — the chain-of-thought sequence without the
 * tokenizer's special markers, whose positions are fixed by the depth. The
 * data distribution is uniform over the task's inputs at that depth (the
 * trace and answer are functions of the input), as in the task suites.
 */
import type { Task, TaskInput } from '../../circuits/tasks/index.js';
import { rngFromSeed } from '../_internals/random.js';

export interface SequenceLayout {
  readonly inputLength: number;
  readonly traceLength: number;
  readonly answerLength: number;
  /** inputLength + traceLength + answerLength. */
  readonly length: number;
}

/** The symbol sequence of one input: input · trace · answer. */
export function taskSequence(task: Task, depth: number, input: TaskInput): string[] {
  const solution = task.solve(depth, input);
  const s = task.symbols({ id: '', family: task.id, depth, input, trace: solution.trace, answer: solution.answer });
  return [...s.input, ...s.trace, ...s.answer];
}

/** Segment lengths of one sequence. */
export function sequenceLayoutOf(task: Task, depth: number, input: TaskInput): SequenceLayout {
  const solution = task.solve(depth, input);
  const s = task.symbols({ id: '', family: task.id, depth, input, trace: solution.trace, answer: solution.answer });
  return {
    inputLength: s.input.length,
    traceLength: s.trace.length,
    answerLength: s.answer.length,
    length: s.input.length + s.trace.length + s.answer.length,
  };
}

/**
 * The layout at a depth, read from one seeded random input. Every task of the
 * suites has fixed segment lengths at a depth; the enumerating denoiser
 * re-checks this on every input it sees.
 */
export function sequenceLayout(task: Task, depth: number): SequenceLayout {
  return sequenceLayoutOf(task, depth, task.randomInput(depth, rngFromSeed(0)));
}

export function sameLayout(a: SequenceLayout, b: SequenceLayout): boolean {
  return a.inputLength === b.inputLength && a.traceLength === b.traceLength && a.answerLength === b.answerLength;
}

/**
 * The task input written by these input symbols, or undefined when they do not
 * form one. Bit-string tasks write one symbol per character and symbol tasks
 * one per list entry (checked for every task of the suites); the candidate is
 * accepted only if the task solves it and writes exactly these symbols back.
 */
export function inputFromSymbols(task: Task, depth: number, symbols: readonly string[]): TaskInput | undefined {
  const bitString = typeof task.randomInput(depth, rngFromSeed(0)) === 'string';
  const candidate: TaskInput = bitString ? symbols.join('') : [...symbols];
  if (bitString && symbols.some((s) => s.length !== 1)) return undefined;
  let written: string[];
  try {
    written = taskSequence(task, depth, candidate);
  } catch {
    // The task rejects the input (a symbol outside its alphabet, a malformed formula, …).
    return undefined;
  }
  const layout = sequenceLayout(task, depth);
  if (layout.inputLength !== symbols.length) return undefined;
  for (let i = 0; i < symbols.length; i++) if (written[i] !== symbols[i]) return undefined;
  return candidate;
}

/** Positions of the input segment (the ones conditional generation is given). */
export function inputPositions(layout: SequenceLayout): number[] {
  return Array.from({ length: layout.inputLength }, (_, i) => i);
}
