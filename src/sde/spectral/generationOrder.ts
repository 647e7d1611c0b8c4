/**
 * In which order does the reverse process fix the frequencies of a sample?
 * The experiment behind `depthlab sde spectrum`.
 *
 * Data: a 1-D Gaussian field with C(f) ∝ f^{−α} (gaussianField.ts), in real
 * orthonormal Fourier coordinates, where it is a diagonal Gaussian. Forward SDE
 * per coordinate i, with Σ_i = 1 (isotropic DDPM/VP noise) or Σ_i = C_i/c̄
 * (EqualSNR, c̄ = mean C — see frequencySnr.ts):
 *
 *   dx_i = f(t) x_i dt + g(t) √Σ_i dW,     x_t,i = a x_0,i + s √Σ_i ε
 *
 * Reverse SDE (Anderson 1982; Song et al. 2021), integrated by Euler–Maruyama
 * from T down to tMin in N equal steps with the exact score −x_i/(a²C_i + s²Σ_i):
 *
 *   dx_i = [f x_i − g² Σ_i ∇log p_t(x_i)] dt + g √Σ_i dW̄
 *
 * Resolution criterion (exact for this Gaussian): band r (the coordinates of
 * radial frequency r/n) is resolved at time t when the posterior keeps at most
 * 1 − ρ*² of its prior variance,
 *
 *   Var[x_0 | x_t] / Var[x_0] = s²Σ/(a²C + s²Σ) = 1/(1 + SNR_r(t)) ≤ 1 − ρ*²,
 *
 * which for jointly Gaussian variables is the same statement as "the Tweedie
 * estimate E[x_0 | x_t] has correlation ≥ ρ* with the sample x_0" (default
 * ρ* = 0.9) — and, since the reverse process draws the final sample from
 * p(x_0 | x_t), with the final sample it will produce. The simulation measures that
 * correlation too (pooled over the band's coordinates and the batch), so the
 * exact criterion can be checked against the trajectories.
 *
 * Under DDPM noise SNR_r = a²C_r/s² falls with r, so low frequencies resolve first
 * (coarse to fine: Dieleman 2024, "Diffusion is spectral autoregression"); under
 * EqualSNR SNR_r = a²/(s²c̄) for every r and all bands resolve at the same step
 * (Falck et al. 2025, arXiv 2505.11278, §4).
 */
import type { Schedule } from '../schedules/Schedule.js';
import { NormalSampler, rngFromSeed } from '../_internals/random.js';
import { equalSnrNoise } from './frequencySnr.js';
import { fromRealFourier1d, powerLawField1d, realFourierRadius, type SpectralGaussian } from './gaussianField.js';

export type SpectralNoise = 'ddpm' | 'equal-snr';

export interface GenerationOrderOptions {
  readonly schedule: Schedule;
  /** 'ddpm': isotropic noise; 'equal-snr': noise covariance ∝ C. */
  readonly noise: SpectralNoise;
  /** Signal length (default 256). */
  readonly n?: number;
  /** Spectral exponent α (default 2); the field has unit per-sample variance. */
  readonly alpha?: number;
  /** Euler–Maruyama steps (default 200). */
  readonly steps?: number;
  /** Trajectories simulated together, for the measured correlations (default 32). */
  readonly samples?: number;
  readonly seed?: number;
  /** Correlation ρ* at which a band counts as resolved (default 0.9). */
  readonly correlation?: number;
}

export interface GenerationOrderRow {
  /** 0 is the start at t = T; step j is after j Euler–Maruyama updates. */
  readonly step: number;
  readonly t: number;
  /** Radial frequency index r (band of the coordinates at frequency r/n). */
  readonly band: number;
  /** r/n, cycles per sample. */
  readonly frequency: number;
  /** Exact: 1/(1 + SNR_r(t)) ≤ 1 − ρ*². */
  readonly resolved: boolean;
  /** Exact Var[x_0|x_t]/Var[x_0] = 1/(1 + SNR_r(t)). */
  readonly posteriorFraction: number;
  /** Measured squared correlation between the band's Tweedie estimate at this step and the final sample. */
  readonly measuredCorrelation2: number;
}

