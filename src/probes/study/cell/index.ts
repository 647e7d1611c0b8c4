/**
 * The study cell of the data-constrained study (issue 7): one model kind
 * ('ar', 'diffusion', 'ar-orders') trained for E epochs on U unique Brown
 * tokens, with held-out bits per token (exact AR NLL / MDLM NELBO bound) on
 * the same U-independent rows, log-spaced in epochs.
 */
export {
  DEFAULT_BPE_VOCAB_SIZE,
  STUDY_CORPORA,
  STUDY_MODEL_KINDS,
  studyCellConfig,
  StudyCellConfigError,
  studyCellConfigSchema,
  studyCellHash,
} from './StudyCellConfig.js';
export type { StudyCellConfig, StudyCellConfigInput, StudyCorpusName, StudyModelKind } from './StudyCellConfig.js';
export { studyWindows } from './studyWindows.js';
export { studyCellData, studyTokenizer } from './studyCellData.js';
export type { StudyCellData } from './studyCellData.js';
export { planBatch, rowsAfter, studyPlan } from './studyPlan.js';
export type { StudyPlan } from './studyPlan.js';
export { buildStudyModel } from './studyModel.js';
export type { StudyModel, StudyRow } from './studyModel.js';
export { runStudyCell, studyCellCheckpointable } from './runStudyCell.js';
export type { RunStudyCellOptions, StudyCellResult, StudyEvaluation } from './runStudyCell.js';
