/**
 * Global-norm gradient clipping (max norm c > 0):
 *
 *   ‖g‖ = sqrt(Σ_v Σ_i g_{v,i}²);   g ← g · min(1, c / ‖g‖)
 *
 * The training loop (Trainer.ts) applies the same scaling inside its step;
 * this is the standalone form.
 */
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../backend/tfRuntime.js';

/**
 * Scales `grads` so their global norm is at most `maxNorm` (see header).
 * Returns new tensors (the inputs are not disposed) and the norm before
 * clipping. Disabled (scale 1) when maxNorm is 0 or Infinity.
 */
export function clipByGlobalNorm(grads: TF.Tensor[], maxNorm: number): { clipped: TF.Tensor[]; norm: number } {
  const tf = tfNow();
  const norm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))).dataSync()[0] ?? Number.NaN);
  const scale = maxNorm > 0 && Number.isFinite(maxNorm) && norm > maxNorm ? maxNorm / norm : 1;
  return { clipped: grads.map((g) => tf.tidy(() => (scale === 1 ? tf.clone(g) : tf.mul(g, scale)))), norm };
}
