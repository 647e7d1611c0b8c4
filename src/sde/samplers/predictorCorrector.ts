/**
 * Predictor–corrector sampling (Song et al. 2021, "Score-Based Generative
 * Modeling through SDEs", Alg. 2 and, for VE / VP, Alg. 4 / Alg. 5):
 *
 *   predictor (reverse diffusion, Euler–Maruyama on the reverse SDE):
 *     x ← (1 − f(t_k)Δt)·x + g(t_k)²Δt·ŝ(x, t_k) + g(t_k)√Δt·z
 *   corrector (M steps of Langevin MCMC at t_{k+1}), for j = 1..M:
 *     z ~ N(0, I);   ε = 2·α·(r·‖z‖ / ‖ŝ(x, t_{k+1})‖)²
 *     x ← x + ε·ŝ(x, t_{k+1}) + √(2ε)·z
 *
 * with r the target signal-to-noise ratio ("snr"; 0.16 in Song et al.'s VP
 * CIFAR-10 configuration, 0.075–0.17 elsewhere).
 *
 * The α of the step size: Alg. 5 (VP) uses α_i = 1 − β_i, the *one-step*
 * DDPM coefficient α_i = ᾱ_i / ᾱ_{i−1} (≈ 1 − β(t)Δt), and Alg. 4 (VE) uses
 * α = 1; it is NOT ᾱ(t) = a(t)², which would shrink the Langevin step by
 * e^{−B(t)} (≈ 4·10⁻⁵ at t = 1 for the linear VP schedule) and switch the
 * corrector off at large t. Both cases are the schedule-independent
 *
 *   α = a(t_k)² / a(t_{k+1})²   (= 1 for VE, where a ≡ 1),
 *
 * the ratio of ᾱ across the predictor step just taken (an index shift of
 * one step from Alg. 5's α_i, O(Δt²) apart). The norms ‖z‖ and ‖ŝ‖ are the
 * per-particle Euclidean norms averaged over the batch, as in the reference
 * implementation (yang-song/score_sde, sampling.py, LangevinCorrector), so
 * one step size serves all particles at a given step.
 */
import type { Schedule } from '../schedules/Schedule.js';
import type { Score } from '../scores/Score.js';
import { finish, initSampler, record, type SamplerOptions, type SamplerResult } from './common.js';

export interface PredictorCorrectorOptions extends SamplerOptions {
  /** Target signal-to-noise ratio r of the Langevin corrector. Default 0.16. */
  snr?: number;
  /** Corrector steps M per predictor step. Default 1. */
  correctorSteps?: number;
}

export function predictorCorrector(schedule: Schedule, score: Score, opts: PredictorCorrectorOptions): SamplerResult {
  const r = opts.snr ?? 0.16;
  const M = opts.correctorSteps ?? 1;
  if (!(r >= 0) || !Number.isFinite(r)) throw new RangeError(`predictorCorrector: snr must be a finite number ≥ 0, got ${r}`);
  if (!Number.isInteger(M) || M < 0) throw new RangeError(`predictorCorrector: correctorSteps must be an integer ≥ 0, got ${M}`);
  const st = initSampler(schedule, score, opts);
  const { x, n, dim, grid, normal } = st;
  const len = x.length;
  const s = new Float64Array(len);
  const z = new Float64Array(len);
  for (let k = 0; k < grid.length - 1; k++) {
    const t = grid[k]!;
    const t1 = grid[k + 1]!;
    const dt = t - t1;
    const f = schedule.drift(t);
    const g = schedule.diffusion(t);
    score.evaluate(x, n, t, s);
    const cx = 1 - f * dt;
    const cs = g * g * dt;
    const cz = g * Math.sqrt(dt);
    normal.fill(z);
    for (let i = 0; i < len; i++) x[i] = cx * x[i]! + cs * s[i]! + cz * z[i]!;

    const alpha = (schedule.mean(t) / schedule.mean(t1)) ** 2;
    for (let j = 0; j < M; j++) {
      score.evaluate(x, n, t1, s);
      normal.fill(z);
      let zNorm = 0;
      let sNorm = 0;
      for (let p = 0; p < n; p++) {
        let zz = 0;
        let ss = 0;
        const o = p * dim;
        for (let c = 0; c < dim; c++) {
          const zv = z[o + c]!;
          const sv = s[o + c]!;
          zz += zv * zv;
          ss += sv * sv;
        }
        zNorm += Math.sqrt(zz);
        sNorm += Math.sqrt(ss);
      }
      // A zero score (a flat density) gives no direction to move in: skip the step rather than divide by zero.
      if (!(sNorm > 0)) continue;
      const ratio = (r * zNorm) / sNorm; // the 1/n of both batch means cancels
      const eps = 2 * alpha * ratio * ratio;
      const ce = Math.sqrt(2 * eps);
      for (let i = 0; i < len; i++) x[i] = x[i]! + eps * s[i]! + ce * z[i]!;
    }
    record(st, k + 1);
  }
  return finish(st);
}