export interface BandResolution {
  readonly band: number;
  readonly frequency: number;
  /** First step at which the band is resolved (exact criterion), null if never. */
  readonly firstResolvedStep: number | null;
  readonly firstResolvedT: number | null;
  /** First step at which the measured squared correlation reaches ρ*², null if never. */
  readonly firstMeasuredStep: number | null;
}

export interface GenerationOrderResult {
  readonly noise: SpectralNoise;
  readonly field: SpectralGaussian;
  /** diag Σ per DFT coefficient (all ones for DDPM). */
  readonly noiseCovariance: Float64Array;
  readonly rows: GenerationOrderRow[];
  readonly bands: BandResolution[];
  /**
   * Spearman rank correlation between band frequency and first resolved step
   * (bands that resolve); positive = coarse to fine, 0 when every band resolves
   * at the same step (no ordering).
   */
  readonly ordering: number;
  /** Final samples in signal space, row-major samples × n (the Tweedie estimate at tMin). */
  readonly finalSamples: Float64Array;
}

/** Ranks with ties averaged (for Spearman's ρ). */
function ranks(v: readonly number[]): number[] {
  const idx = v.map((_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const out = new Array<number>(v.length).fill(0);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && v[idx[j + 1]!] === v[idx[i]!]) j++;
    for (let k = i; k <= j; k++) out[idx[k]!] = (i + j) / 2;
    i = j + 1;
  }
  return out;
}

