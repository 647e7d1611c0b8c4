/**
 * The trainer's access to tfjs's AdamOptimizer (bias-corrected Adam:
 * m̂ = m_t/(1 − β1^{t+1}), v̂ = v_t/(1 − β2^{t+1}), θ ← θ − η_t m̂/(√v̂ + ε)):
 * building one from the options' β1, β2, ε, setting its learning rate η_t
 * before each update (the `learningRate` field is read on every
 * applyGradients call), and reading or writing its private running products
 * β1^{t+1}, β2^{t+1} (tfjs 4.x field names) so checkpoints resume bit for bit.
 */
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../../backend/tfRuntime.js';
import type { TrainerOptions } from '../TrainerOptions.js';

/** Adam's private bias-correction accumulators β^{t+1} (tfjs 4.x field names). */
interface AdamInternals {
  learningRate: number;
  accBeta1?: TF.Variable;
  accBeta2?: TF.Variable;
}

/** A fresh tfjs Adam with the options' β1, β2, ε (defaults 0.9, 0.999, 1e-8) and η = the peak rate. */
export function freshAdam<B>(o: Readonly<TrainerOptions<B>>): TF.AdamOptimizer {
  return tfNow().train.adam(o.schedule.peakLr, o.beta1 ?? 0.9, o.beta2 ?? 0.999, o.epsilon ?? 1e-8);
}

/** Sets the learning rate the next applyGradients uses. */
export function setAdamLearningRate(opt: TF.AdamOptimizer, lr: number): void {
  (opt as unknown as AdamInternals).learningRate = lr;
}

/** Adam's running products β1^{t+1}, β2^{t+1}; undefined if tfjs hides them. */
export function readAdamAccumulators(opt: TF.AdamOptimizer): [number, number] | undefined {
  const internals = opt as unknown as AdamInternals;
  if (!internals.accBeta1 || !internals.accBeta2) return undefined;
  return [internals.accBeta1.dataSync()[0] ?? Number.NaN, internals.accBeta2.dataSync()[0] ?? Number.NaN];
}

/** Assigns Adam's running products (float32), if tfjs exposes them; otherwise does nothing. */
export function writeAdamAccumulators(opt: TF.AdamOptimizer, accBeta: [number, number]): void {
  const tf = tfNow();
  const internals = opt as unknown as AdamInternals;
  if (internals.accBeta1 && internals.accBeta2) {
    const [b1, b2] = accBeta;
    tf.tidy(() => {
      internals.accBeta1?.assign(tf.scalar(b1, 'float32'));
      internals.accBeta2?.assign(tf.scalar(b2, 'float32'));
    });
  }
}
