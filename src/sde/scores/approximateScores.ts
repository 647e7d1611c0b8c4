/**
 * Approximate scores with a controlled L2 error — the ε of score-based
 * convergence bounds (Chen et al. 2023: TV ≲ … + ε√T, with
 * ε² ≥ E_{x~p_t} ‖ŝ(x, t) − ∇log p_t(x)‖²). Each one is
 *
 *   ŝ(x, t) = ∇log p_t(x) + c(t)·φ(x, t),   c(t) = ε / √(E_{x~p_t} ‖φ(x, t)‖²),
 *
 * so that E_{x~p_t} ‖ŝ − s‖² = ε² at every t. The expectation is a Monte Carlo
 * mean over M exact samples of p_t, drawn from a generator seeded by (seed, t)
 * — so c(t) is a pure function of the options and t, whatever order the times
 * are asked in — and cached per t. The kinds of φ:
 *
 *   'bias'             φ = u · tanh((w·x − m(t)) / σ(t) + b): a fixed random
 *                      unit direction u times a smooth ridge function of one
 *                      random projection, centred (m) and scaled (σ) on the
 *                      projected samples so that it is neither flat nor a step
 *                      at the scale of p_t (VE marginals grow to σ ≈ 50).
 *   'random-features'  φ = J^{-1/2} Σ_j A_j cos(ω_j·(x − m(t)) / ℓ(t) + θ_j), random
 *                      Fourier features (Rahimi & Recht 2007) with Gaussian
 *                      weights A_j ∈ R^d, ω_j ~ N(0, I), θ_j ~ U(0, 2π), length
 *                      scale ℓ(t) = RMS coordinate spread of the samples.
 *   'temperature'      φ = s: the score scaled by (1 + δ(t)), δ = ε / √(E‖s‖²) —
 *                      the error of sampling at the wrong temperature.
 *
 * The error is exactly ε² on the calibration samples; on fresh samples it is
 * ε² up to Monte Carlo error, which `measureScoreError` reports so that a
 * caller can print the measured error beside the requested one.
 */
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { NormalSampler, rngFromSeed, uniform01 } from '../_internals/random.js';
import type { Score } from './Score.js';
import { timeCache } from '../_internals/timeCache.js';

export type ApproximationKind = 'bias' | 'random-features' | 'temperature';

export const APPROXIMATION_KINDS: readonly ApproximationKind[] = ['bias', 'random-features', 'temperature'];

export interface ApproximateScoreOptions {
  kind: ApproximationKind;
  /** Target root-mean-square error: E_{x~p_t} ‖ŝ − s‖² = ε². */
  epsilon: number;
  /** Seeds the random field (u, w, b or A, ω, θ) and, mixed with t, the calibration samples. */
  seed: number;
  /** m exact samples of p_t, row-major [m, dim], drawn with `rng` (e.g. sampleMixtureAt for a mixture). */
  samplesAt: (t: number, m: number, rng: RandomGenerator) => Float64Array;
  /** M, the Monte Carlo sample size of each calibration (default 4096). */
  calibrationSamples?: number;
  /** J, the number of random features (default 32). */
  features?: number;
  /** How many distinct times keep their calibration (default 1024; each entry is a few numbers). */
  cacheSize?: number;
}

export interface ApproximateScore extends Score {
  readonly kind: ApproximationKind;
  readonly epsilon: number;
  readonly exact: Score;
  /** c(t) (δ(t) for 'temperature'), calibrating at t if it has not been yet. */
  scaleAt(t: number): number;
}

interface Calibration {
  /** c(t), or δ(t) for 'temperature'. */
  scale: number;
  /** Centre of the projection (bias) or of the samples (random features). */
  center: Float64Array;
  /** σ(t) for 'bias', ℓ(t) for 'random-features'. */
  width: number;
}

