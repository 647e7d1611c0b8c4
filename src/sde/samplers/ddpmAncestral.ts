/**
 * Ancestral sampling of DDPM (Ho et al. 2020, "Denoising Diffusion
 * Probabilistic Models", eqs. 6–7 and Alg. 2), with the data prediction
 * taken from the score by Tweedie's formula (Efron 2011):
 *
 *   x̂0 = E[x0 | x_t] = (x_t + s(t)²·ŝ(x_t, t)) / a(t)
 *
 * The continuous schedule is discretised on the decreasing grid: step k goes
 * from "t" = t_k to "t−1" = t_{k+1} with ᾱ_t = a(t_k)², ᾱ_{t−1} = a(t_{k+1})²,
 * α_t = ᾱ_t/ᾱ_{t−1}, β_t = 1 − α_t, and
 *
 *   x_{t−1} = μ̃(x̂0, x_t) + √β̃_t·z,
 *   μ̃ = β_t√ᾱ_{t−1}/(1−ᾱ_t)·x̂0 + (1−ᾱ_{t−1})√α_t/(1−ᾱ_t)·x_t,
 *   β̃_t = β_t(1−ᾱ_{t−1})/(1−ᾱ_t).
 *
 * The sampler evaluates the posterior q(x_{t'} | x_t, x0) in its general
 * Gaussian form for x_t = a(t)x0 + s(t)z (`gaussianPosterior`), which is
 * algebraically the DDPM formula above whenever a² + s² = 1 (VP; checked
 * against `ddpmPosterior` in the tests) and also covers VE / EDM schedules
 * (a ≡ 1), where it becomes the ancestral sampler of Song et al. 2021, App. F.
 */
import type { Schedule } from '../schedules/Schedule.js';
import type { Score } from '../scores/Score.js';
import { finish, initSampler, record, type SamplerOptions, type SamplerResult } from './common.js';

/** q(x_{t−1} | x_t, x0) = N(c0·x0 + ct·x_t, variance·I). */
export interface PosteriorCoefficients {
  c0: number;
  ct: number;
  variance: number;
}

/** The DDPM posterior coefficients (Ho et al. 2020, eq. 7) from ᾱ_t and ᾱ_{t−1}. */
export function ddpmPosterior(alphaBarT: number, alphaBarPrev: number): PosteriorCoefficients {
  const alpha = alphaBarT / alphaBarPrev;
  const beta = 1 - alpha;
  const denom = 1 - alphaBarT;
  return {
    c0: (beta * Math.sqrt(alphaBarPrev)) / denom,
    ct: ((1 - alphaBarPrev) * Math.sqrt(alpha)) / denom,
    variance: (beta * (1 - alphaBarPrev)) / denom,
  };
}

/**
 * The same posterior for any x_t = a_t·x0 + s_t·z. With the one-step
 * transition x_t = r·x_{t'} + √v·ε, r = a_t/a_{t'}, v = s_t² − r²s_{t'}²,
 * and x_{t'} | x0 ~ N(a_{t'}x0, s_{t'}²):
 *   variance = (1/s_{t'}² + r²/v)⁻¹ = v·s_{t'}² / s_t²,
 *   mean = variance·(a_{t'}x0/s_{t'}² + r·x_t/v).
 * (For VP, s² = 1 − ᾱ, r² = α_t and v = β_t: Ho et al.'s eq. 7.)
 */
export function gaussianPosterior(aT: number, sT: number, aPrev: number, sPrev: number): PosteriorCoefficients {
  const r = aT / aPrev;
  const sT2 = sT * sT;
  const sP2 = sPrev * sPrev;
  const v = sT2 - r * r * sP2;
  return { c0: (v * aPrev) / sT2, ct: (r * sP2) / sT2, variance: (v * sP2) / sT2 };
}

export function ddpmAncestral(schedule: Schedule, score: Score, opts: SamplerOptions): SamplerResult {
  const st = initSampler(schedule, score, opts);
  const { x, n, grid, normal } = st;
  const len = x.length;
  const s = new Float64Array(len);
  const z = new Float64Array(len);
  for (let k = 0; k < grid.length - 1; k++) {
    const t = grid[k]!;
    const tp = grid[k + 1]!;
    const a = schedule.mean(t);
    const sd = schedule.std(t);
    const post = gaussianPosterior(a, sd, schedule.mean(tp), schedule.std(tp));
    if (!(post.variance >= 0)) {
      throw new RangeError(`ddpmAncestral: the schedule "${schedule.name}" is not a diffusion between t = ${tp} and ${t} (negative transition variance)`);
    }
    score.evaluate(x, n, t, s);
    // μ̃ = c0·(x + s²ŝ)/a + ct·x = (c0/a + ct)·x + (c0 s²/a)·ŝ
    const cx = post.c0 / a + post.ct;
    const cs = (post.c0 * sd * sd) / a;
    const cz = Math.sqrt(post.variance);
    normal.fill(z);
    for (let i = 0; i < len; i++) x[i] = cx * x[i]! + cs * s[i]! + cz * z[i]!;
    record(st, k + 1);
  }
  return finish(st);
}
