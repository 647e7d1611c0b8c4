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
 *
 * Corpus 'task' (taskCorpus.ts): the task's examples at taskDepth in
 * taskFormat instead of documents — held-out inputs split off by hash,
 * each split ordered by corpusSeed — and its own fixed vocabulary
 * (TaskTokenizer), so again the held-out rows are identical for every U and
 * a smaller U's stream is a prefix of a larger one's.
 */
import { CharTokenizer, studyCorpus, StudyCorpusError, taskCorpus, TaskTokenizer, trainBpe, loadBrownCorpus } from '../corpus/index.js';
import type { Tokenizer } from '../corpus/index.js';
import { DEFAULT_TASK_FORMAT, studyTask, type StudyCellConfig } from './StudyCellConfig.js';
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

type TokenizerConfig = Pick<StudyCellConfig, 'corpus' | 'bpeVocabSize' | 'corpusSeed' | 'task' | 'group'>;
type DataConfig = TokenizerConfig & Pick<StudyCellConfig, 'uniqueTokens' | 'heldOutTokens' | 'contextLength' | 'taskDepth' | 'taskFormat'>;

const SEPARATOR = '\n\n\n';
const tokenizers = new Map<string, Tokenizer>();

/** The cell's tokenizer, corpus and rows (header). Throws studyCorpus's (taskCorpus's) one-line error if U is too large. */
export function studyCellData(config: DataConfig): StudyCellData {
  const budget = { uniqueTokens: config.uniqueTokens, heldOutTokens: config.heldOutTokens, seed: config.corpusSeed };
  let tokenizer: Tokenizer;
  let corpus: { train: Int32Array; heldOut: Int32Array };
  if (config.corpus === 'task') {
    const task = studyTask(config);
    if (task === undefined || config.taskDepth === undefined) throw new StudyCorpusError(`studyCellData: corpus 'task' needs a known task and a taskDepth; validate the config with studyCellConfig`);
    const data = taskCorpus({ task, depth: config.taskDepth, format: config.taskFormat ?? DEFAULT_TASK_FORMAT, ...budget });
    tokenizer = data.tokenizer;
    corpus = data;
  } else {
    tokenizer = studyTokenizer(config);
    corpus = studyCorpus({ tokenizer, ...budget, separator: SEPARATOR });
  }
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

/** The tokenizer trained on the training documents of the corpusSeed split (memoised); corpus 'task': the task's TaskTokenizer. */
export function studyTokenizer(config: TokenizerConfig): Tokenizer {
  const key = `${config.corpus}|${config.bpeVocabSize ?? ''}|${config.corpusSeed}|${config.task ?? ''}|${config.group ?? ''}`;
  const hit = tokenizers.get(key);
  if (hit) return hit;
  if (config.corpus === 'task') {
    const task = studyTask(config);
    if (task === undefined) throw new StudyCorpusError(`studyTokenizer: task = ${JSON.stringify(config.task)} (group ${JSON.stringify(config.group)}) is not a task; validate the config with studyCellConfig`);
    const tokenizer = new TaskTokenizer(task);
    tokenizers.set(key, tokenizer);
    return tokenizer;
  }
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
