/**
 * What the training loop (Trainer.ts) reports: one record per applied step
 * (loss L, gradient norm ‖g‖ before clipping, learning rate η_t, tokens so
 * far, the validation metric where evaluated), the outcome of one step, why a
 * run stopped (budget spent, metric ≥ threshold, or a non-finite loss or ‖g‖),
 * and the counters a checkpoint saves (checkpoint.ts, trainer.json).
 */

/** One training step, as kept in the history. */
export interface StepRecord {
  /** Global number of steps done after this one (1-based). */
  step: number;
  loss: number;
  /** ‖g‖ before clipping. */
  gradNorm: number;
  /** Learning rate η_t of this step. */
  lr: number;
  /** Global tokens trained on after this step. */
  tokens: number;
  /** The validation metric, on steps where it was evaluated. */
  metric?: number;
}

export type TrainStatus = 'completed' | 'early-stopped' | 'diverged';

export interface Divergence {
  /** The 1-based global step whose loss or gradient norm was not finite (not applied). */
  step: number;
  quantity: 'loss' | 'gradient norm';
  value: number;
}

export interface TrainResult {
  status: TrainStatus;
  /** Global steps applied (resumed steps included). */
  steps: number;
  /** Global tokens trained on. */
  tokens: number;
  /** Loss of the first step ever (carried through checkpoints); NaN before any step. */
  lossFirst: number;
  /** Loss of the last applied step; NaN before any step. */
  lossLast: number;
  history: StepRecord[];
  /** Present when status is 'diverged'. */
  divergence?: Divergence;
}

/** The trainer's counters, as saved in a checkpoint. */
export interface TrainerState {
  steps: number;
  tokens: number;
  lossFirst: number;
  lossLast: number;
  history: StepRecord[];
}

/** The outcome of one call to `Trainer.step()`. */
export type StepOutcome =
  | { kind: 'applied'; record: StepRecord }
  | { kind: 'diverged'; divergence: Divergence }
  | { kind: 'over-budget'; batchTokens: number };
