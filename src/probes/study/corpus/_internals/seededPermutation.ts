/**
 * A seeded permutation of 0 … n−1: Fisher–Yates from the last index down,
 * j = ⌊u·(i+1)⌋ with u a 53-bit uniform of SeededRandom(seed, stream).
 */
import { SeededRandom } from '../../../../models/backbone/seededRandom.js';

export function seededPermutation(n: number, seed: number, stream: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = new SeededRandom(seed, stream);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(rng.uniform() * (i + 1)));
    const t = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = t;
  }
  return order;
}
