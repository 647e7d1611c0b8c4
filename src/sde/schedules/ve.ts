/**
 * Variance-exploding (VE) schedule — Song et al. 2021 ("Score-Based Generative
 * Modeling through SDEs", Eq. 9 and App. B; the continuous limit of SMLD/NCSN):
 *
 *   σ(t) = σ_min·(σ_max/σ_min)^t,   dx = √(dσ²/dt) dW = σ(t)√(2 ln(σ_max/σ_min)) dW,
 *   x_t = x0 + √(σ(t)² − σ_min²)·z      (a = 1, f = 0).
 *
 * The std is the exact marginal of the SDE started at x0 at t = 0
 * (variance ∫₀ᵗ g² = σ(t)² − σ_min²), not the σ(t) often used as an
 * approximation; both agree once σ(t) ≫ σ_min. Units: σ in data units.
 */
import type { Schedule } from './Schedule.js';

export interface VeOptions {
  sigmaMin?: number;
  sigmaMax?: number;
}

export interface VeSchedule extends Schedule {
  readonly sigmaMin: number;
  readonly sigmaMax: number;
  /** Noise level σ(t) = σ_min (σ_max/σ_min)^t. */
  sigma(t: number): number;
}

export function ve({ sigmaMin = 0.01, sigmaMax = 50 }: VeOptions = {}): VeSchedule {
  if (!(sigmaMin > 0 && sigmaMax > sigmaMin && Number.isFinite(sigmaMax))) {
    throw new Error(`ve: need 0 < sigmaMin < sigmaMax < Infinity, got sigmaMin=${sigmaMin}, sigmaMax=${sigmaMax}`);
  }
  const logRatio = Math.log(sigmaMax / sigmaMin);
  const gScale = Math.sqrt(2 * logRatio);
  const sigma = (t: number): number => sigmaMin * Math.exp(t * logRatio);
  return {
    name: 've',
    T: 1,
    // As in Song et al.'s VE sampler (sampling eps 1e-5); s(1e-5) ≈ 1.3e-4 = σ_min·√(2·1e-5·ln 5000).
    tMin: 1e-5,
    sigmaMin,
    sigmaMax,
    sigma,
    mean: () => 1,
    // √(σ² − σ_min²) = σ_min·√(expm1(2t·ln r)), precise at small t.
    std: (t) => sigmaMin * Math.sqrt(Math.expm1(2 * t * logRatio)),
    drift: () => 0,
    diffusion: (t) => sigma(t) * gScale,
  };
}
