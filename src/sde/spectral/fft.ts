/**
 * Discrete Fourier transform for signals of any length, 1-D and 2-D.
 *
 *   X_k = c · Σ_{j<n} x_j e^{−2πi jk/n},   x_j = c′ · Σ_{k<n} X_k e^{+2πi jk/n}
 *
 * with (c, c′) = (1, 1/n) by default (the numpy / mathjs convention) and
 * (1/√n, 1/√n) under the unitary normalisation. The spectral analyses of
 * depthlab (Dieleman 2024, "Diffusion is spectral autoregression"; Falck et al.
 * 2025, arXiv 2505.11278) use the unitary one: it is an orthogonal change of
 * coordinates, so white noise of variance σ² has E|X_k|² = σ² at every k (a flat
 * RAPSD at level σ²) and a Gaussian field stays a Gaussian with the same
 * per-coordinate variances.
 *
 * Powers of two use the iterative radix-2 Cooley–Tukey algorithm in place; other
 * lengths use Bluestein's chirp-z algorithm, which rewrites the DFT as a
 * convolution of length ≥ 2n − 1 computed with radix-2 FFTs, so every length
 * costs O(n log n). The 2-D transform applies the 1-D one to every row, then to
 * every column.
 */

export type FftNorm = 'backward' | 'unitary';

export interface FftOptions {
  /** Inverse transform (e^{+2πi jk/n}). */
  readonly inverse?: boolean;
  /** 'backward' (default): forward unscaled, inverse scaled by 1/n; 'unitary': both scaled by 1/√n. */
  readonly norm?: FftNorm;
}

export interface ComplexArray {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * Twiddles cos, sin of 2πk/n for k < n/2, cached per n: samplers transform at the
 * same length every step. Stage `len` of the radix-2 loop reads every (n/len)-th
 * entry. Each twiddle comes from cos/sin directly (not repeated multiplication),
 * which keeps the rounding error at O(ε log n).
 */
const twiddleCache = new Map<number, { cosT: Float64Array; sinT: Float64Array }>();
function twiddles(n: number): { cosT: Float64Array; sinT: Float64Array } {
  let t = twiddleCache.get(n);
  if (t === undefined) {
    const half = n >> 1;
    t = { cosT: new Float64Array(half), sinT: new Float64Array(half) };
    for (let k = 0; k < half; k++) {
      const angle = (2 * Math.PI * k) / n;
      t.cosT[k] = Math.cos(angle);
      t.sinT[k] = Math.sin(angle);
    }
    twiddleCache.set(n, t);
  }
  return t;
}

/** Radix-2 Cooley–Tukey, in place, unscaled; n must be a power of two. */
function radix2(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  if (n <= 1) return;
  // Bit-reversal permutation, so the butterflies below can work in place.
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  const { cosT, sinT } = twiddles(n);
  const sign = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const halfLen = len >> 1;
    const stride = n / len;
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < halfLen; k++) {
        const wr = cosT[k * stride]!;
        const wi = sign * sinT[k * stride]!;
        const a = start + k;
        const b = a + halfLen;
        const br = re[b]!;
        const bi = im[b]!;
        const tr = br * wr - bi * wi;
        const ti = br * wi + bi * wr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
      }
    }
  }
}

interface BluesteinPlan {
  readonly m: number;
  /** Chirp w_k = e^{∓iπ k²/n} (sign of the transform's direction). */
  readonly cr: Float64Array;
  readonly ci: Float64Array;
  /** Radix-2 DFT of b_k = conj(w_k), laid out circularly over length m. */
  readonly bRe: Float64Array;
  readonly bIm: Float64Array;
}

/** Bluestein plans per (n, direction), cached: the chirp and its transform depend on nothing else. */
const bluesteinCache = new Map<string, BluesteinPlan>();
function bluesteinPlan(n: number, inverse: boolean): BluesteinPlan {
  const key = `${n}:${inverse ? 1 : 0}`;
  const cached = bluesteinCache.get(key);
  if (cached !== undefined) return cached;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  // k² is reduced mod 2n first so the angle stays in [0, 2π) and exact for large k
  // (k² itself would lose digits in the argument of cos).
  const cr = new Float64Array(n);
  const ci = new Float64Array(n);
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    const k2 = Number((BigInt(k) * BigInt(k)) % BigInt(2 * n));
    const angle = (Math.PI * k2) / n;
    cr[k] = Math.cos(angle);
    ci[k] = sign * Math.sin(angle);
  }
  // b laid out circularly (b_{m−k} = b_k) so the cyclic convolution of length m
  // equals the linear one on the n outputs that are kept.
  const bRe = new Float64Array(m);
  const bIm = new Float64Array(m);
  bRe[0] = cr[0]!;
  bIm[0] = -ci[0]!;
  for (let k = 1; k < n; k++) {
    bRe[k] = bRe[m - k] = cr[k]!;
    bIm[k] = bIm[m - k] = -ci[k]!;
  }
  radix2(bRe, bIm, false);
  const plan = { m, cr, ci, bRe, bIm };
  bluesteinCache.set(key, plan);
  return plan;
}

