/**
 * The masked cross-entropy shared by the model kinds, and the plain-array
 * checks on the batches they consume.
 *
 * With B = batch, t = positions, K = classes, logits z [B, t, K], class ids
 * y [B, t] and a 0/1 mask m [B, t]:
 *
 *   log p = logSoftmax(z)                                        [B, t, K]
 *   Y     = oneHotFloat(y, K)                                    [B, t, K]
 *   ℓ[b, i] = −Σ_k Y[b, i, k] · log p[b, i, k]                   [B, t]
 *   L = Σ_{b,i} m[b, i] · ℓ[b, i] / max(1, Σ_{b,i} m[b, i])      scalar
 *
 * The one-hot is built as int32 and cast (oneHotFloat), which is correct on
 * wasm. Positions with mask 0 contribute nothing to the value or to the
 * gradient, so their class ids may be anything inside [0, K).
 */
import type * as TF from '@tensorflow/tfjs';
import { oneHotFloat, tfNow } from '../backend/index.js';

/** Rows of equal length; the one number each kind's batches are built from. */
export type Rows = readonly (readonly number[])[];

/**
 * Mean cross-entropy of `logits` [B, t, K] against `ids` [B, t] over the
 * positions where `mask` [B, t] is 1 (see header). The caller owns the result.
 */
export function maskedCrossEntropy(logits: TF.Tensor, ids: Rows, mask: Rows): TF.Scalar {
  const tf = tfNow();
  const [batch = 0, seq = 0, classes = 0] = logits.shape;
  return tf.tidy(() => {
    const y = tf.tensor2d(flatInt(ids, batch, seq, 'ids'), [batch, seq], 'int32'); // [B, t]
    const m = tf.tensor2d(flatFloat(mask, batch, seq, 'mask'), [batch, seq]); // [B, t]
    const logP = tf.logSoftmax(logits); // [B, t, K]
    const nll = tf.neg(tf.sum(tf.mul(oneHotFloat(y, classes), logP), -1)); // [B, t]
    const count = tf.maximum(tf.sum(m), 1); // scalar
    return tf.div(tf.sum(tf.mul(nll, m)), count) as TF.Scalar;
  });
}

/** Row-major int32 copy of `rows` after checking it is [batch, seq]. */
export function flatInt(rows: Rows, batch: number, seq: number, what: string): Int32Array {
  checkShape(rows, batch, seq, what);
  const out = new Int32Array(batch * seq);
  rows.forEach((row, i) => row.forEach((v, j) => (out[i * seq + j] = v)));
  return out;
}

/** Row-major float32 copy of `rows` after checking it is [batch, seq]. */
export function flatFloat(rows: Rows, batch: number, seq: number, what: string): Float32Array {
  checkShape(rows, batch, seq, what);
  const out = new Float32Array(batch * seq);
  rows.forEach((row, i) => row.forEach((v, j) => (out[i * seq + j] = v)));
  return out;
}

/** Throws unless `rows` has `batch` rows of `seq` entries. */
export function checkShape(rows: Rows, batch: number, seq: number, what: string): void {
  if (rows.length !== batch) throw new Error(`${what}: expected ${batch} rows, got ${rows.length}`);
  rows.forEach((row, i) => {
    if (row.length !== seq) throw new Error(`${what}: row ${i} has ${row.length} entries, expected ${seq}`);
  });
}

/** Throws unless every entry of a 0/1 mask is 0 or 1. */
export function checkMask(mask: Rows, what: string): void {
  mask.forEach((row, i) =>
    row.forEach((v, j) => {
      if (v !== 0 && v !== 1) throw new Error(`${what}: entry [${i}, ${j}] is ${v}, must be 0 or 1`);
    }),
  );
}

/** Index of the largest entry of each row of a [rows·width] row-major array. */
export function argmaxRows(values: ArrayLike<number>, rows: number, width: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestValue = -Infinity;
    for (let k = 0; k < width; k++) {
      const v = values[r * width + k] ?? -Infinity;
      if (v > bestValue) {
        bestValue = v;
        best = k;
      }
    }
    out[r] = best;
  }
  return out;
}
