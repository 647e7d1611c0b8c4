/**
 * The training layer of src/models: the learning-rate schedule (linear
 * warm-up, cosine decay η_t = η_min + (η − η_min)·½(1 + cos πp)), the generic
 * Adam/AdamW trainer (m, v moments; AdamW's decoupled decay θ ← θ(1 − η_t λ))
 * with global-norm clipping, budgets, early stopping and divergence
 * detection, and resumable checkpoints.
 */
export { learningRate, validateSchedule } from './schedule.js';
export type { LrSchedule } from './schedule.js';
export { Trainer, clipByGlobalNorm } from './Trainer.js';
export type {
  BatchSource,
  Budget,
  Divergence,
  NamedTensor,
  EvaluationOptions,
  ScheduleOptions,
  StepOutcome,
  StepRecord,
  TrainableModel,
  TrainerOptions,
  TrainerState,
  TrainResult,
  TrainStatus,
} from './Trainer.js';
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CheckpointError,
  loadCheckpoint,
  loadWeights,
  readCheckpointConfig,
  saveCheckpoint,
} from './checkpoint.js';
export type { BinIndex, OptimizerFile, TensorEntry } from './checkpoint.js';
