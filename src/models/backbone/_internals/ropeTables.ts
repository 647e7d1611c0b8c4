/**
 * RoPE's constant tables for the transformer backbone: for positions p < T
 * and a head of size h, with θ_j = 10000^(−2j/h), j < h/2,
 *   cos[p, j] = cos[p, j + h/2] = cos(pθ_j),  sin[p, j] = sin[p, j + h/2] = sin(pθ_j),
 * and rotate_half's fixed matrix R [h, h], (x·R)_j = −x_{j+h/2},
 * (x·R)_{j+h/2} = x_j, so that RoPE(x) = x ⊙ cos + (x·R) ⊙ sin.
 */
import type * as TF from '@tensorflow/tfjs';

type Tensor = TF.Tensor;

/** RoPE's base. */
const ROPE_BASE = 10000;

/** cos and sin tables [T, h] (each angle repeated for both halves) and rotate_half's matrix R [h, h]. */
export function ropeTables(tf: typeof TF, contextLength: number, headDim: number): { cos: Tensor; sin: Tensor; rotateHalf: Tensor } {
  const half = headDim / 2;
  const cos = new Float32Array(contextLength * headDim);
  const sin = new Float32Array(contextLength * headDim);
  for (let p = 0; p < contextLength; p++) {
    for (let j = 0; j < half; j++) {
      const angle = p * Math.pow(ROPE_BASE, (-2 * j) / headDim);
      cos[p * headDim + j] = cos[p * headDim + j + half] = Math.cos(angle);
      sin[p * headDim + j] = sin[p * headDim + j + half] = Math.sin(angle);
    }
  }
  // (x·R)_j = −x_{j+half}: R[j+half, j] = −1;  (x·R)_{j+half} = x_j: R[j, j+half] = 1.
  const r = new Float32Array(headDim * headDim);
  for (let j = 0; j < half; j++) {
    r[(j + half) * headDim + j] = -1;
    r[j * headDim + j + half] = 1;
  }
  return {
    cos: tf.tensor2d(cos, [contextLength, headDim]),
    sin: tf.tensor2d(sin, [contextLength, headDim]),
    rotateHalf: tf.tensor2d(r, [headDim, headDim]),
  };
}
