/**
 * trainingFlops — the standard estimate of training compute (Kaplan et al.
 * 2020; Hoffmann et al. 2022):
 *
 *   C ≈ 6·N·D  FLOPs
 *
 * for N parameters trained on D tokens (2·N per token forward, 4·N backward).
 * It is an estimate, not a count: it ignores attention's context-length term,
 * embeddings' share and any recomputation, and for masked diffusion it counts
 * each training token once like AR. Use it to put AR and diffusion runs on one
 * compute axis, and say it is this estimate wherever it is shown.
 */
import { StudyAnalysisError } from './StudyAnalysisError.js';

export function trainingFlops(params: number, tokens: number): number {
  if (!(params >= 0 && Number.isFinite(params))) throw new StudyAnalysisError(`params = ${params}: must be finite and ≥ 0`);
  if (!(tokens >= 0 && Number.isFinite(tokens))) throw new StudyAnalysisError(`tokens = ${tokens}: must be finite and ≥ 0`);
  return 6 * params * tokens;
}
