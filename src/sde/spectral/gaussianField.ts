/**
 * Stationary Gaussian random fields with a power-law spectrum, and their exact
 * score and Wiener filter under any linear forward SDE.
 *
 *   x = F⁻¹ diag(√C) F z,   z ~ N(0, I),   C_k = A·|f_k|^{−α}
 *
 * with F the unitary DFT. F is orthogonal (as a real map of the Hermitian
 * half-spectrum), so x is a diagonal Gaussian in Fourier coordinates: x̂_k has
 * variance C_k, and because C is symmetric (C_k = C_{−k}) and z is real, the
 * spectrum is Hermitian and x is real. This is the model Dieleman (2024,
 * "Diffusion is spectral autoregression") and Falck et al. (2025, arXiv
 * 2505.11278) use for natural images (α ≈ 2).
 *
 * Under a schedule x_t = a(t)·x_0 + s(t)·ε with ε ~ N(0, Σ), Σ diagonal in Fourier
 * coordinates (Σ = I is isotropic DDPM noise; Σ_kk ∝ C_k is EqualSNR), every
 * coefficient evolves on its own:
 *
 *   x̂_t,k ~ N(0, a²C_k + s²Σ_k)                      (marginal)
 *   ∇log p_t = F⁻¹[ −x̂_t,k / (a²C_k + s²Σ_k) ]         (exact score)
 *   E[x̂_0,k | x̂_t,k] = a C_k x̂_t,k / (a²C_k + s²Σ_k)   (Tweedie = Wiener filter)
 *   Var[x̂_0,k | x̂_t,k] = C_k s²Σ_k / (a²C_k + s²Σ_k)
 *
 * Frequencies are |f_k| in cycles per sample (|f| = √(f_y² + f_x²) in 2-D).
 * f = 0 has no power-law value, so the DC coefficient takes the variance of the
 * lowest nonzero frequency unless told otherwise: every coordinate then stays a
 * proper Gaussian, and EqualSNR noise (∝ C) never vanishes on one.
 */
import type { Schedule } from '../schedules/Schedule.js';
import type { Score } from '../scores/Score.js';
import { NormalSampler, rngFromSeed } from '../_internals/random.js';
import { fft2InPlace, fftInPlace } from './fft.js';

/** A zero-mean Gaussian field that is diagonal in unitary Fourier coordinates. */
export interface SpectralGaussian {
  /** [n] for a 1-D signal, [rows, cols] for a row-major image. */
  readonly shape: readonly [number] | readonly [number, number];
  /** Number of samples (pixels), n or rows·cols. */
  readonly size: number;
  /** C_k, the variance of each unitary DFT coefficient, in the DFT's index layout. */
  readonly variances: Float64Array;
  /** |f_k| in cycles per sample, same layout. */
  readonly freqs: Float64Array;
}

export interface PowerLawFieldOptions {
  /** Spectral exponent α of C(f) = A f^{−α}. */
  readonly alpha: number;
  /** The amplitude A. When absent, A is chosen so the field has `variance` per sample. */
  readonly amplitude?: number;
  /** Per-sample variance mean(C) (the field's pixel variance, by Parseval); 1 unless `amplitude` is given. */
  readonly variance?: number;
  /** Variance of the DC coefficient, before scaling by A; defaults to the lowest nonzero frequency's f^{−α}. */
  readonly dcVariance?: number;
}

function signedFreq(k: number, n: number): number {
  return (k <= n / 2 ? k : k - n) / n;
}

function powerLaw(freqs: Float64Array, shape: SpectralGaussian['shape'], opts: PowerLawFieldOptions): SpectralGaussian {
  const { alpha } = opts;
  let fLow = Number.POSITIVE_INFINITY;
  for (const f of freqs) if (f > 0 && f < fLow) fLow = f;
  const dc = opts.dcVariance ?? (Number.isFinite(fLow) ? fLow ** -alpha : 1);
  const variances = new Float64Array(freqs.length);
  for (let k = 0; k < freqs.length; k++) {
    const f = freqs[k]!;
    variances[k] = f > 0 ? f ** -alpha : dc;
  }
  let scale: number;
  if (opts.amplitude !== undefined) {
    scale = opts.amplitude;
  } else {
    let mean = 0;
    for (const c of variances) mean += c;
    mean /= variances.length;
    scale = (opts.variance ?? 1) / mean;
  }
  for (let k = 0; k < variances.length; k++) variances[k] = variances[k]! * scale;
  return { shape, size: freqs.length, variances, freqs };
}