/** Bluestein's chirp-z transform, unscaled, any n: jk = (j² + k² − (k − j)²)/2 turns the DFT into a convolution. */
function bluestein(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  const { m, cr, ci, bRe, bIm } = bluesteinPlan(n, inverse);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k]! * cr[k]! - im[k]! * ci[k]!;
    ai[k] = re[k]! * ci[k]! + im[k]! * cr[k]!;
  }
  radix2(ar, ai, false);
  for (let k = 0; k < m; k++) {
    const xr = ar[k]! * bRe[k]! - ai[k]! * bIm[k]!;
    const xi = ar[k]! * bIm[k]! + ai[k]! * bRe[k]!;
    ar[k] = xr;
    ai[k] = xi;
  }
  radix2(ar, ai, true);
  for (let k = 0; k < n; k++) {
    const xr = ar[k]! / m;
    const xi = ai[k]! / m;
    re[k] = xr * cr[k]! - xi * ci[k]!;
    im[k] = xr * ci[k]! + xi * cr[k]!;
  }
}

function scaleFor(n: number, opts: FftOptions): number {
  const norm = opts.norm ?? 'backward';
  if (norm === 'unitary') return 1 / Math.sqrt(n);
  return opts.inverse ? 1 / n : 1;
}

/**
 * In-place DFT of the complex signal (re, im), any length. Returns its arguments.
 */
export function fftInPlace(re: Float64Array, im: Float64Array, opts: FftOptions = {}): ComplexArray {
  const n = re.length;
  if (im.length !== n) throw new RangeError(`fft: re has length ${n} but im has length ${im.length}`);
  if (n === 0) return { re, im };
  const inverse = opts.inverse ?? false;
  if (isPowerOfTwo(n)) radix2(re, im, inverse);
  else bluestein(re, im, inverse);
  const c = scaleFor(n, opts);
  if (c !== 1) {
    for (let k = 0; k < n; k++) {
      re[k] = re[k]! * c;
      im[k] = im[k]! * c;
    }
  }
  return { re, im };
}

/** DFT of a real or complex signal into fresh arrays (the inputs are not touched). */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number>, opts: FftOptions = {}): ComplexArray {
  const outRe = Float64Array.from(re);
  const outIm = im === undefined ? new Float64Array(outRe.length) : Float64Array.from(im);
  return fftInPlace(outRe, outIm, opts);
}

/** Inverse DFT into fresh arrays; same normalisation names as `fft`. */
export function ifft(re: ArrayLike<number>, im?: ArrayLike<number>, opts: Omit<FftOptions, 'inverse'> = {}): ComplexArray {
  return fft(re, im, { ...opts, inverse: true });
}

/**
 * In-place 2-D DFT of a rows × cols complex image stored row-major
 * (pixel (r, c) at r·cols + c): 1-D transforms of every row, then of every column.
 * The normalisation applies per axis, so 'unitary' scales by 1/√(rows·cols).
 */
export function fft2InPlace(
  re: Float64Array,
  im: Float64Array,
  rows: number,
  cols: number,
  opts: FftOptions = {},
): ComplexArray {
  if (re.length !== rows * cols || im.length !== rows * cols) {
    throw new RangeError(`fft2: expected ${rows}×${cols} = ${rows * cols} values, got re ${re.length}, im ${im.length}`);
  }
  const rowRe = new Float64Array(cols);
  const rowIm = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    rowRe.set(re.subarray(r * cols, (r + 1) * cols));
    rowIm.set(im.subarray(r * cols, (r + 1) * cols));
    fftInPlace(rowRe, rowIm, opts);
    re.set(rowRe, r * cols);
    im.set(rowIm, r * cols);
  }
  const colRe = new Float64Array(rows);
  const colIm = new Float64Array(rows);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      colRe[r] = re[r * cols + c]!;
      colIm[r] = im[r * cols + c]!;
    }
    fftInPlace(colRe, colIm, opts);
    for (let r = 0; r < rows; r++) {
      re[r * cols + c] = colRe[r]!;
      im[r * cols + c] = colIm[r]!;
    }
  }
  return { re, im };
}

/** 2-D DFT into fresh arrays (row-major rows × cols). */
export function fft2(
  re: ArrayLike<number>,
  im: ArrayLike<number> | undefined,
  rows: number,
  cols: number,
  opts: FftOptions = {},
): ComplexArray {
  const outRe = Float64Array.from(re);
  const outIm = im === undefined ? new Float64Array(outRe.length) : Float64Array.from(im);
  return fft2InPlace(outRe, outIm, rows, cols, opts);
}

/** Inverse 2-D DFT into fresh arrays. */
export function ifft2(
  re: ArrayLike<number>,
  im: ArrayLike<number> | undefined,
  rows: number,
  cols: number,
  opts: Omit<FftOptions, 'inverse'> = {},
): ComplexArray {
  return fft2(re, im, rows, cols, { ...opts, inverse: true });
}

/**
 * The O(n²) DFT straight from its definition, same conventions as `fft`; the
 * reference the fast transforms are tested against.
 */
export function naiveDft(re: ArrayLike<number>, im?: ArrayLike<number>, opts: FftOptions = {}): ComplexArray {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  const sign = opts.inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      // jk mod n keeps the angle in [0, 2π) for accuracy.
      const angle = (sign * 2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      const xr = re[j]!;
      const xi = im === undefined ? 0 : im[j]!;
      sr += xr * c - xi * s;
      si += xr * s + xi * c;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  const c = scaleFor(n, opts);
  for (let k = 0; k < n; k++) {
    outRe[k] = outRe[k]! * c;
    outIm[k] = outIm[k]! * c;
  }
  return { re: outRe, im: outIm };
}

/**
 * Signed frequency of each DFT index in cycles per sample, laid out as numpy's
 * fftfreq: [0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1] / n.
 */
export function fftFrequencies(n: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = (k <= (n - 1) / 2 ? k : k - n) / n;
  return out;
}
