/**
 * Token budgets for the data-constrained study (issue 7): a training stream
 * of exactly U unique tokens and a held-out stream that is the same for every
 * U, so that held-out losses across budgets are comparable.
 *
 * Algorithm.
 *  1. Shuffle the documents (default: the Brown corpus, in file order) with a
 *     seeded permutation — Fisher–Yates on SeededRandom(seed, stream 0x57d1).
 *  2. The first ⌈heldOutShare·n⌉ documents of that order (default share 0.1:
 *     50 of Brown's 500) are held out; the rest are training documents, in
 *     the same order. Neither set depends on U.
 *  3. Each document is encoded as its text followed by `separator` (default
 *     '\n\n\n', i.e. two empty lines, which no Brown text contains); the
 *     encodings are concatenated in order.
 *  4. train = the first U tokens of the training stream; heldOut = the first
 *     `heldOutTokens` tokens of the held-out stream. Documents are encoded
 *     lazily, only as far as needed.
 * A U (or heldOutTokens) larger than its documents hold is refused with a
 * one-line error naming the request and the maximum.
 */
import { loadBrownCorpus } from './brownCorpus.js';
import { seededPermutation } from './_internals/seededPermutation.js';
import type { Tokenizer } from './tokenizer.js';

/** A budget the corpus cannot meet (or a malformed request); the message is one line naming it. */
export class StudyCorpusError extends Error {
  override readonly name = 'StudyCorpusError';
}

/** The SeededRandom stream of the document shuffle. */
export const STUDY_CORPUS_STREAM = 0x57d1;

export interface StudyCorpusOptions {
  tokenizer: Pick<Tokenizer, 'encode'>;
  /** U: the exact number of training tokens. */
  uniqueTokens: number;
  /** The exact number of held-out tokens. */
  heldOutTokens: number;
  seed: number;
  /** The documents to draw from; default loadBrownCorpus(). */
  documents?: readonly { id: string; text: string }[];
  /** Share of the documents held out (rounded up); default 0.1. */
  heldOutShare?: number;
  /** Appended to every document before encoding; default '\n\n\n'. */
  separator?: string;
}

export interface StudyCorpus {
  /** Exactly U tokens: the start of the training documents' stream. */
  train: Int32Array;
  /** Exactly heldOutTokens tokens from the held-out documents. */
  heldOut: Int32Array;
  /** Ids of the training documents that contribute to `train` (the last maybe in part), in order. */
  trainDocumentIds: string[];
  /** Ids of all held-out documents, in order (whether or not `heldOut` reaches them). */
  heldOutDocumentIds: string[];
}

export function studyCorpus(options: StudyCorpusOptions): StudyCorpus {
  const { tokenizer, uniqueTokens, heldOutTokens, seed } = options;
  const share = options.heldOutShare ?? 0.1;
  const separator = options.separator ?? '\n\n\n';
  const docs = options.documents ?? loadBrownCorpus();
  for (const [name, v] of [['uniqueTokens', uniqueTokens], ['heldOutTokens', heldOutTokens]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new StudyCorpusError(`studyCorpus: ${name} must be a non-negative integer, got ${v}`);
  }
  if (!(share > 0 && share < 1)) throw new StudyCorpusError(`studyCorpus: heldOutShare must lie in (0, 1), got ${share}`);
  if (docs.length < 2) throw new StudyCorpusError(`studyCorpus: need at least 2 documents, got ${docs.length}`);

  const order = seededPermutation(docs.length, seed, STUDY_CORPUS_STREAM).map((i) => docs[i] ?? { id: '', text: '' });
  const nHeld = Math.min(docs.length - 1, Math.ceil(share * docs.length));
  const held = order.slice(0, nHeld);
  const training = order.slice(nHeld);

  const heldOut = take(held, heldOutTokens, 'heldOutTokens');
  const train = take(training, uniqueTokens, 'U');
  return {
    train: train.tokens,
    heldOut: heldOut.tokens,
    trainDocumentIds: train.used,
    heldOutDocumentIds: held.map((d) => d.id),
  };

  function take(from: readonly { id: string; text: string }[], count: number, name: string) {
    const tokens = new Int32Array(count);
    const used: string[] = [];
    let n = 0;
    for (const doc of from) {
      if (n >= count) break;
      const ids = tokenizer.encode(doc.text + separator);
      const k = Math.min(ids.length, count - n);
      tokens.set(ids.subarray(0, k), n);
      n += k;
      used.push(doc.id);
    }
    if (n < count) {
      throw new StudyCorpusError(`studyCorpus: ${name} = ${count} exceeds the ${n} tokens its ${from.length} documents hold (seed ${seed})`);
    }
    return { tokens, used };
  }
}
