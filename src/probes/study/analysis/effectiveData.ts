/**
 * effectiveData — Muennighoff et al.'s (2023) effective data for E epochs
 * over U unique tokens, as used by Prabhudesai et al. (2025):
 *
 *   D′(U, E) = U + U·R·(1 − e^{−(E − 1)/R})
 *
 * The first epoch is worth U; the (E − 1) repeats are worth U·R·(1 − e^{−(E−1)/R}),
 * which grows like U·(E − 1) while E − 1 ≪ R and saturates at U·R: R = R_D* is
 * the number of repeats after which repeated data has lost most (1 − 1/e) of
 * its value. Limits: R → ∞ gives D′ = U·E (every repeat as good as new data),
 * R → 0 gives D′ = U. Computed with expm1 so large R stays exact:
 * R·(1 − e^{−x/R}) = −R·expm1(−x/R).
 */
import { StudyAnalysisError } from './StudyAnalysisError.js';

export function effectiveData(uniqueTokens: number, epochs: number, rStar: number): number {
  if (!(uniqueTokens > 0 && Number.isFinite(uniqueTokens))) throw new StudyAnalysisError(`uniqueTokens = ${uniqueTokens}: must be finite and > 0`);
  if (!(epochs >= 1 && Number.isFinite(epochs))) throw new StudyAnalysisError(`epochs = ${epochs}: must be finite and ≥ 1`);
  if (!(rStar >= 0)) throw new StudyAnalysisError(`rStar = ${rStar}: must be ≥ 0 (Infinity allowed)`);
  return uniqueTokens * (1 + repeatValue(epochs - 1, rStar));
}

/** R·(1 − e^{−x/R}) for x ≥ 0, with its limits x at R = ∞ and 0 at R = 0. */
export function repeatValue(repeats: number, rStar: number): number {
  if (rStar === Infinity) return repeats;
  if (rStar === 0) return 0;
  return -rStar * Math.expm1(-repeats / rStar);
}