/** ŝ = exact + c(t)·φ, with c(t) set so that the mean squared error over p_t is ε² (see the file header). */
export function approximateScore(exact: Score, options: ApproximateScoreOptions): ApproximateScore {
  const { kind, epsilon, seed } = options;
  const dim = exact.dim;
  if (!(epsilon >= 0) || !Number.isFinite(epsilon)) throw new RangeError(`approximateScore: epsilon ${epsilon} must be a finite number >= 0`);
  if (!APPROXIMATION_KINDS.includes(kind)) throw new RangeError(`approximateScore: unknown kind ${JSON.stringify(kind)}; use one of ${APPROXIMATION_KINDS.join(', ')}`);
  const M = options.calibrationSamples ?? 4096;
  const J = options.features ?? 32;
  if (!Number.isInteger(M) || M < 2) throw new RangeError(`approximateScore: calibrationSamples ${M} must be an integer >= 2`);
  if (!Number.isInteger(J) || J < 1) throw new RangeError(`approximateScore: features ${J} must be a positive integer`);

  // The random field, drawn once from the seed (salted apart from the calibration streams).
  const fieldRng = rngFromSeed(mix32(seed, 0x5eed));
  const normal = new NormalSampler(fieldRng);
  const u = unit(normal.fill(new Float64Array(dim)));
  const w = unit(normal.fill(new Float64Array(dim)));
  const b = 0.5 * normal.next();
  const A = normal.fill(new Float64Array(J * dim));
  const omega = normal.fill(new Float64Array(J * dim));
  const theta = new Float64Array(J);
  for (let j = 0; j < J; j++) theta[j] = 2 * Math.PI * uniform01(fieldRng);
  const invSqrtJ = 1 / Math.sqrt(J);

  /** out[off..) += c·φ(x[off..)) for the field kinds. */
  const addField = (x: Float64Array, off: number, cal: Calibration, c: number, out: Float64Array): void => {
    if (kind === 'bias') {
      let proj = 0;
      for (let k = 0; k < dim; k++) proj += (w[k] ?? 0) * (x[off + k] ?? 0);
      const h = c * Math.tanh((proj - (cal.center[0] ?? 0)) / cal.width + b);
      for (let k = 0; k < dim; k++) out[off + k] = (out[off + k] ?? 0) + h * (u[k] ?? 0);
      return;
    }
    for (let j = 0; j < J; j++) {
      let arg = theta[j] ?? 0;
      for (let k = 0; k < dim; k++) arg += ((omega[j * dim + k] ?? 0) * ((x[off + k] ?? 0) - (cal.center[k] ?? 0))) / cal.width;
      const h = c * invSqrtJ * Math.cos(arg);
      for (let k = 0; k < dim; k++) out[off + k] = (out[off + k] ?? 0) + h * (A[j * dim + k] ?? 0);
    }
  };

  const calibrate = (t: number): Calibration => {
    const xs = options.samplesAt(t, M, rngFromSeed(mix32(seed, timeHash(t))));
    if (xs.length !== M * dim) throw new RangeError(`approximateScore: samplesAt(${t}, ${M}) returned ${xs.length} numbers, expected ${M * dim}`);
    const cal: Calibration = { scale: 0, center: new Float64Array(dim), width: 1 };
    if (kind === 'temperature') {
      const s = new Float64Array(M * dim);
      exact.evaluate(xs, M, t, s);
      cal.scale = epsilon / rootMeanSquare(s, M);
    } else {
      if (kind === 'bias') {
        let sum = 0;
        let sumSq = 0;
        for (let i = 0; i < M; i++) {
          let p = 0;
          for (let k = 0; k < dim; k++) p += (w[k] ?? 0) * (xs[i * dim + k] ?? 0);
          sum += p;
          sumSq += p * p;
        }
        const mean = sum / M;
        cal.center[0] = mean;
        cal.width = positiveOr1(Math.sqrt(Math.max(0, sumSq / M - mean * mean)));
      } else {
        let spread = 0;
        for (let k = 0; k < dim; k++) {
          let sum = 0;
          let sumSq = 0;
          for (let i = 0; i < M; i++) {
            const v = xs[i * dim + k] ?? 0;
            sum += v;
            sumSq += v * v;
          }
          const mean = sum / M;
          cal.center[k] = mean;
          spread += Math.max(0, sumSq / M - mean * mean);
        }
        cal.width = positiveOr1(Math.sqrt(spread / dim));
      }
      const phi = new Float64Array(M * dim);
      for (let i = 0; i < M; i++) addField(xs, i * dim, cal, 1, phi);
      cal.scale = epsilon / rootMeanSquare(phi, M);
    }
    if (!Number.isFinite(cal.scale)) {
      throw new RangeError(`approximateScore: cannot reach error ${epsilon} at t = ${t} with kind ${kind}: the perturbation vanishes on the samples of p_t`);
    }
    return cal;
  };

  const calibrationAt = timeCache(options.cacheSize ?? 1024, (t): Calibration => (epsilon === 0 ? { scale: 0, center: new Float64Array(dim), width: 1 } : calibrate(t)));

  return {
    dim,
    kind,
    epsilon,
    exact,
    scaleAt: (t: number) => calibrationAt(t).scale,
    evaluate(x: Float64Array, n: number, t: number, out: Float64Array): void {
      exact.evaluate(x, n, t, out);
      const cal = calibrationAt(t);
      if (cal.scale === 0) return;
      if (kind === 'temperature') {
        const factor = 1 + cal.scale;
        for (let i = 0; i < n * dim; i++) out[i] = (out[i] ?? 0) * factor;
        return;
      }
      for (let i = 0; i < n; i++) addField(x, i * dim, cal, cal.scale, out);
    },
  };
}

