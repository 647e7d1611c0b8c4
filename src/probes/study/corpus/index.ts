/**
 * Corpora and tokenizers of the data-constrained study (issue 7): the Brown
 * corpus, a character tokenizer, a BPE tokenizer trained by depthlab, the
 * token budgets (U unique training tokens, a fixed held-out stream), and the
 * same budgets drawn from a task suite's examples (taskCorpus, TaskTokenizer).
 */
export { BROWN_GENRES, loadBrownCorpus } from './brownCorpus.js';
export type { BrownDocument, LoadBrownCorpusOptions } from './brownCorpus.js';
export { SPECIAL_TOKENS } from './specialTokens.js';
export type { Tokenizer } from './tokenizer.js';
export { CharTokenizer } from './charTokenizer.js';
export type { CharTokenizerJson } from './charTokenizer.js';
export { BpeTokenizer } from './bpeTokenizer.js';
export type { BpeTokenizerJson } from './bpeTokenizer.js';
export { trainBpe } from './trainBpe.js';
export type { TrainBpeOptions } from './trainBpe.js';
export { STUDY_CORPUS_STREAM, studyCorpus, StudyCorpusError } from './studyCorpus.js';
export type { StudyCorpus, StudyCorpusOptions } from './studyCorpus.js';
export { TASK_FORMATS, TaskTokenizer } from './taskTokenizer.js';
export type { TaskFormat } from './taskTokenizer.js';
export { TASK_HELD_OUT_SHARE, taskCorpus } from './taskCorpus.js';
export type { TaskCorpus, TaskCorpusOptions } from './taskCorpus.js';
