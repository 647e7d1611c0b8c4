/**
 * Variance-preserving (VP) schedules — the continuous-time DDPM of Song et al.
 * 2021 ("Score-Based Generative Modeling through SDEs", Eq. 11 and App. B):
 *
 *   dx = −½β(t)·x dt + √β(t) dW,   B(t) = ∫₀ᵗ β(u) du,
 *   x_t = e^{−B/2}·x0 + √(1 − e^{−B})·z      (so ᾱ(t) = e^{−B(t)}).
 *
 * `vpFromBeta` builds a VP schedule from any rate β(t) ≥ 0 (units: 1/time) and
 * its integral B(t) (dimensionless); `vpLinear` is the standard linear rate
 * β(t) = β_min + t(β_max − β_min) with (β_min, β_max) = (0.1, 20).
 */
import type { Schedule } from './Schedule.js';

/** A VP schedule that also exposes its rate β(t) and integrated rate B(t). */
export interface VpSchedule extends Schedule {
  /** Noise rate β(t) = g(t)² = −2 f(t). */
  beta(t: number): number;
  /** B(t) = ∫₀ᵗ β(u) du, so that ᾱ(t) = e^{−B(t)}. */
  integratedBeta(t: number): number;
}

export interface VpFromBetaOptions {
  name: string;
  beta: (t: number) => number;
  integratedBeta: (t: number) => number;
  T?: number;
  tMin?: number;
}

/**
 * A VP schedule from β and B. The std uses −expm1(−B) rather than 1 − e^{−B}
 * so that s(t) keeps full relative precision at small t (B ≈ β_min·t ≈ 1e-4).
 */
export function vpFromBeta({ name, beta, integratedBeta, T = 1, tMin = 1e-3 }: VpFromBetaOptions): VpSchedule {
  return {
    name,
    T,
    tMin,
    beta,
    integratedBeta,
    mean: (t) => Math.exp(-0.5 * integratedBeta(t)),
    std: (t) => Math.sqrt(-Math.expm1(-integratedBeta(t))),
    drift: (t) => -0.5 * beta(t),
    diffusion: (t) => Math.sqrt(beta(t)),
  };
}

export interface VpLinearOptions {
  betaMin?: number;
  betaMax?: number;
}

/** Checks the (β_min, β_max) pair of the linear-rate schedules (VP and sub-VP). */
export function checkLinearBeta(name: string, betaMin: number, betaMax: number): void {
  if (!(Number.isFinite(betaMin) && Number.isFinite(betaMax) && betaMin >= 0 && betaMax >= betaMin && betaMax > 0)) {
    throw new Error(`${name}: need finite 0 <= betaMin <= betaMax with betaMax > 0, got betaMin=${betaMin}, betaMax=${betaMax}`);
  }
}

/** Linear-rate VP: β(t) = β_min + t(β_max − β_min), B(t) = β_min t + ½(β_max − β_min)t². */
export function vpLinear({ betaMin = 0.1, betaMax = 20 }: VpLinearOptions = {}): VpSchedule {
  checkLinearBeta('vp-linear', betaMin, betaMax);
  const slope = betaMax - betaMin;
  return vpFromBeta({
    name: 'vp-linear',
    beta: (t) => betaMin + t * slope,
    integratedBeta: (t) => betaMin * t + 0.5 * slope * t * t,
  });
}
