/**
 * The options of the training loop (Trainer.ts): the optimizer (Adam with
 * β1, β2, ε; AdamW adds the decoupled decay θ ← θ(1 − η_t λ)), the schedule
 * (schedule.ts: linear warm-up to η, cosine decay to η_min over T steps),
 * global-norm clipping (g ← g · min(1, c/‖g‖)), the step or token budget,
 * early stopping on a validation metric, and the per-step callback.
 * Their checks are in _internals/checkTrainerOptions.ts.
 */
import type * as TF from '@tensorflow/tfjs';
import type { StepRecord } from './TrainResult.js';
import type { Trainer } from './Trainer.js';

/** Stop after this many steps, or before the step that would exceed this many tokens. */
export type Budget = { steps: number } | { tokens: number };

export interface ScheduleOptions {
  peakLr: number;
  /** Default 0. */
  warmupSteps?: number;
  /** Default 0. */
  minLr?: number;
  /**
   * Default: the step budget; under a token budget, floor(budget / tokens of
   * the first batch this trainer draws) (exact for constant-size batches).
   */
  totalSteps?: number;
}

export interface EvaluationOptions {
  /** Evaluate after every `every` steps (global step count divisible by it). */
  every: number;
  /** The validation metric after `step` steps (e.g. accuracy; higher is better). */
  metric: (step: number) => number | Promise<number>;
  /** Stop with status 'early-stopped' once the metric is ≥ this. */
  threshold: number;
}

export interface TrainerOptions<B = unknown> {
  /** 'adamw' adds decoupled weight decay (see Trainer.ts's header). Default 'adam'. */
  optimizer?: 'adam' | 'adamw';
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
  /** λ of AdamW (ignored for 'adam'). Default 0.01. */
  weightDecay?: number;
  /** Which variables AdamW decays (e.g. not biases / LayerNorm gains). Default: all. */
  decayFilter?: (variable: TF.Variable, index: number) => boolean;
  schedule: ScheduleOptions;
  /** Max global gradient norm c; 0 or Infinity disables clipping. Default 1. */
  clipNorm?: number;
  budget: Budget;
  /** Early stopping on a validation metric. */
  evaluation?: EvaluationOptions;
  /** Called after every step (and its evaluation), e.g. to log or checkpoint. */
  onStep?: (record: StepRecord, trainer: Trainer<B>) => void | Promise<void>;
}
