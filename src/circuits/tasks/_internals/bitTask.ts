/**
 * The shape shared by tasks whose input is a bit string: enumeration, uniform
 * sampling and validation of the input come from here; each task brings its
 * solver, its symbols and its description.
 */
import { allBits, asBits, randomBits } from './bits.js';
import type { Example, ExampleSymbols, Solution, Task, TaskClass } from '../Task.js';

export interface BitTaskSpec {
  readonly id: string;
  readonly summary: string;
  readonly taskClass: TaskClass;
  readonly depthMeaning: string;
  readonly parameters?: Readonly<Record<string, string | number>>;
  readonly minDepth?: number;
  readonly maxDepth: number;
  /** Input length in bits at a depth (default: the depth). */
  readonly inputBits?: (depth: number) => number;
  readonly solve: (depth: number, bits: string) => Solution;
  /** Symbols of the trace and answer (default: each entry one symbol / each answer char one symbol). */
  readonly traceSymbols?: (trace: readonly string[]) => readonly string[];
  readonly answerSymbols?: (answer: string) => readonly string[];
  /** Per-input-bit labels, for tasks with a tagging format. */
  readonly labels?: (ex: Example) => readonly string[];
  readonly vocabulary: readonly string[];
}

export function bitTask(spec: BitTaskSpec): Task {
  const width = spec.inputBits ?? ((d: number) => d);
  return {
    id: spec.id,
    summary: spec.summary,
    taskClass: spec.taskClass,
    depthMeaning: spec.depthMeaning,
    parameters: spec.parameters ?? {},
    minDepth: spec.minDepth ?? 1,
    maxDepth: spec.maxDepth,
    countInputs: (depth) => 2n ** BigInt(width(depth)),
    allInputs: (depth) => allBits(width(depth)),
    randomInput: (depth, rng) => randomBits(width(depth), rng),
    solve: (depth, input) => spec.solve(depth, asBits(input, width(depth), spec.id)),
    symbols: (ex): ExampleSymbols => ({
      input: [...(ex.input as string)],
      trace: spec.traceSymbols ? spec.traceSymbols(ex.trace) : ex.trace,
      answer: spec.answerSymbols ? spec.answerSymbols(ex.answer) : [...ex.answer],
      labels: spec.labels?.(ex),
    }),
    vocabulary: () => spec.vocabulary,
  };
}

/** Trace entries that are bit strings, written bit by bit with ';' between entries. */
export function bitStringTrace(trace: readonly string[]): string[] {
  return trace.flatMap((entry, i) => (i === 0 ? [...entry] : [';', ...entry]));
}
