/**
 * Tweedie's formula: for x_t = a·x0 + s·z with z ~ N(0, I),
 *
 *   E[x0 | x_t = x] = (x + s² ∇log p_t(x)) / a.
 *
 * (E[a·x0 | x_t] = x + s²∇log p_t is Tweedie/Robbins for the Gaussian channel
 * of variance s²; divide by a for x0.) It turns any Score into a denoiser, the
 * "x0-prediction" that samplers such as DDIM and metrics on denoised
 * estimates use.
 */
import type { Schedule } from '../schedules/Schedule.js';
import type { Score } from './Score.js';

/**
 * out[i·d + k] = E[x0 | x_t = x_i]_k for n particles, using `score` for ∇log p_t.
 * `out` may be the same array as `x` (then the score goes through one
 * temporary buffer, since writing it to `out` would overwrite x).
 */
export function tweedieMean(score: Score, schedule: Schedule, x: Float64Array, n: number, t: number, out: Float64Array): void {
  const a = schedule.mean(t);
  const s = schedule.std(t);
  if (!(a > 0)) throw new RangeError(`tweedieMean: the mean coefficient a(${t}) = ${a} must be positive (x0 cannot be recovered when the signal is gone)`);
  const s2 = s * s;
  const len = n * score.dim;
  if (out === x) {
    // The score must not overwrite x before it is read, so go through a temporary.
    const tmp = new Float64Array(len);
    score.evaluate(x, n, t, tmp);
    for (let i = 0; i < len; i++) out[i] = ((x[i] ?? 0) + s2 * (tmp[i] ?? 0)) / a;
    return;
  }
  score.evaluate(x, n, t, out);
  for (let i = 0; i < len; i++) out[i] = ((x[i] ?? 0) + s2 * (out[i] ?? 0)) / a;
}
