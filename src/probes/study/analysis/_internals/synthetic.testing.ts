/** Synthetic data-constrained curves for the tests: known (L∞, B, β, R), optional seeded Gaussian noise. */
import { SeededRandom } from '../../../../models/backbone/seededRandom.js';
import { dataConstrainedLoss } from '../dataConstrainedLoss.js';
import type { DataConstrainedPoint } from '../fitDataConstrained.js';

export const UNIQUE = [1e4, 3e4, 1e5, 3e5, 1e6];
export const EPOCHS = [1, 2, 4, 8, 16, 32, 64, 128, 200];
export const TRUTH = { lInf: 1.8, b: 80, beta: 0.35 };

export function synthetic(rStar: number, noise = 0, seed = 1): DataConstrainedPoint[] {
  const rng = new SeededRandom(seed, 7);
  const points: DataConstrainedPoint[] = [];
  for (const uniqueTokens of UNIQUE) {
    for (const epochs of EPOCHS) {
      const loss = dataConstrainedLoss({ rStar, ...TRUTH }, uniqueTokens, epochs) + (noise > 0 ? noise * rng.normal() : 0);
      points.push({ uniqueTokens, epochs, loss });
    }
  }
  return points;
}
