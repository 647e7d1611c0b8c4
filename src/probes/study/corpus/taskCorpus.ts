/**
 * taskCorpus — token budgets from a task suite instead of Brown text, for the
 * data-constrained study (issue 7): a training stream of exactly U tokens and
 * a held-out stream that is the same for every U, made of distinct examples
 * of one task at one depth.
 *
 * Algorithm (seed = corpusSeed).
 *  1. Inputs are split by hash (circuits/tasks/splits.ts): an input is held
 *     out iff SHA-256(task id, input) falls below `heldOutShare` (default
 *     0.1, Brown's share). Disjoint by construction, whatever the seed or U;
 *     since the suites' default test share is 0.5, every held-out input here
 *     is also a test input of any suite drawn with that default.
 *  2. Within each split, sampleSplits orders the distinct examples by the seed
 *     (a seeded shuffle of the enumerated split, or seeded draws with repeats
 *     rejected); the first n examples of that order do not depend on n, nor
 *     on how many examples of the other split are asked for.
 *  3. Each example is encoded by TaskTokenizer (cot: <bos> input <sep> trace
 *     <ans> answer <eos>; direct: <bos> input <ans> answer <eos>), and the
 *     encodings are concatenated in that order.
 *  4. train = the first U tokens of the training examples' stream, heldOut =
 *     the first heldOutTokens tokens of the held-out examples' stream (the
 *     last example of each maybe cut). So a smaller U is a prefix of a larger
 *     one and the held-out tokens are identical for every U.
 * No example is ever repeated. A budget that needs more distinct examples
 * than the split allows (all of an enumerated split; half a sampled split's
 * expected size, the most sampleSplits draws) is refused with a one-line
 * StudyCorpusError naming the budget, the most the task/depth allows and the fix.
 */
import { sampleSplits } from '../../../circuits/tasks/index.js';
import type { Example, SplitName, Task } from '../../../circuits/tasks/index.js';
import { StudyCorpusError } from './studyCorpus.js';
import { TaskTokenizer, type TaskFormat } from './taskTokenizer.js';

/** Share of a task's inputs held out, by hash (as Brown holds out 10% of its documents). */
export const TASK_HELD_OUT_SHARE = 0.1;

export interface TaskCorpusOptions {
  task: Task;
  /** The task's depth parameter (task.minDepth … task.maxDepth). */
  depth: number;
  format: TaskFormat;
  /** U: the exact number of training tokens. */
  uniqueTokens: number;
  /** The exact number of held-out tokens. */
  heldOutTokens: number;
  /** Orders the examples within each split. */
  seed: number;
  /** Share of the inputs held out (by hash); default TASK_HELD_OUT_SHARE. */
  heldOutShare?: number;
}

export interface TaskCorpus {
  tokenizer: TaskTokenizer;
  /** Exactly U tokens. */
  train: Int32Array;
  /** Exactly heldOutTokens tokens. */
  heldOut: Int32Array;
  /** Ids of the training examples in `train` (the last maybe in part), in order. */
  trainExampleIds: string[];
  /** Ids of the held-out examples in `heldOut` (the last maybe in part), in order. */
  heldOutExampleIds: string[];
}

/** Examples drawn to measure their mean length before sizing a request. */
const PROBE_EXAMPLES = 64;

export function taskCorpus(options: TaskCorpusOptions): TaskCorpus {
  const { task, depth, format, uniqueTokens, heldOutTokens, seed } = options;
  const share = options.heldOutShare ?? TASK_HELD_OUT_SHARE;
  for (const [name, v] of [['uniqueTokens', uniqueTokens], ['heldOutTokens', heldOutTokens]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new StudyCorpusError(`taskCorpus: ${name} = ${v}: use a non-negative integer`);
  }
  if (!Number.isSafeInteger(depth) || depth < task.minDepth || depth > task.maxDepth) {
    throw new StudyCorpusError(`taskCorpus: taskDepth = ${depth}: ${task.id} has depths ${task.minDepth}..${task.maxDepth} (${task.depthMeaning}); pick one in range`);
  }
  if (!(share > 0 && share < 1)) throw new StudyCorpusError(`taskCorpus: heldOutShare = ${share}: use a share in (0, 1)`);
  const tokenizer = new TaskTokenizer(task);
  const { available } = sampleSplits(task, depth, { nTrain: 0, nTest: 0, seed, testShare: share });
  const described = `${task.id} at depth ${depth} (${format})`;

  const heldOut = take('test', heldOutTokens, 'heldOutTokens');
  const train = take('train', uniqueTokens, 'uniqueTokens');
  return { tokenizer, train: train.tokens, heldOut: heldOut.tokens, trainExampleIds: train.ids, heldOutExampleIds: heldOut.ids };

  /** The first n examples of a split's seeded order. */
  function draw(split: SplitName, n: number): Example[] {
    const request = { nTrain: split === 'train' ? n : 0, nTest: split === 'test' ? n : 0, seed, testShare: share };
    return sampleSplits(task, depth, request)[split];
  }

  /** The first `count` tokens of a split's stream, drawing as few examples as it takes. */
  function take(split: SplitName, count: number, name: 'uniqueTokens' | 'heldOutTokens'): { tokens: Int32Array; ids: string[] } {
    if (count === 0) return { tokens: new Int32Array(0), ids: [] };
    const most = available.exact ? available[split] : available[split] / 2n; // distinct examples sampleSplits will draw
    const cap = most > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(most);
    const which = split === 'train' ? 'training' : 'held-out';
    const refuse = (tokens: number, exact: boolean): never => {
      throw new StudyCorpusError(
        `taskCorpus: ${name} = ${count} exceeds the ${exact ? '' : 'about '}${tokens} tokens that ${described} allows ` +
          `without repeating an example (${cap} distinct ${which} examples); lower ${name} to at most ${tokens} or raise taskDepth`,
      );
    };
    if (cap === 0) refuse(0, true);
    let n = Math.min(cap, PROBE_EXAMPLES);
    for (;;) {
      const examples = draw(split, n);
      const encoded = examples.map((e) => tokenizer.encodeExample(e, format));
      const total = encoded.reduce((s, e) => s + e.length, 0);
      if (total >= count) return concatenate(examples, encoded, count);
      if (n === cap) refuse(total, true);
      // Size the next request from the mean length so far, with a little slack.
      const needed = Math.ceil((count * n) / total) + 8;
      if (needed > cap && !available.exact) refuse(Math.floor((cap * total) / n), false);
      n = Math.min(cap, Math.max(needed, n + 1));
    }
  }
}

/** The first `count` tokens of the examples' encodings, concatenated in order, and the examples they use. */
function concatenate(examples: readonly Example[], encoded: readonly Int32Array[], count: number): { tokens: Int32Array; ids: string[] } {
  const tokens = new Int32Array(count);
  const ids: string[] = [];
  let n = 0;
  for (let i = 0; n < count; i++) {
    const e = encoded[i]!;
    const k = Math.min(e.length, count - n);
    tokens.set(e.subarray(0, k), n);
    n += k;
    ids.push(examples[i]!.id);
  }
  return { tokens, ids };
}
