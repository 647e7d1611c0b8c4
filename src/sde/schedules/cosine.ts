/**
 * Cosine schedule — Nichol & Dhariwal 2021 ("Improved Denoising Diffusion
 * Probabilistic Models", Eq. 17), read as a continuous-time VP SDE:
 *
 *   ᾱ(t) = F(t)/F(0),  F(t) = cos²(φ(t)),  φ(t) = ((t + s)/(1 + s))·π/2,  s = 0.008,
 *   β(t) = −d/dt log ᾱ(t) = π/(1 + s)·tan φ(t)              (1/time),
 *   dx = −½β(t)·x dt + √β(t) dW,   x_t = √ᾱ·x0 + √(1 − ᾱ)·z.
 *
 * The clip. The discrete schedule clips β_i = 1 − ᾱ_i/ᾱ_{i−1} at 0.999 so that
 * the last steps do not destroy the signal all at once (ᾱ(1) = 0 exactly).
 * With N steps of length 1/N, a step's discrete β_i = 1 − exp(−∫β dt over the
 * step), so β_i ≤ 0.999 holds for every step as soon as the rate obeys
 *   β(t) ≤ β_cap = −N·ln(1 − 0.999) = N·ln 1000   (N = 1000: β_cap ≈ 6907.8).
 * We clip the continuous rate there: β_c(t) = min(β(t), β_cap). The cap bites
 * only on [t_c, 1] with 1 − t_c ≈ 2.9e-4 (for N = 1000); on it B(t) grows
 * linearly, B(t) = B(t_c) + β_cap·(t − t_c), so mean and std stay exactly
 * consistent with the clipped SDE. Because the clipped B(1) is finite,
 * ᾱ(1) ≈ 2.8e-8 > 0 and T = 1 is kept: no need to stop short of 1.
 * On the N = 1000 grid every discrete β_i ≤ 0.999, and all but the last step
 * equal the unclipped ones of Nichol & Dhariwal.
 */
import type { VpSchedule } from './vpLinear.js';

export interface CosineOptions {
  /** Offset s of φ(t), keeping β(0) > 0 (Nichol & Dhariwal: 0.008). */
  offset?: number;
  /** Discrete clip on 1 − ᾱ_i/ᾱ_{i−1} (Nichol & Dhariwal: 0.999). */
  maxDiscreteBeta?: number;
  /** Number N of discrete steps the clip refers to (1000). */
  steps?: number;
}

export interface CosineSchedule extends VpSchedule {
  /** The cap β_cap = −N·ln(1 − maxDiscreteBeta) on the continuous rate. */
  readonly betaCap: number;
  /** Time t_c where π/(1+s)·tan φ(t_c) = β_cap; the rate is clipped on [t_c, 1]. */
  readonly tClip: number;
}

export function cosine({ offset = 0.008, maxDiscreteBeta = 0.999, steps = 1000 }: CosineOptions = {}): CosineSchedule {
  if (!(offset > 0 && offset < 1)) throw new Error(`cosine: offset s must be in (0, 1), got ${offset}`);
  if (!(maxDiscreteBeta > 0 && maxDiscreteBeta < 1)) throw new Error(`cosine: maxDiscreteBeta must be in (0, 1), got ${maxDiscreteBeta}`);
  if (!(Number.isInteger(steps) && steps >= 1)) throw new Error(`cosine: steps must be a positive integer, got ${steps}`);
  const s = offset;
  const k = Math.PI / 2 / (1 + s);
  // Work with the complement c(t) = π/2 − φ(t) = k(1 − t): cos φ = sin c keeps
  // full relative precision near t = 1, where cos φ → 0.
  const c0 = k;
  const sinC0 = Math.sin(c0);
  const betaCap = -steps * Math.log1p(-maxDiscreteBeta);
  // π/(1+s)·cot(c) = β_cap  ⇔  c_c = atan(π/((1+s)β_cap)) = atan(2k/β_cap).
  const cClip = Math.atan((2 * k) / betaCap);
  const tClip = 1 - cClip / k;
  const meanAtClip = Math.sin(cClip) / sinC0;
  const bAtClip = -2 * Math.log(meanAtClip);

  const beta = (t: number): number => (t >= tClip ? betaCap : (2 * k) / Math.tan(k * (1 - t)));
  const mean = (t: number): number =>
    t >= tClip ? meanAtClip * Math.exp(-0.5 * betaCap * (t - tClip)) : Math.sin(k * (1 - t)) / sinC0;
  const integratedBeta = (t: number): number => -2 * Math.log(mean(t));
  // 1 − sin²c/sin²c0 = sin(c0 − c)·sin(c0 + c)/sin²c0, exact in relative terms at small t.
  const variance = (t: number): number => {
    if (t >= tClip) return -Math.expm1(-(bAtClip + betaCap * (t - tClip)));
    const c = k * (1 - t);
    return (Math.sin(c0 - c) * Math.sin(c0 + c)) / (sinC0 * sinC0);
  };
  return {
    name: 'cosine',
    T: 1,
    tMin: 1e-3,
    betaCap,
    tClip,
    beta,
    integratedBeta,
    mean,
    std: (t) => Math.sqrt(variance(t)),
    drift: (t) => -0.5 * beta(t),
    diffusion: (t) => Math.sqrt(beta(t)),
  };
}
