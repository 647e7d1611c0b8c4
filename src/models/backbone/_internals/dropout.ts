/**
 * Inverted dropout with masks drawn on the JavaScript side from a seeded
 * stream, so a seed gives the same masks on every backend:
 *   y = x ⊙ m,  m_i = 0 with probability `rate`, 1/(1 − rate) otherwise.
 */
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../../backend/index.js';
import type { SeededRandom } from '../seededRandom.js';

export function dropout(x: TF.Tensor, rate: number, random: SeededRandom): TF.Tensor {
  const keep = 1 / (1 - rate);
  const m = new Float32Array(x.size);
  for (let i = 0; i < m.length; i++) m[i] = random.uniform() < rate ? 0 : keep;
  return tfNow().mul(x, tfNow().tensor(m, x.shape));
}
