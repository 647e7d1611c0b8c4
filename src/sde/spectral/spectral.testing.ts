/**
 * The linear VP schedule (Ho et al. 2020; Song et al. 2021, App. B), written out
 * here for the spectral tests so they do not depend on the schedules module:
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
