/**
 * Test fixtures for the training loop: logistic regression on seeded random
 * data (a learnable toy problem), with a batch source that is a pure function
 * of the step. Loss: mean binary cross-entropy of logits z = x·w + b,
 * computed stably as relu(z) − z·y + log(1 + exp(−|z|)).
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchSource, TrainableModel } from './Trainer.js';

export interface ToyBatch {
  x: tf.Tensor2D; // [batch, dim]
  y: tf.Tensor2D; // [batch, 1]
}

export interface ToyProblem {
  model: TrainableModel<ToyBatch> & { w: tf.Variable; b: tf.Variable };
  source: BatchSource<ToyBatch>;
  /** Accuracy of the current weights on the whole data set. */
  accuracy(): number;
  dispose(): void;
}

/** A logistic-regression problem: `n` points in `dim` dimensions labelled by a random hyperplane. */
export function logisticProblem(options: { seed?: number; dim?: number; n?: number; batch?: number; initSeed?: number } = {}): ToyProblem {
  const { seed = 1, dim = 8, n = 256, batch = 32, initSeed = 11 } = options;
  if (n % batch !== 0) throw new RangeError('n must be a multiple of batch');
  const [x, y] = tf.tidy(() => {
    const xs = tf.randomNormal([n, dim], 0, 1, 'float32', seed) as tf.Tensor2D;
    const wTrue = tf.randomNormal([dim, 1], 0, 1, 'float32', seed + 1);
    return [xs, tf.cast(tf.greater(tf.matMul(xs, wTrue), 0), 'float32') as tf.Tensor2D];
  });
  const w = tf.variable(tf.tidy(() => tf.mul(tf.randomNormal([dim, 1], 0, 1, 'float32', initSeed), 0.1)));
  const b = tf.variable(tf.zeros([1]));
  const logits = (xs: tf.Tensor2D) => tf.add(tf.matMul(xs, w), b);
  const model = {
    w,
    b,
    variables: () => [w, b],
    loss: ({ x: xs, y: ys }: ToyBatch): tf.Scalar => {
      const z = logits(xs);
      return tf.mean(tf.add(tf.sub(tf.relu(z), tf.mul(z, ys)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))))) as tf.Scalar;
    },
  };
  const source: BatchSource<ToyBatch> = {
    next(step) {
      const start = (step * batch) % n;
      return { batch: { x: tf.slice(x, [start, 0], [batch, dim]), y: tf.slice(y, [start, 0], [batch, 1]) }, tokens: batch };
    },
  };
  return {
    model,
    source,
    accuracy: () => tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.cast(tf.greater(logits(x), 0), 'float32'), y), 'float32')).dataSync()[0] ?? 0),
    dispose: () => tf.dispose([x, y, w, b]),
  };
}

/** The values of variables, as plain Float32Arrays. */
export function snapshot(variables: tf.Variable[]): Float32Array[] {
  return variables.map((v) => Float32Array.from(v.dataSync()));
}
