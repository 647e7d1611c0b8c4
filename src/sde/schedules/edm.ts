/**
 * EDM / Karras schedule — Karras et al. 2022 ("Elucidating the Design Space of
 * Diffusion-Based Generative Models", Eq. 5 and Table 1).
 *
 * Noise levels for N sampling steps (Eq. 5), ρ = 7, σ ∈ [0.002, 80]:
 *   σ_i = (σ_max^{1/ρ} + i/(N−1)·(σ_min^{1/ρ} − σ_max^{1/ρ}))^ρ,  i = 0..N−1,  σ_N = 0.
 * The trailing σ_N = 0 is Karras et al.'s final step from σ_min to the clean
 * sample (their Algorithm 1/2 integrate from σ_{N−1} = σ_min down to 0).
 *
 * As a Schedule on t ∈ [0, 1]: the same ρ-interpolation, continuous in t,
 *   σ(t) = (σ_min^{1/ρ} + t·(σ_max^{1/ρ} − σ_min^{1/ρ}))^ρ   (σ(0) = σ_min, σ(1) = σ_max),
 *   x_t = x0 + σ(t)·z,   f = 0,   g(t) = √(dσ²/dt) = √(2ρ·σ(t)^{(2ρ−1)/ρ}·(σ_max^{1/ρ} − σ_min^{1/ρ})).
 * σ^{1/ρ} is affine in t, so the Karras grid is exactly the uniform time grid
 * t_i = 1 − i/(N−1) (`edmTimeGrid`). The marginal at t = 0 already carries noise
 * σ_min = 0.002 (x0 is the data smoothed by σ_min, as in EDM, whose noise levels
 * never go below σ_min); σ(t)² − σ(0)² = ∫₀ᵗ g² keeps the SDE consistent with it.
 * The final σ_min → 0 step has no time in [0, 1] (it would be t ≈ −0.28):
 * samplers take it as a denoising step outside the time grid.
 */
import type { Schedule } from './Schedule.js';

export interface EdmOptions {
  sigmaMin?: number;
  sigmaMax?: number;
  rho?: number;
}

export interface EdmSchedule extends Schedule {
  readonly sigmaMin: number;
  readonly sigmaMax: number;
  readonly rho: number;
  /** σ(t), the ρ-interpolation between σ_min (t = 0) and σ_max (t = 1). */
  sigma(t: number): number;
}

function checkEdm(where: string, sigmaMin: number, sigmaMax: number, rho: number): void {
  if (!(sigmaMin > 0 && sigmaMax > sigmaMin && Number.isFinite(sigmaMax))) {
    throw new Error(`${where}: need 0 < sigmaMin < sigmaMax < Infinity, got sigmaMin=${sigmaMin}, sigmaMax=${sigmaMax}`);
  }
  if (!(rho > 0 && Number.isFinite(rho))) throw new Error(`${where}: rho must be a positive number, got ${rho}`);
}

function checkSteps(where: string, n: number): void {
  if (!(Number.isInteger(n) && n >= 2)) throw new Error(`${where}: n must be an integer >= 2 (the grid divides by n − 1), got ${n}`);
}

/**
 * Karras noise levels σ_0 = σ_max > … > σ_{n−1} = σ_min, followed by σ_n = 0:
 * n + 1 values, decreasing (Karras et al. 2022, Eq. 5).
 */
export function edmSigmas({ n, sigmaMin = 0.002, sigmaMax = 80, rho = 7 }: EdmOptions & { n: number }): Float64Array {
  checkSteps('edmSigmas', n);
  checkEdm('edmSigmas', sigmaMin, sigmaMax, rho);
  const hi = sigmaMax ** (1 / rho);
  const lo = sigmaMin ** (1 / rho);
  const out = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) out[i] = (hi + (i / (n - 1)) * (lo - hi)) ** rho;
  // Pin the end points: (σ^{1/ρ})^ρ may round by an ulp.
  out[0] = sigmaMax;
  out[n - 1] = sigmaMin;
  out[n] = 0;
  return out;
}

/**
 * The times t_i = 1 − i/(n−1), i = 0..n−1 (1 down to 0), at which the `edm`
 * schedule's σ(t_i) equals the Karras level σ_i, whatever σ_min, σ_max, ρ.
 */
export function edmTimeGrid(n: number): Float64Array {
  checkSteps('edmTimeGrid', n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 1 - i / (n - 1);
  out[n - 1] = 0;
  return out;
}

export function edm({ sigmaMin = 0.002, sigmaMax = 80, rho = 7 }: EdmOptions = {}): EdmSchedule {
  checkEdm('edm', sigmaMin, sigmaMax, rho);
  const lo = sigmaMin ** (1 / rho);
  const span = sigmaMax ** (1 / rho) - lo;
  const base = (t: number): number => lo + t * span;
  const sigma = (t: number): number => base(t) ** rho;
  return {
    name: 'edm',
    T: 1,
    // σ(0) = σ_min > 0: the marginal is never degenerate on [0, 1].
    tMin: 0,
    sigmaMin,
    sigmaMax,
    rho,
    sigma,
    mean: () => 1,
    std: sigma,
    drift: () => 0,
    // dσ²/dt = d/dt u^{2ρ} = 2ρ·u^{2ρ−1}·span with u = σ^{1/ρ}.
    diffusion: (t) => Math.sqrt(2 * rho * base(t) ** (2 * rho - 1) * span),
  };
}
