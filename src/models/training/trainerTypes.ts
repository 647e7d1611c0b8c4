/**
 * What the training loop (Trainer.ts) exchanges with the outside: the model
 * it trains (its variables θ and a scalar loss L(θ; batch)), the source of
 * its batches (a function of the global step, so a resumed run draws the same
 * batches), and named tensors as tfjs optimizers' getWeights()/setWeights()
 * hand over Adam's state (the iteration count t, then the moments m, v).
 */
import type * as TF from '@tensorflow/tfjs';

/** What the trainer needs of a model: its trainable variables and a scalar loss. */
export interface TrainableModel<B> {
  /** The variables to train, in a stable order (checkpoints match them by position). */
  variables(): TF.Variable[];
  /** The scalar loss of one batch (built inside the step's tf.tidy). */
  loss(batch: B): TF.Scalar;
}

/**
 * Where batches come from. `next(step)` gets the global 0-based step index, so
 * a source that is a pure function of the step resumes exactly after a
 * checkpoint. `tokens` is the number of training tokens the batch counts for
 * the token budget.
 */
export interface BatchSource<B> {
  next(step: number): { batch: B; tokens: number };
}

/** A tensor with a name, as tfjs optimizers' getWeights()/setWeights() exchange them. */
export interface NamedTensor {
  name: string;
  tensor: TF.Tensor;
}
