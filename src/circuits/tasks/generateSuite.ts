/**
 * A task suite in memory: one task at several depths, distinct train and test
 * examples per depth (splits.ts), and optionally a depth-generalisation split
 * (train on depths ≤ D, test on depths > D). Same spec → the same examples,
 * in the same order, on every machine.
 */
import { type DepthSplits, sampleSplits } from './splits.js';
import type { Example, Task } from './Task.js';

export interface SuiteSpec {
  readonly task: Task;
  readonly depths: readonly number[];
  readonly nTrain: number;
  readonly nTest: number;
  readonly seed: number;
  /** Fraction of each depth's inputs reserved for test (default 0.5). */
  readonly testShare?: number;
  /** Depth-generalisation split: train on depths ≤ depthSplit, test on depths > depthSplit. */
  readonly depthSplit?: number;
}

export interface Suite {
  readonly spec: SuiteSpec;
  readonly perDepth: readonly DepthSplits[];
  /** Present when spec.depthSplit is: the train examples of depths ≤ D and the test examples of depths > D. */
  readonly depthGeneralization?: { readonly train: readonly Example[]; readonly test: readonly Example[] };
}

/** Checks a spec; returns the first problem as one line naming the field, the value and the fix. */
export function checkSuiteSpec(spec: SuiteSpec): string | undefined {
  const { task } = spec;
  if (spec.depths.length === 0) return '--depths is empty; give at least one depth, e.g. --depths 2,4,8';
  for (const d of spec.depths) {
    if (!Number.isSafeInteger(d) || d < task.minDepth || d > task.maxDepth) {
      return `--depths: ${d} is not a depth of ${task.id}; depths run from ${task.minDepth} to ${task.maxDepth} (${task.depthMeaning})`;
    }
  }
  if (new Set(spec.depths).size !== spec.depths.length) return `--depths lists a depth twice (${spec.depths.join(',')}); list each once`;
  for (const [flag, n] of [['--n-train', spec.nTrain], ['--n-test', spec.nTest]] as const) {
    if (!Number.isSafeInteger(n) || n < 0) return `${flag} must be a non-negative integer, got ${n}`;
  }
  const share = spec.testShare ?? 0.5;
  if (!(share > 0 && share < 1)) return `--test-share must be strictly between 0 and 1, got ${share}`;
  if (spec.depthSplit !== undefined) {
    const below = spec.depths.filter((d) => d <= spec.depthSplit!).length;
    if (below === 0 || below === spec.depths.length) {
      return `--depth-split ${spec.depthSplit} must leave some depths at or below it and some above (depths: ${spec.depths.join(',')})`;
    }
  }
  return undefined;
}

export function generateSuite(spec: SuiteSpec, onProgress?: (done: number, total: number) => void): Suite {
  const problem = checkSuiteSpec(spec);
  if (problem !== undefined) throw new RangeError(problem);
  const depths = [...spec.depths].sort((a, b) => a - b);
  const total = depths.length * (spec.nTrain + spec.nTest);
  let done = 0;
  const tick = onProgress === undefined ? undefined : () => onProgress(++done, total);
  const perDepth = depths.map((d) =>
    sampleSplits(spec.task, d, { nTrain: spec.nTrain, nTest: spec.nTest, seed: spec.seed, testShare: spec.testShare ?? 0.5 }, tick),
  );
  if (spec.depthSplit === undefined) return { spec, perDepth };
  const D = spec.depthSplit;
  return {
    spec,
    perDepth,
    depthGeneralization: {
      train: perDepth.filter((p) => p.depth <= D).flatMap((p) => p.train),
      test: perDepth.filter((p) => p.depth > D).flatMap((p) => p.test),
    },
  };
}