/**
 * E ‖ŝ(x, t) − s(x, t)‖² as the mean over the given samples (row-major
 * [n, dim], drawn from p_t): the measured counterpart of ε².
 */
export function measureScoreError(approx: Score, exact: Score, samples: Float64Array, t: number): number {
  const dim = exact.dim;
  if (approx.dim !== dim) throw new RangeError(`measureScoreError: dimensions differ (${approx.dim} vs ${dim})`);
  const n = Math.floor(samples.length / dim);
  if (n === 0) throw new RangeError('measureScoreError: no samples');
  const sa = new Float64Array(n * dim);
  const se = new Float64Array(n * dim);
  approx.evaluate(samples, n, t, sa);
  exact.evaluate(samples, n, t, se);
  let sum = 0;
  for (let i = 0; i < n * dim; i++) sum += ((sa[i] ?? 0) - (se[i] ?? 0)) ** 2;
  return sum / n;
}

/** √(mean over m rows of the squared row norm). */
function rootMeanSquare(v: Float64Array, m: number): number {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] ?? 0) ** 2;
  return Math.sqrt(sum / m);
}

function unit(v: Float64Array): Float64Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += (v[i] ?? 0) ** 2;
  norm = Math.sqrt(norm);
  // A Gaussian vector is 0 with probability 0; keep a fixed direction rather than divide by 0.
  if (norm === 0) {
    v[0] = 1;
    return v;
  }
  for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / norm;
  return v;
}

/** Degenerate samples (all equal) have no spread; fall back to unit width rather than divide by 0. */
function positiveOr1(x: number): number {
  return x > 0 && Number.isFinite(x) ? x : 1;
}

/** murmur3's 32-bit finalizer over (a, b): decorrelates nearby seeds and nearby times. */
function mix32(a: number, b: number): number {
  let h = Math.imul((a | 0) ^ Math.imul(b | 0, 0x9e3779b1), 0x85ebca6b);
  h ^= Math.floor(a / 2 ** 32) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const timeBits = new DataView(new ArrayBuffer(8));

/** A 32-bit hash of the exact float64 bits of t (t = 0.1 and t = 0.1 + 1e-17 are the same double, hence the same stream). */
function timeHash(t: number): number {
  timeBits.setFloat64(0, t);
  return mix32(timeBits.getUint32(0), timeBits.getUint32(4));
}
