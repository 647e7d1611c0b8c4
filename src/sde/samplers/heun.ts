/**
 * Heun's method (explicit trapezoidal rule, 2nd order) on the probability-flow
 * ODE of Song et al. 2021 ("Score-Based Generative Modeling through SDEs",
 * eq. 13), as used by Karras et al. 2022 ("Elucidating the Design Space of
 * Diffusion-Based Generative Models", Alg. 1):
 *
 *   dx/dt = F(x, t) = f(t)·x − ½ g(t)² ∇log p_t(x)
 *
 *   d  = F(x, t_k)
 *   x̃  = x + (t_{k+1} − t_k)·d                     (Euler predictor)
 *   d' = F(x̃, t_{k+1})
 *   x  ← x + (t_{k+1} − t_k)·(d + d')/2            (trapezoidal corrector)
 *
 * The ODE shares its marginals with the SDE, so no noise is injected: the
 * output is a deterministic function of the prior draw (hence of the seed).
 * Two score evaluations per step. Unlike Karras et al. the correction is also
 * applied on the last step, because the grid ends at tMin > 0 where the score
 * is finite.
 */
import type { Schedule } from '../schedules/Schedule.js';
import type { Score } from '../scores/Score.js';
import { finish, initSampler, record, type SamplerOptions, type SamplerResult } from './common.js';

export function heun(schedule: Schedule, score: Score, opts: SamplerOptions): SamplerResult {
  const st = initSampler(schedule, score, opts);
  const { x, n, grid } = st;
  const len = x.length;
  const s = new Float64Array(len);
  const d = new Float64Array(len);
  const xt = new Float64Array(len);
  for (let k = 0; k < grid.length - 1; k++) {
    const t0 = grid[k]!;
    const t1 = grid[k + 1]!;
    const h = t1 - t0; // negative: the ODE runs backwards in time
    const f0 = schedule.drift(t0);
    const q0 = 0.5 * schedule.diffusion(t0) ** 2;
    score.evaluate(x, n, t0, s);
    for (let i = 0; i < len; i++) {
      const di = f0 * x[i]! - q0 * s[i]!;
      d[i] = di;
      xt[i] = x[i]! + h * di;
    }
    const f1 = schedule.drift(t1);
    const q1 = 0.5 * schedule.diffusion(t1) ** 2;
    score.evaluate(xt, n, t1, s);
    const hh = 0.5 * h;
    for (let i = 0; i < len; i++) x[i] = x[i]! + hh * (d[i]! + f1 * xt[i]! - q1 * s[i]!);
    record(st, k + 1);
  }
  return finish(st);
}
