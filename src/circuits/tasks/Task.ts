/**
 * Task — an algorithmic problem at a depth parameter, with exact answers and
 * chain-of-thought traces: the unit of depthlab's task suites.
 *
 * An example is stored as one JSON object per line, a public contract:
 *   {"id", "family", "depth", "input", "trace", "answer"}
 * `input` is a bit string for Boolean tasks, or a list of symbols (group
 * elements, formula tokens, …) for the others; `trace` is the list of
 * intermediate results a chain of thought would write (prefix products,
 * partial sums, gate values layer by layer); `answer` is a string. Token ids
 * are not stored: the Tokenizer derives them from the task's vocabulary.
 */
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type TaskInput = string | readonly string[];

export interface Example {
  readonly id: string;
  readonly family: string;
  readonly depth: number;
  readonly input: TaskInput;
  readonly trace: readonly string[];
  readonly answer: string;
}

export interface Solution {
  readonly trace: readonly string[];
  readonly answer: string;
}

/** Symbols of one example, ready for the tokenizer (one vocabulary entry each). */
export interface ExampleSymbols {
  readonly input: readonly string[];
  readonly trace: readonly string[];
  readonly answer: readonly string[];
  /**
   * One label per input symbol — the "tagging" format of the word-problem
   * literature (e.g. the prefix product at each position); undefined for tasks
   * whose answer is not a per-position quantity (comparison, formulas, …).
   */
  readonly labels: readonly string[] | undefined;
}

export type TaskClass = 'AC0' | 'TC0' | 'NC1' | 'NL' | 'P';

export interface Task {
  /** Short id used everywhere: 'parity', 's5', 'cvp', … */
  readonly id: string;
  readonly summary: string;
  /** The class the task's circuit family lives in (NC1 meaning NC1-complete where it is). */
  readonly taskClass: TaskClass;
  /** What the depth parameter means, e.g. "sequence length n". */
  readonly depthMeaning: string;
  /** Fixed parameters of this task (group, modulus, width, …), recorded in manifests. */
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly minDepth: number;
  readonly maxDepth: number;
  /** Number of distinct inputs at a depth. */
  countInputs(depth: number): bigint;
  /** Every input at a depth, in a fixed order; only called when countInputs(depth) ≤ ENUMERATE_LIMIT (2^17). */
  allInputs(depth: number): Iterable<TaskInput>;
  /** A uniformly random input at a depth. */
  randomInput(depth: number, rng: RandomGenerator): TaskInput;
  /** The exact trace and answer of an input. */
  solve(depth: number, input: TaskInput): Solution;
  /** The example as vocabulary symbols, with per-position labels. */
  symbols(example: Example): ExampleSymbols;
  /** Every symbol this task can emit at depths up to maxDepth (fixed order: it defines token ids). */
  vocabulary(): readonly string[];
}
