/**
 * Train/test splits that are disjoint by construction: an input belongs to
 * the test split iff the SHA-256 of (task id, input) falls below `testShare`,
 * so the same input lands in the same split in every suite, whatever the seed
 * or the requested counts — a test input can never be emitted in train.
 *
 * Sampling distinct examples: when a depth has at most ENUMERATE_LIMIT inputs,
 * all of them are enumerated, partitioned, shuffled with the seeded generator
 * and the first N taken (exact, and the available count per split is known
 * exactly); otherwise inputs are drawn uniformly and repeats rejected, and a
 * request for more than half of a split's expected size is refused.
 */
import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { Example, Task, TaskInput } from './Task.js';

export type SplitName = 'train' | 'test';

export const ENUMERATE_LIMIT = 2 ** 17;

/** The canonical text of an input: a bit string as it is, a symbol list joined by spaces. */
export function inputKey(input: TaskInput): string {
  return typeof input === 'string' ? input : input.join(' ');
}

/** SHA-256 of (task id, input) as hex. */
export function inputHash(taskId: string, input: TaskInput): string {
  return createHash('sha256').update(`${taskId}\n${inputKey(input)}`).digest('hex');
}

/** Which split an input hash belongs to: its first 48 bits as a fraction of 2^48, below testShare → test. */
export function splitOfHash(hash: string, testShare: number): SplitName {
  return parseInt(hash.slice(0, 12), 16) / 2 ** 48 < testShare ? 'test' : 'train';
}

/** A 32-bit seed derived from the suite seed, the task and the depth — the same on every machine. */
export function derivedSeed(seed: number, taskId: string, depth: number): number {
  return createHash('sha256').update(`${seed}|${taskId}|${depth}`).digest().readInt32LE(0);
}

export class SplitRequestError extends Error {
  override readonly name = 'SplitRequestError';
}

export interface SplitRequest {
  readonly nTrain: number;
  readonly nTest: number;
  readonly seed: number;
  /** Fraction of all inputs reserved for test (default 0.5). */
  readonly testShare?: number;
}

export interface DepthSplits {
  readonly depth: number;
  readonly distinctInputs: bigint;
  /** Exact when the depth was enumerated, else the expected count (distinct × share). */
  readonly available: { readonly train: bigint; readonly test: bigint; readonly exact: boolean };
  readonly train: Example[];
  readonly test: Example[];
}

function makeExample(task: Task, depth: number, input: TaskInput, hash: string): Example {
  const { trace, answer } = task.solve(depth, input);
  return { id: `${task.id}_d${depth}_${hash.slice(0, 16)}`, family: task.id, depth, input, trace, answer };
}

function shuffle<T>(items: T[], rng: RandomGenerator): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** Distinct train and test examples of one task at one depth. */
export function sampleSplits(task: Task, depth: number, request: SplitRequest, onExample?: () => void): DepthSplits {
  const share = request.testShare ?? 0.5;
  const rng = xoroshiro128plus(derivedSeed(request.seed, task.id, depth));
  const distinct = task.countInputs(depth);
  const refuse = (split: SplitName, wanted: number, have: bigint, exact: boolean) => {
    throw new SplitRequestError(
      `${task.id} at depth ${depth} has ${distinct} distinct inputs, ${exact ? '' : 'about '}${have} of them in the ${split} split: ` +
        `cannot draw ${wanted} distinct ${split} examples; lower --n-${split} to at most ${exact ? have : have / 2n} or use a larger depth`,
    );
  };

  if (distinct <= BigInt(ENUMERATE_LIMIT)) {
    const pools: Record<SplitName, { input: TaskInput; hash: string }[]> = { train: [], test: [] };
    for (const input of task.allInputs(depth)) {
      const hash = inputHash(task.id, input);
      pools[splitOfHash(hash, share)].push({ input, hash });
    }
    const available = { train: BigInt(pools.train.length), test: BigInt(pools.test.length), exact: true };
    if (request.nTrain > pools.train.length) refuse('train', request.nTrain, available.train, true);
    if (request.nTest > pools.test.length) refuse('test', request.nTest, available.test, true);
    const take = (split: SplitName, n: number) => {
      shuffle(pools[split], rng);
      return pools[split].slice(0, n).map(({ input, hash }) => {
        onExample?.();
        return makeExample(task, depth, input, hash);
      });
    };
    return { depth, distinctInputs: distinct, available, train: take('train', request.nTrain), test: take('test', request.nTest) };
  }

  // In exact integer arithmetic: the space can far exceed 2^1024 (a depth-12 formula has 4^4095 · 2^4096 inputs).
  const expectedTest = (distinct * BigInt(Math.round(share * 1e6))) / 1_000_000n;
  const available = { train: distinct - expectedTest, test: expectedTest, exact: false };
  if (BigInt(request.nTrain) * 2n > available.train) refuse('train', request.nTrain, available.train, false);
  if (BigInt(request.nTest) * 2n > available.test) refuse('test', request.nTest, available.test, false);
  const out: Record<SplitName, Example[]> = { train: [], test: [] };
  const want: Record<SplitName, number> = { train: request.nTrain, test: request.nTest };
  const seen = new Set<string>();
  while (out.train.length < want.train || out.test.length < want.test) {
    const input = task.randomInput(depth, rng);
    const hash = inputHash(task.id, input);
    if (seen.has(hash)) continue;
    seen.add(hash);
    const split = splitOfHash(hash, share);
    if (out[split].length >= want[split]) continue;
    out[split].push(makeExample(task, depth, input, hash));
    onExample?.();
  }
  return { depth, distinctInputs: distinct, available, train: out.train, test: out.test };
}