/** Spearman's rank correlation; 0 when either variable is constant. */
export function spearman(x: readonly number[], y: readonly number[]): number {
  const rx = ranks(x);
  const ry = ranks(y);
  const n = x.length;
  const mx = rx.reduce((s, v) => s + v, 0) / n;
  const my = ry.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (rx[i]! - mx) * (ry[i]! - my);
    sxx += (rx[i]! - mx) ** 2;
    syy += (ry[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/**
 * Runs the experiment: `samples` reverse trajectories of the field under the
 * chosen noise, and per step and band the exact and measured resolution.
 */
export function generationOrder(opts: GenerationOrderOptions): GenerationOrderResult {
  const { schedule } = opts;
  const n = opts.n ?? 256;
  const alpha = opts.alpha ?? 2;
  const steps = opts.steps ?? 200;
  const m = opts.samples ?? 32;
  const seed = opts.seed ?? 0;
  const rho = opts.correlation ?? 0.9;
  const fraction = 1 - rho * rho;

  const field = powerLawField1d(n, { alpha });
  const noiseCovariance = opts.noise === 'ddpm' ? new Float64Array(n).fill(1) : equalSnrNoise(field.variances);
  // Per real Fourier coordinate j: its band, signal variance C and noise Σ (the
  // DFT index of band r is r itself, so C and Σ are read there).
  const nBands = Math.floor(n / 2) + 1;
  const band = Int32Array.from({ length: n }, (_, j) => realFourierRadius(j));
  const C = Float64Array.from(band, (r) => field.variances[r]!);
  const Sig = Float64Array.from(band, (r) => noiseCovariance[r]!);
  const bandC = Float64Array.from({ length: nBands }, (_, r) => field.variances[r]!);
  const bandSig = Float64Array.from({ length: nBands }, (_, r) => noiseCovariance[r]!);

  const h = (schedule.T - schedule.tMin) / steps;
  const timeAt = (j: number) => (j === steps ? schedule.tMin : schedule.T - j * h);

  /**
   * One pass of the simulation from the seed (so two passes see the same
   * trajectories); `visit(j, t, x)` sees the state after step j.
   */
  const simulate = (visit: (j: number, t: number, x: Float64Array) => void): void => {
    const normals = new NormalSampler(rngFromSeed(seed));
    const x = new Float64Array(m * n);
    const aT = schedule.mean(schedule.T);
    const sT = schedule.std(schedule.T);
    // Start from the exact marginal at T, so the only error is the integrator's.
    for (let i = 0; i < m * n; i++) {
      const j = i % n;
      x[i] = Math.sqrt(aT * aT * C[j]! + sT * sT * Sig[j]!) * normals.next();
    }
    visit(0, schedule.T, x);
    for (let step = 0; step < steps; step++) {
      const t = timeAt(step);
      const a2 = schedule.mean(t) ** 2;
      const s2 = schedule.std(t) ** 2;
      const f = schedule.drift(t);
      const g2 = schedule.diffusion(t) ** 2;
      const dt = timeAt(step + 1) - t; // negative: the reverse process runs back in time
      for (let i = 0; i < m * n; i++) {
        const j = i % n;
        const sig = Sig[j]!;
        const score = -x[i]! / (a2 * C[j]! + s2 * sig);
        x[i] = x[i]! + (f * x[i]! - g2 * sig * score) * dt + Math.sqrt(g2 * sig * -dt) * normals.next();
      }
      visit(step + 1, timeAt(step + 1), x);
    }
  };

  /** Tweedie / Wiener estimate E[x_0 | x_t] of every coordinate, into `out`. */
  const tweedie = (t: number, x: Float64Array, out: Float64Array): void => {
    const a = schedule.mean(t);
    const s2 = schedule.std(t) ** 2;
    for (let i = 0; i < m * n; i++) {
      const j = i % n;
      out[i] = (a * C[j]! * x[i]!) / (a * a * C[j]! + s2 * Sig[j]!);
    }
  };

  // Pass 1: the final samples (Tweedie estimate at tMin, which removes the last s(tMin) of noise).
  const final = new Float64Array(m * n);
  simulate((j, t, x) => {
    if (j === steps) tweedie(t, x, final);
  });
  const finalPower = new Float64Array(nBands);
  for (let i = 0; i < m * n; i++) finalPower[band[i % n]!]! += final[i]! ** 2;

  // Pass 2: per step and band, exact posterior fraction and measured correlation with the final sample.
  const rows: GenerationOrderRow[] = [];
  const est = new Float64Array(m * n);
  const cross = new Float64Array(nBands);
  const estPower = new Float64Array(nBands);
  simulate((step, t, x) => {
    tweedie(t, x, est);
    cross.fill(0);
    estPower.fill(0);
    for (let i = 0; i < m * n; i++) {
      const r = band[i % n]!;
      cross[r]! += est[i]! * final[i]!;
      estPower[r]! += est[i]! ** 2;
    }
    const a2 = schedule.mean(t) ** 2;
    const s2 = schedule.std(t) ** 2;
    for (let r = 0; r < nBands; r++) {
      const posteriorFraction = (s2 * bandSig[r]!) / (a2 * bandC[r]! + s2 * bandSig[r]!);
      const denom = estPower[r]! * finalPower[r]!;
      rows.push({
        step,
        t,
        band: r,
        frequency: r / n,
        resolved: posteriorFraction <= fraction,
        posteriorFraction,
        measuredCorrelation2: denom > 0 ? cross[r]! ** 2 / denom : 0,
      });
    }
  });

  const bands: BandResolution[] = [];
  for (let r = 0; r < nBands; r++) {
    let first: GenerationOrderRow | undefined;
    let firstMeasured: GenerationOrderRow | undefined;
    for (let step = 0; step <= steps; step++) {
      const row = rows[step * nBands + r]!;
      if (first === undefined && row.resolved) first = row;
      if (firstMeasured === undefined && row.measuredCorrelation2 >= rho * rho) firstMeasured = row;
    }
    bands.push({
      band: r,
      frequency: r / n,
      firstResolvedStep: first?.step ?? null,
      firstResolvedT: first?.t ?? null,
      firstMeasuredStep: firstMeasured?.step ?? null,
    });
  }
  const resolvedBands = bands.filter((b) => b.firstResolvedStep !== null);
  const ordering = spearman(
    resolvedBands.map((b) => b.frequency),
    resolvedBands.map((b) => b.firstResolvedStep!),
  );

  const finalSamples = new Float64Array(m * n);
  for (let i = 0; i < m; i++) finalSamples.set(fromRealFourier1d(final.subarray(i * n, (i + 1) * n)), i * n);

  return { noise: opts.noise, field, noiseCovariance, rows, bands, ordering, finalSamples };
}
