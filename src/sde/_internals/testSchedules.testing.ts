/**
 * The linear VP schedule (Ho et al. 2020; Song et al. 2021, App. B), written out
 * for the tests of the scores, samplers and spectra, so that they do not depend on
 * the schedules module they are partly used to check:
 *   β(t) = 0.1 + 19.9t,  B(t) = ∫β = 0.1t + 9.95t²,
 *   a = e^{−B/2},  s = √(1 − e^{−B}),  f = −β/2,  g = √β.
 */
import type { Schedule } from '../schedules/Schedule.js';

export const vpTestSchedule: Schedule = {
  name: 'vp-linear (test)',
  T: 1,
  tMin: 1e-3,
  mean: (t) => Math.exp(-(0.1 * t + 9.95 * t * t) / 2),
  std: (t) => Math.sqrt(-Math.expm1(-(0.1 * t + 9.95 * t * t))),
  drift: (t) => -(0.1 + 19.9 * t) / 2,
  diffusion: (t) => Math.sqrt(0.1 + 19.9 * t),
};

/** VE with σ(t) = 0.01·5000^t: a = 1, s = √(σ(t)² − σ_min²), g = σ(t)√(2 ln 5000). */
const sigmaVE = (t: number) => 0.01 * 5000 ** t;
export const veTestSchedule: Schedule = {
  name: 've (test)',
  T: 1,
  tMin: 1e-5,
  mean: () => 1,
  std: (t) => Math.sqrt(sigmaVE(t) ** 2 - 1e-4),
  drift: () => 0,
  diffusion: (t) => sigmaVE(t) * Math.sqrt(2 * Math.log(5000)),
};
