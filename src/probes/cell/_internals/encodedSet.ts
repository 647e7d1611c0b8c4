/**
 * A task's examples as padded token rows, the data half of a probe cell.
 *
 * The train and test rows of a cell are padded with <pad> (id 0) to one
 * length T, the longest of them, so that batches are plain [B, T] arrays.
 * Depth-generalisation sets (test examples at other depths) are padded to
 * their own lengths; the model's context is the longest of all. For each example the encoding
 * also records where its prompt ends and where its answer sits, so that a
 * model kind can free-run from the prompt and score the answer:
 *
 *   answer  <bos> x… <ans> | y… <eos> <pad>…        prompt = up to and including <ans>
 *   cot     <bos> x… <sep> | trace… <ans> y… <eos>   prompt = up to and including <sep>
 *   tagged  x… with labels ℓ…  (pads labelled <pad>, masked out)
 *
 * Shuffling is a seeded permutation per epoch: step s, row j reads the
 * example at position p = s·B + j of the stream, permutation p div N at
 * index p mod N — a pure function of the step, so a resumed run sees the
 * same batches.
 */
import type { Example, TokenFormat, Tokenizer } from '../../../circuits/tasks/index.js';
import { SeededRandom } from '../../../models/backbone/index.js';

export const PAD_ID = 0;

export interface EncodedExample {
  /** Token ids, padded to the set's length T. */
  readonly tokens: number[];
  /** answer/cot: 0/1 loss mask; tagged: label ids (pads: <pad>). */
  readonly targets: number[];
  /** 0/1: 1 on the real (unpadded) positions. */
  readonly real: number[];
  /** Number of prompt tokens (answer/cot), the input length (tagged). */
  readonly promptLength: number;
  /** Indices of the answer symbols y… in `tokens` (answer/cot). */
  readonly answerPositions: number[];
  /** Token ids of the answer symbols y… (every format). */
  readonly answerIds: number[];
}

export interface EncodedSet {
  readonly format: TokenFormat;
  /** Row length T of train and test. */
  readonly length: number;
  /** The longest row of any set (train, test, generalisation): the model's context. */
  readonly contextLength: number;
  readonly train: EncodedExample[];
  readonly test: EncodedExample[];
  /** Test examples at other depths, each set padded to its own length. */
  readonly generalization: { depth: number; examples: EncodedExample[] }[];
}

/** Encodes and pads train and test to one length, and each generalisation set to its own. */
export function encodeSet(
  tokenizer: Tokenizer,
  format: TokenFormat,
  train: readonly Example[],
  test: readonly Example[],
  generalization: readonly { depth: number; examples: readonly Example[] }[] = [],
): EncodedSet {
  const raw = (examples: readonly Example[]) => examples.map((e) => ({ e, enc: tokenizer.encode(e, format) }));
  const longest = (rows: readonly { enc: { tokens: number[] } }[]) => Math.max(1, ...rows.map((r) => r.enc.tokens.length));
  const main = [...raw(train), ...raw(test)];
  const length = longest(main);
  const padded = (rows: ReturnType<typeof raw>, to: number) => rows.map((r) => encodeOne(tokenizer, format, r.e, r.enc, to));
  const extra = generalization.map((g) => {
    const rows = raw(g.examples);
    return { depth: g.depth, examples: padded(rows, longest(rows)) };
  });
  return {
    format,
    length,
    contextLength: Math.max(length, ...extra.map((g) => g.examples[0]?.tokens.length ?? 0)),
    train: padded(main.slice(0, train.length), length),
    test: padded(main.slice(train.length), length),
    generalization: extra,
  };
}

/** One example padded to `length`, with its prompt length and answer positions. */
function encodeOne(tokenizer: Tokenizer, format: TokenFormat, e: Example, enc: { tokens: number[]; targets: number[] }, length: number): EncodedExample {
  const marker = format === 'cot' ? tokenizer.id('<sep>') : tokenizer.id('<ans>');
  const ansId = tokenizer.id('<ans>');
  const eosId = tokenizer.id('<eos>');
  const pad = (xs: readonly number[], fill: number) => [...xs, ...new Array<number>(length - xs.length).fill(fill)];
  const real = pad(enc.tokens.map(() => 1), 0);
  const answerIds = tokenizer.task.symbols(e).answer.map((s) => tokenizer.id(s));
  if (format === 'tagged') {
    const promptLength = enc.tokens.length;
    return { tokens: pad(enc.tokens, PAD_ID), targets: pad(enc.targets, PAD_ID), real, promptLength, answerPositions: [], answerIds };
  }
  const promptLength = enc.tokens.indexOf(marker) + 1;
  const ans = enc.tokens.lastIndexOf(ansId);
  const eos = enc.tokens.lastIndexOf(eosId);
  const answerPositions = Array.from({ length: eos - ans - 1 }, (_, i) => ans + 1 + i);
  return { tokens: pad(enc.tokens, PAD_ID), targets: pad(enc.targets, 0), real, promptLength, answerPositions, answerIds };
}

/** The examples of training step `step` (see header): `batchSize` of them, reshuffled every epoch. */
export function batchAt<T>(examples: readonly T[], batchSize: number, step: number, seed: number): T[] {
  const n = examples.length;
  const out: T[] = [];
  let cachedEpoch = -1;
  let perm: number[] = [];
  for (let j = 0; j < batchSize; j++) {
    const p = step * batchSize + j;
    const epoch = Math.floor(p / n);
    if (epoch !== cachedEpoch) {
      perm = permutation(n, seed, epoch);
      cachedEpoch = epoch;
    }
    out.push(examples[perm[p % n]!]!);
  }
  return out;
}

const permutations = new Map<string, number[]>();

/** Fisher–Yates permutation of 0..n−1 from the (seed, epoch) stream; memoised (a few epochs live at once). */
function permutation(n: number, seed: number, epoch: number): number[] {
  const key = `${n}|${seed}|${epoch}`;
  const hit = permutations.get(key);
  if (hit) return hit;
  // Stream 1000 + epoch keeps clear of the backbone's streams (init 0, dropout 1, masking 2, sampling 3).
  const random = new SeededRandom(seed, 1000 + epoch);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const r = Math.floor(random.uniform() * (i + 1));
    [p[i], p[r]] = [p[r]!, p[i]!];
  }
  if (permutations.size > 8) permutations.clear();
  permutations.set(key, p);
  return p;
}
