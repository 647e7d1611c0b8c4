/**
 * Euler–Maruyama on the reverse-time SDE (Anderson 1982; Song et al. 2021,
 * "Score-Based Generative Modeling through SDEs", eq. 6 and App. E "reverse
 * diffusion" predictor):
 *
 *   dx = [f(t)·x − g(t)² ∇log p_t(x)] dt + g(t) dW̄   (time running backwards)
 *
 * discretised on the decreasing grid t_0 = T > … > t_N = tMin with the step
 * Δt = t_k − t_{k+1} > 0 and the coefficients frozen at t_k:
 *
 *   x ← x − [f(t_k)·x − g(t_k)² ŝ(x, t_k)]·Δt + g(t_k)·√Δt·z,   z ~ N(0, I).
 *
 * Weak order 1 in Δt (Kloeden & Platen 1992, Thm 14.5.2).
 */
import type { Schedule } from '../schedules/Schedule.js';
import type { Score } from '../scores/Score.js';
import { finish, initSampler, record, type SamplerOptions, type SamplerResult } from './common.js';

export function eulerMaruyama(schedule: Schedule, score: Score, opts: SamplerOptions): SamplerResult {
  const st = initSampler(schedule, score, opts);
  const { x, n, grid, normal } = st;
  const len = x.length;
  const s = new Float64Array(len);
  const z = new Float64Array(len);
  for (let k = 0; k < grid.length - 1; k++) {
    const t = grid[k]!;
    const dt = t - grid[k + 1]!;
    const f = schedule.drift(t);
    const g = schedule.diffusion(t);
    score.evaluate(x, n, t, s);
    // x − (f x − g² ŝ)Δt = (1 − fΔt)·x + g²Δt·ŝ
    const cx = 1 - f * dt;
    const cs = g * g * dt;
    const cz = g * Math.sqrt(dt);
    normal.fill(z);
    for (let i = 0; i < len; i++) x[i] = cx * x[i]! + cs * s[i]! + cz * z[i]!;
    record(st, k + 1);
  }
  return finish(st);
}