/** A 1-D field of length n with C_k = A |f_k|^{−α}, f_k = min(k, n − k)/n. */
export function powerLawField1d(n: number, opts: PowerLawFieldOptions): SpectralGaussian {
  const freqs = new Float64Array(n);
  for (let k = 0; k < n; k++) freqs[k] = Math.abs(signedFreq(k, n));
  return powerLaw(freqs, [n], opts);
}

/** A rows × cols field with C_k = A |f_k|^{−α}, |f_k| = √(f_y² + f_x²) (isotropic). */
export function powerLawField2d(rows: number, cols: number, opts: PowerLawFieldOptions): SpectralGaussian {
  const freqs = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) freqs[r * cols + c] = Math.hypot(signedFreq(r, rows), signedFreq(c, cols));
  }
  return powerLaw(freqs, [rows, cols], opts);
}

/** A field with the given per-coefficient variances (symmetric, C_k = C_{−k}, for the field to be real). */
export function fieldFromVariances(
  shape: SpectralGaussian['shape'],
  variances: Float64Array,
): SpectralGaussian {
  const size = shape.length === 1 ? shape[0] : shape[0] * shape[1];
  if (variances.length !== size) throw new RangeError(`fieldFromVariances: ${variances.length} variances for ${size} samples`);
  const freqs = new Float64Array(size);
  if (shape.length === 1) {
    for (let k = 0; k < size; k++) freqs[k] = Math.abs(signedFreq(k, size));
  } else {
    const [rows, cols] = shape;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) freqs[r * cols + c] = Math.hypot(signedFreq(r, rows), signedFreq(c, cols));
    }
  }
  return { shape, size, variances: Float64Array.from(variances), freqs };
}

function transform(field: SpectralGaussian, re: Float64Array, im: Float64Array, inverse: boolean): void {
  if (field.shape.length === 1) fftInPlace(re, im, { norm: 'unitary', inverse });
  else fft2InPlace(re, im, field.shape[0], field.shape[1], { norm: 'unitary', inverse });
}

/**
 * Multiplies x's unitary DFT coefficient k by gain[k] and transforms back, into
 * `out` (the real part; the imaginary part is rounding noise when gain is
 * symmetric). Scratch arrays are passed in so batch callers do not allocate.
 */
function filterInto(
  field: SpectralGaussian,
  x: Float64Array,
  gain: Float64Array,
  out: Float64Array,
  re: Float64Array,
  im: Float64Array,
): void {
  re.set(x);
  im.fill(0);
  transform(field, re, im, false);
  for (let k = 0; k < field.size; k++) {
    re[k] = re[k]! * gain[k]!;
    im[k] = im[k]! * gain[k]!;
  }
  transform(field, re, im, true);
  out.set(re);
}

/**
 * `count` independent samples of the field, row-major (sample i at [i·size, (i+1)·size)),
 * from a seed or a caller's normal stream: white noise, filtered by √C_k.
 */
export function sampleField(field: SpectralGaussian, seed: number | NormalSampler, count = 1): Float64Array {
  const normals = typeof seed === 'number' ? new NormalSampler(rngFromSeed(seed)) : seed;
  const gain = field.variances.map(Math.sqrt);
  const out = new Float64Array(count * field.size);
  const z = new Float64Array(field.size);
  const re = new Float64Array(field.size);
  const im = new Float64Array(field.size);
  for (let i = 0; i < count; i++) {
    normals.fill(z);
    filterInto(field, z, gain, out.subarray(i * field.size, (i + 1) * field.size), re, im);
  }
  return out;
}

function checkNoise(field: SpectralGaussian, noise: Float64Array | undefined): void {
  if (noise !== undefined && noise.length !== field.size) {
    throw new RangeError(`noise covariance has ${noise.length} entries for a field of ${field.size}`);
  }
}

/** a(t)²C_k + s(t)²Σ_k, the variance of each Fourier coefficient of x_t (Σ = I when `noise` is absent). */
export function marginalVariances(
  field: SpectralGaussian,
  schedule: Schedule,
  t: number,
  noise?: Float64Array,
): Float64Array {
  checkNoise(field, noise);
  const a2 = schedule.mean(t) ** 2;
  const s2 = schedule.std(t) ** 2;
  return field.variances.map((c, k) => a2 * c + s2 * (noise === undefined ? 1 : noise[k]!));
}

