/**
 * The training layer of src/models: the learning-rate schedule (linear
 * warm-up, cosine decay η_t = η_min + (η − η_min)·½(1 + cos πp)), the generic
 * Adam/AdamW trainer (m, v moments; AdamW's decoupled decay θ ← θ(1 − η_t λ))
 * with global-norm clipping, budgets, early stopping and divergence
 * detection, and resumable checkpoints.
 */
export { learningRate, validateSchedule } from './schedule.js';
export type { LrSchedule } from './schedule.js';
export { Trainer } from './Trainer.js';
export { clipByGlobalNorm } from './clipByGlobalNorm.js';
export type { BatchSource, NamedTensor, TrainableModel } from './trainerTypes.js';
export type { Budget, EvaluationOptions, ScheduleOptions, TrainerOptions } from './TrainerOptions.js';
export type { Divergence, StepOutcome, StepRecord, TrainerState, TrainResult, TrainStatus } from './TrainResult.js';
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './checkpointFormat.js';
export type { BinIndex, OptimizerFile, TensorEntry } from './checkpointFormat.js';
export { CheckpointError } from './CheckpointError.js';
export { loadCheckpoint, loadWeights, readCheckpointConfig } from './loadCheckpoint.js';
export { saveCheckpoint } from './saveCheckpoint.js';
