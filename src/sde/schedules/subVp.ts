/**
 * Sub-VP schedule — Song et al. 2021 ("Score-Based Generative Modeling through
 * SDEs", Eq. 29 / App. B): same rate β(t) as linear VP but a smaller diffusion,
 *
 *   dx = −½β(t)·x dt + √(β(t)(1 − e^{−2B(t)})) dW,
 *   x_t = e^{−B/2}·x0 + (1 − e^{−B})·z.
 *
 * Note the std is 1 − e^{−B}, not its square root: the marginal variance
 * (1 − e^{−B})² is bounded above by the VP variance 1 − e^{−B} ("sub"-VP).
 * It solves dΣ/dt = −β Σ + β(1 − e^{−2B}) with Σ(0) = 0, the general linear
 * variance ODE dΣ/dt = 2f Σ + g².
 */
import type { Schedule } from './Schedule.js';
import { checkLinearBeta, type VpLinearOptions } from './vpLinear.js';

export interface SubVpSchedule extends Schedule {
  /** Rate β(t) (1/time); the drift is −½β(t), but g(t)² < β(t). */
  beta(t: number): number;
  /** B(t) = ∫₀ᵗ β(u) du. */
  integratedBeta(t: number): number;
}

export function subVp({ betaMin = 0.1, betaMax = 20 }: VpLinearOptions = {}): SubVpSchedule {
  checkLinearBeta('sub-vp', betaMin, betaMax);
  const slope = betaMax - betaMin;
  const beta = (t: number): number => betaMin + t * slope;
  const integratedBeta = (t: number): number => betaMin * t + 0.5 * slope * t * t;
  return {
    name: 'sub-vp',
    T: 1,
    tMin: 1e-3,
    beta,
    integratedBeta,
    mean: (t) => Math.exp(-0.5 * integratedBeta(t)),
    // −expm1 keeps the relative precision of 1 − e^{−B} when B is small.
    std: (t) => -Math.expm1(-integratedBeta(t)),
    drift: (t) => -0.5 * beta(t),
    diffusion: (t) => Math.sqrt(beta(t) * -Math.expm1(-2 * integratedBeta(t))),
  };
}
