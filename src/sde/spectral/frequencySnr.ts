/**
 * Signal-to-noise ratio per frequency, the highest frequency still above the
 * noise, and the EqualSNR noise covariance.
 *
 *   SNR_k(t) = a(t)² C_k / (s(t)² Σ_k)        (Σ = I: isotropic DDPM noise)
 *   f_max(t) = max{ |f_k| : a² C_k > τ s² Σ_k }
 *            = (A a² / (τ s²))^{1/α}   for C(f) = A f^{−α}, Σ = I
 *
 * For VP schedules s² = 1 − ᾱ and the closed form is Falck et al.'s
 * (A ᾱ / (τ(1 − ᾱ)))^{1/α} (2025, arXiv 2505.11278, §3); it falls with t, so the
 * reverse process fixes low frequencies first and high ones last — Dieleman's
 * (2024) "diffusion is spectral autoregression". The form with s² holds for any
 * schedule of the Schedule interface (VE included, where a = 1).
 *
 * EqualSNR (Falck et al. §4) instead draws noise with covariance Σ_kk ∝ C_k, so
 * SNR_k(t) = a²/(s² c̄) is the same at every frequency: f_max is either every
 * frequency or none, and the ordering disappears. Normalisation used here:
 * Σ_k = C_k / c̄ with c̄ = mean_k C_k, so tr Σ = tr I — the noise carries the
 * same total power as isotropic noise, and the terminal N(0, Σ) of a VP
 * schedule has the data's per-sample variance when the data's is 1 (then
 * c̄ = 1, Σ = C exactly and SNR_k = a²/s²).
 */
import type { Schedule } from '../schedules/Schedule.js';

/** SNR_k(t) = a²C_k/(s²Σ_k) for each coefficient (Σ = I when `noise` is absent). */
export function frequencySnr(
  schedule: Schedule,
  t: number,
  variances: ArrayLike<number>,
  noise?: ArrayLike<number>,
): Float64Array {
  const a2 = schedule.mean(t) ** 2;
  const s2 = schedule.std(t) ** 2;
  const out = new Float64Array(variances.length);
  for (let k = 0; k < variances.length; k++) {
    out[k] = (a2 * variances[k]!) / (s2 * (noise === undefined ? 1 : noise[k]!));
  }
  return out;
}

/**
 * The EqualSNR noise covariance diag(Σ), Σ_k = C_k/c̄: c̄ = mean(C) by default
 * (total noise power equal to isotropic noise's), or c̄ = 1 with 'none'.
 */
export function equalSnrNoise(variances: ArrayLike<number>, normalisation: 'mean' | 'none' = 'mean'): Float64Array {
  let cBar = 1;
  if (normalisation === 'mean') {
    cBar = 0;
    for (let k = 0; k < variances.length; k++) cBar += variances[k]!;
    cBar /= variances.length;
  }
  const out = new Float64Array(variances.length);
  for (let k = 0; k < variances.length; k++) out[k] = variances[k]! / cBar;
  return out;
}

/**
 * f_max(t): the highest |f_k| whose signal power a²C_k exceeds τ times its noise
 * power s²Σ_k, computed from the C_k (no power law assumed); 0 when no
 * coefficient clears the bar.
 */
export function fMax(
  schedule: Schedule,
  t: number,
  freqs: ArrayLike<number>,
  variances: ArrayLike<number>,
  tau: number,
  noise?: ArrayLike<number>,
): number {
  if (freqs.length !== variances.length) {
    throw new RangeError(`fMax: ${freqs.length} frequencies but ${variances.length} variances`);
  }
  const a2 = schedule.mean(t) ** 2;
  const s2 = schedule.std(t) ** 2;
  let best = 0;
  for (let k = 0; k < freqs.length; k++) {
    const signal = a2 * variances[k]!;
    const noisePower = s2 * (noise === undefined ? 1 : noise[k]!);
    if (signal > tau * noisePower && freqs[k]! > best) best = freqs[k]!;
  }
  return best;
}

/**
 * Closed-form f_max(t) = (A a²/(τ s²))^{1/α} for C(f) = A f^{−α} under isotropic
 * noise: the frequency where a² A f^{−α} = τ s². Unbounded (Infinity) where s = 0.
 */
export function fMaxPowerLaw(schedule: Schedule, t: number, A: number, alpha: number, tau: number): number {
  const a2 = schedule.mean(t) ** 2;
  const s2 = schedule.std(t) ** 2;
  return ((A * a2) / (tau * s2)) ** (1 / alpha);
}
