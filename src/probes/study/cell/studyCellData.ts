/**
 * studyCellData — the data of a study cell: its tokenizer, its U training
 * tokens and held-out tokens (studyCorpus), and both cut into rows of
 * C + 1 tokens (studyWindows.ts).
 *
 * 1. The document split is studyCorpus's with seed = corpusSeed: the first
 *    10% of the seeded document order is held out, the rest trains.
 * 2. The tokenizer is trained on the training documents only — all of them,
 *    each followed by studyCorpus's separator '\n\n\n', concatenated in that
 *    order — never on held-out text: CharTokenizer.train (held-out characters
 *    it has not seen become <unk>), or trainBpe with bpeVocabSize ids and
 *    seed = corpusSeed. It does not depend on U, so neither do the held-out
 *    tokens: the held-out rows are identical for every U (and every model,
 *    epoch count and training seed).
 * 3. train = the first U training tokens, heldOut = the first heldOutTokens
 *    held-out tokens (studyCorpus), each windowed.
 *
 * Tokenizers are memoised per (corpus, bpeVocabSize, corpusSeed) (BPE on the
 * 5.4M training characters takes ~2 s).
 */
import { CharTokenizer, studyCorpus, trainBpe, loadBrownCorpus } from '../corpus/index.js';
import type { Tokenizer } from '../corpus/index.js';
import type { StudyCellConfig } from './StudyCellConfig.js';
import { studyWindows } from './studyWindows.js';

export interface StudyCellData {
  tokenizer: Tokenizer;
  /** Exactly U training tokens. */
  train: Int32Array;
  /** Exactly heldOutTokens held-out tokens. */
  heldOut: Int32Array;
  /** W rows of C + 1 training tokens. */
  trainWindows: number[][];
  /** The held-out rows of C + 1 tokens (the same for every U). */
  heldOutWindows: number[][];
  /** W·C: the tokens scored per pass over trainWindows. */
  tokensPerEpoch: number;
}

type DataConfig = Pick<StudyCellConfig, 'corpus' | 'bpeVocabSize' | 'corpusSeed' | 'uniqueTokens' | 'heldOutTokens' | 'contextLength'>;

const SEPARATOR = '\n\n\n';
const tokenizers = new Map<string, Tokenizer>();

/** The cell's tokenizer, corpus and rows (header). Throws studyCorpus's one-line error if U is too large. */
export function studyCellData(config: DataConfig): StudyCellData {
  const tokenizer = studyTokenizer(config);
  const corpus = studyCorpus({ tokenizer, uniqueTokens: config.uniqueTokens, heldOutTokens: config.heldOutTokens, seed: config.corpusSeed, separator: SEPARATOR });
  const trainWindows = studyWindows(corpus.train, config.contextLength);
  return {
    tokenizer,
    train: corpus.train,
    heldOut: corpus.heldOut,
    trainWindows,
    heldOutWindows: studyWindows(corpus.heldOut, config.contextLength),
    tokensPerEpoch: trainWindows.length * config.contextLength,
  };
}

/** The tokenizer trained on the training documents of the corpusSeed split (memoised). */
export function studyTokenizer(config: Pick<StudyCellConfig, 'corpus' | 'bpeVocabSize' | 'corpusSeed'>): Tokenizer {
  const key = `${config.corpus}|${config.bpeVocabSize ?? ''}|${config.corpusSeed}`;
  const hit = tokenizers.get(key);
  if (hit) return hit;
  const documents = loadBrownCorpus();
  // The split alone: no tokens asked for, so the encoder is never called.
  const split = studyCorpus({ tokenizer: { encode: () => new Int32Array(0) }, uniqueTokens: 0, heldOutTokens: 0, seed: config.corpusSeed, documents, separator: SEPARATOR });
  const held = new Set(split.heldOutDocumentIds);
  const text = documents
    .filter((d) => !held.has(d.id))
    .map((d) => d.text + SEPARATOR)
    .join('');
  const tokenizer = config.corpus === 'brown-bpe' ? trainBpe(text, { vocabSize: config.bpeVocabSize ?? 1024, seed: config.corpusSeed }) : CharTokenizer.train(text);
  tokenizers.set(key, tokenizer);
  return tokenizer;
}
