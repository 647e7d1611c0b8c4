/**
 * Token ids for a backbone's forward pass: rows of equal length (validated:
 * integers in [0, vocabSize), 1 ≤ seq ≤ contextLength) or an int32 tensor
 * [batch, seq], as one int32 tensor [batch, seq]. Errors are one line and
 * name the caller (`who`).
 */
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../../backend/index.js';
import type { TokenBatch } from '../Backbone.js';

export function tokenIds(tokens: TokenBatch, shape: { vocabSize: number; contextLength: number }, who: string): TF.Tensor {
  const tf = tfNow();
  if (!Array.isArray(tokens)) {
    const t = tokens as TF.Tensor2D;
    if (t.rank !== 2 || t.dtype !== 'int32') {
      throw new Error(`${who}: tokens tensor must be int32 [batch, seq], got ${t.dtype} ${JSON.stringify(t.shape)}`);
    }
    const seq = t.shape[1];
    if (seq < 1 || seq > shape.contextLength) {
      throw new Error(`${who}: sequence length ${seq} must be in [1, contextLength = ${shape.contextLength}]`);
    }
    return t;
  }
  const rows = tokens as readonly (readonly number[])[];
  const batch = rows.length;
  const seq = rows[0]?.length ?? 0;
  if (batch < 1 || seq < 1 || seq > shape.contextLength) {
    throw new Error(`${who}: tokens must be [batch ≥ 1, seq in [1, contextLength = ${shape.contextLength}]], got ${batch} rows of ${seq}`);
  }
  const ids = new Int32Array(batch * seq);
  rows.forEach((row, b) => {
    if (row.length !== seq) throw new Error(`${who}: row ${b} has ${row.length} tokens, row 0 has ${seq}`);
    row.forEach((id, j) => {
      if (!Number.isInteger(id) || id < 0 || id >= shape.vocabSize) {
        throw new Error(`${who}: token ${id} at [${b}, ${j}] is outside [0, vocabSize = ${shape.vocabSize})`);
      }
      ids[b * seq + j] = id;
    });
  });
  return tf.tensor2d(ids, [batch, seq], 'int32');
}