/** Var[x̂_0,k | x_t] = C_k s²Σ_k/(a²C_k + s²Σ_k), the posterior variance of each coefficient. */
export function posteriorVariances(
  field: SpectralGaussian,
  schedule: Schedule,
  t: number,
  noise?: Float64Array,
): Float64Array {
  checkNoise(field, noise);
  const a2 = schedule.mean(t) ** 2;
  const s2 = schedule.std(t) ** 2;
  return field.variances.map((c, k) => {
    const n2 = s2 * (noise === undefined ? 1 : noise[k]!);
    return (c * n2) / (a2 * c + n2);
  });
}

/** Exact ∇log p_t(x) of the noised field at one point x (length size). */
export function spectralScore(
  field: SpectralGaussian,
  schedule: Schedule,
  t: number,
  x: Float64Array,
  noise?: Float64Array,
): Float64Array {
  const gain = marginalVariances(field, schedule, t, noise).map((v) => -1 / v);
  const out = new Float64Array(field.size);
  filterInto(field, x, gain, out, new Float64Array(field.size), new Float64Array(field.size));
  return out;
}

/**
 * E[x_0 | x_t] — Tweedie's formula (x_t + s²Σ∇log p_t)/a, which for this
 * Gaussian is the Wiener filter a C_k/(a²C_k + s²Σ_k) on each coefficient.
 */
export function wienerEstimate(
  field: SpectralGaussian,
  schedule: Schedule,
  t: number,
  x: Float64Array,
  noise?: Float64Array,
): Float64Array {
  const a = schedule.mean(t);
  const v = marginalVariances(field, schedule, t, noise);
  const gain = field.variances.map((c, k) => (a * c) / v[k]!);
  const out = new Float64Array(field.size);
  filterInto(field, x, gain, out, new Float64Array(field.size), new Float64Array(field.size));
  return out;
}

/**
 * The exact score as a `Score` for the samplers: a batch of particles of
 * dimension `size`, scratch buffers allocated once.
 */
export function spectralScoreFunction(field: SpectralGaussian, schedule: Schedule, noise?: Float64Array): Score {
  checkNoise(field, noise);
  const gain = new Float64Array(field.size);
  const re = new Float64Array(field.size);
  const im = new Float64Array(field.size);
  return {
    dim: field.size,
    evaluate(x: Float64Array, n: number, t: number, out: Float64Array): void {
      const a2 = schedule.mean(t) ** 2;
      const s2 = schedule.std(t) ** 2;
      for (let k = 0; k < field.size; k++) {
        gain[k] = -1 / (a2 * field.variances[k]! + s2 * (noise === undefined ? 1 : noise[k]!));
      }
      const d = field.size;
      for (let i = 0; i < n; i++) {
        filterInto(field, x.subarray(i * d, (i + 1) * d), gain, out.subarray(i * d, (i + 1) * d), re, im);
      }
    },
  };
}

/**
 * Real orthonormal Fourier coordinates of a length-n real signal, the basis in
 * which the field is a diagonal Gaussian with real coordinates:
 *   c_0 = Re X_0;  c_{2k−1} = √2 Re X_k, c_{2k} = √2 Im X_k  (0 < k < n/2);
 *   c_{n−1} = Re X_{n/2}  (n even),
 * X the unitary DFT. Coordinate j belongs to radial frequency ⌈j/2⌉ and has
 * variance C_⌈j/2⌉; the map is orthogonal, so ‖c‖ = ‖x‖.
 */
export function toRealFourier1d(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const re = Float64Array.from(x);
  const im = new Float64Array(n);
  fftInPlace(re, im, { norm: 'unitary' });
  const c = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const k = realFourierRadius(j);
    if (j === 0 || 2 * k === n) c[j] = re[k]!;
    else c[j] = Math.SQRT2 * (j % 2 === 1 ? re[k]! : im[k]!);
  }
  return c;
}

/** Inverse of `toRealFourier1d`. */
export function fromRealFourier1d(c: ArrayLike<number>): Float64Array {
  const n = c.length;
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const k = realFourierRadius(j);
    if (j === 0 || 2 * k === n) {
      re[k] = c[j]!;
    } else if (j % 2 === 1) {
      re[k] = c[j]! / Math.SQRT2;
      re[n - k] = c[j]! / Math.SQRT2;
    } else {
      im[k] = c[j]! / Math.SQRT2;
      im[n - k] = -c[j]! / Math.SQRT2;
    }
  }
  fftInPlace(re, im, { norm: 'unitary', inverse: true });
  return re;
}

/** Radial frequency index ⌈j/2⌉ of real Fourier coordinate j (see `toRealFourier1d`). */
export function realFourierRadius(j: number): number {
  return Math.ceil(j / 2);
}
