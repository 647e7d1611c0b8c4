/**
 * Radially averaged power spectral density (RAPSD) and its power-law fit.
 *
 *   RAPSD(r) = mean over {k : radius(k) = r} of |X_k|²,   X = unitary DFT of x,
 *   RAPSD(f) ≈ A · f^{−α}   (fitted by least squares on log P = log A − α log f)
 *
 * Dieleman (2024, "Diffusion is spectral autoregression") and Falck et al.
 * (2025, arXiv 2505.11278, §3) show that natural images follow such a power law
 * with α ≈ 2–2.5, which is what makes isotropic Gaussian noise drown high
 * frequencies first. The DFT here is unitary, so white noise of variance σ² has a
 * flat RAPSD at level σ² and the annulus averages are directly comparable with the
 * per-coefficient variances C_i of a Gaussian field (gaussianField.ts).
 *
 * Frequencies are in cycles per sample: annulus r sits at f = r/N, N the signal
 * length (1-D) or the shorter side of the image (2-D), so the last annulus is the
 * Nyquist frequency 1/2. The fit first resamples log P evenly in log f, as Falck
 * et al. do: raw annuli are evenly spaced in f, so half of them lie in the top
 * octave and an unweighted fit would ignore the low frequencies that carry most
 * of the power.
 */
import { fft2InPlace, fftInPlace } from './fft.js';

export interface Rapsd {
  /** Annulus radius r (an integer index). */
  readonly radii: Int32Array;
  /** Frequency of each annulus, r/N cycles per sample. */
  readonly freqs: Float64Array;
  /** Mean |X_k|² over the annulus (unitary DFT). */
  readonly power: Float64Array;
  /** Number of DFT coefficients in the annulus. */
  readonly counts: Int32Array;
}

export interface RapsdOptions {
  /** Keep the r = 0 (DC) annulus; off by default, since f = 0 has no place on a log-log plot. */
  readonly includeDc?: boolean;
}

/** Integer radius of each DFT index of a length-n signal: min(k, n − k). */
export function radialIndex1d(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let k = 0; k < n; k++) out[k] = Math.min(k, n - k);
  return out;
}

/**
 * Integer radius of each coefficient of a rows × cols 2-D DFT (row-major):
 * round(N · √(f_y² + f_x²)) with signed frequencies f_y = k_y/rows, f_x = k_x/cols
 * and N = min(rows, cols); for a square image this is round(√(k_y² + k_x²)).
 */
export function radialIndex2d(rows: number, cols: number): Int32Array {
  const n = Math.min(rows, cols);
  const out = new Int32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const fy = (r <= rows / 2 ? r : r - rows) / rows;
    for (let c = 0; c < cols; c++) {
      const fx = (c <= cols / 2 ? c : c - cols) / cols;
      out[r * cols + c] = Math.round(n * Math.hypot(fy, fx));
    }
  }
  return out;
}

/**
 * Averages `values` (one per DFT coefficient) over annuli of equal radius,
 * r = (includeDc ? 0 : 1) … maxRadius; coefficients beyond maxRadius (the
 * corners of a 2-D spectrum) are left out, so every annulus is a full circle.
 */
export function radialAverage(
  values: ArrayLike<number>,
  radii: Int32Array,
  maxRadius: number,
  n: number,
  opts: RapsdOptions = {},
): Rapsd {
  const r0 = opts.includeDc ? 0 : 1;
  const bins = Math.max(0, maxRadius - r0 + 1);
  const sums = new Float64Array(bins);
  const counts = new Int32Array(bins);
  for (let i = 0; i < radii.length; i++) {
    const b = radii[i]! - r0;
    if (b < 0 || b >= bins) continue;
    sums[b] = sums[b]! + values[i]!;
    counts[b] = counts[b]! + 1;
  }
  const out: Rapsd = {
    radii: new Int32Array(bins),
    freqs: new Float64Array(bins),
    power: new Float64Array(bins),
    counts,
  };
  for (let b = 0; b < bins; b++) {
    out.radii[b] = b + r0;
    out.freqs[b] = (b + r0) / n;
    out.power[b] = counts[b]! > 0 ? sums[b]! / counts[b]! : Number.NaN;
  }
  return out;
}

/** RAPSD of a 1-D real signal: |X_k|² (unitary DFT) averaged over k and n − k. */
export function rapsd1d(signal: ArrayLike<number>, opts: RapsdOptions = {}): Rapsd {
  const n = signal.length;
  const re = Float64Array.from(signal);
  const im = new Float64Array(n);
  fftInPlace(re, im, { norm: 'unitary' });
  const power = new Float64Array(n);
  for (let k = 0; k < n; k++) power[k] = re[k]! ** 2 + im[k]! ** 2;
  return radialAverage(power, radialIndex1d(n), Math.floor(n / 2), n, opts);
}

/** RAPSD of a rows × cols real image stored row-major, annuli of integer radius up to N/2, N = min(rows, cols). */
export function rapsd2d(image: ArrayLike<number>, rows: number, cols: number, opts: RapsdOptions = {}): Rapsd {
  const re = Float64Array.from(image);
  const im = new Float64Array(re.length);
  fft2InPlace(re, im, rows, cols, { norm: 'unitary' });
  const power = new Float64Array(re.length);
  for (let k = 0; k < re.length; k++) power[k] = re[k]! ** 2 + im[k]! ** 2;
  const n = Math.min(rows, cols);
  return radialAverage(power, radialIndex2d(rows, cols), Math.floor(n / 2), n, opts);
}

export interface PowerLawFit {
  /** Amplitude A of P(f) = A f^{−α}. */
  readonly A: number;
  /** Exponent α (positive for a spectrum falling with frequency). */
  readonly alpha: number;
  /** Coefficient of determination of the log-log fit on the resampled points. */
  readonly r2: number;
  /** Number of resampled points the fit used. */
  readonly points: number;
}

export interface PowerLawFitOptions {
  /** Points of the even log-f grid; defaults to the number of usable input points. */
  readonly points?: number;
  /** Only fit f ≥ fMin. */
  readonly fMin?: number;
  /** Only fit f ≤ fMax. */
  readonly fMax?: number;
}

/**
 * Fits P(f) = A f^{−α}: log P is interpolated linearly in log f onto a grid
 * evenly spaced in log f, then fitted by ordinary least squares. Points with
 * f ≤ 0, P ≤ 0 or non-finite values are dropped; `freqs` need not be sorted.
 */
export function fitPowerLaw(
  freqs: ArrayLike<number>,
  power: ArrayLike<number>,
  opts: PowerLawFitOptions = {},
): PowerLawFit {
  if (freqs.length !== power.length) {
    throw new RangeError(`fitPowerLaw: ${freqs.length} frequencies but ${power.length} powers`);
  }
  const fMin = opts.fMin ?? 0;
  const fMax = opts.fMax ?? Number.POSITIVE_INFINITY;
  const pts: [number, number][] = [];
  for (let i = 0; i < freqs.length; i++) {
    const f = freqs[i]!;
    const p = power[i]!;
    if (!(f > 0) || !(p > 0) || !Number.isFinite(f) || !Number.isFinite(p) || f < fMin || f > fMax) continue;
    pts.push([Math.log(f), Math.log(p)]);
  }
  pts.sort((a, b) => a[0] - b[0]);
  // Merge equal frequencies (their log-powers averaged) so interpolation is well defined.
  const lx: number[] = [];
  const ly: number[] = [];
  for (let i = 0; i < pts.length; ) {
    let j = i;
    let sum = 0;
    while (j < pts.length && pts[j]![0] === pts[i]![0]) sum += pts[j++]![1];
    lx.push(pts[i]![0]);
    ly.push(sum / (j - i));
    i = j;
  }
  if (lx.length < 2) throw new RangeError('fitPowerLaw: need at least two distinct positive frequencies');
  const m = Math.max(2, opts.points ?? lx.length);
  const x0 = lx[0]!;
  const x1 = lx[lx.length - 1]!;
  const gx = new Float64Array(m);
  const gy = new Float64Array(m);
  let seg = 0;
  for (let g = 0; g < m; g++) {
    const x = g === m - 1 ? x1 : x0 + ((x1 - x0) * g) / (m - 1);
    while (seg < lx.length - 2 && lx[seg + 1]! < x) seg++;
    const xa = lx[seg]!;
    const xb = lx[seg + 1]!;
    const w = xb === xa ? 0 : (x - xa) / (xb - xa);
    gx[g] = x;
    gy[g] = ly[seg]! + w * (ly[seg + 1]! - ly[seg]!);
  }
  let mx = 0;
  let my = 0;
  for (let g = 0; g < m; g++) {
    mx += gx[g]!;
    my += gy[g]!;
  }
  mx /= m;
  my /= m;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let g = 0; g < m; g++) {
    const dx = gx[g]! - mx;
    const dy = gy[g]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let g = 0; g < m; g++) sse += (gy[g]! - intercept - slope * gx[g]!) ** 2;
  // A perfectly flat spectrum has syy = 0; the line then explains everything there is.
  const r2 = syy > 0 ? 1 - sse / syy : 1;
  return { A: Math.exp(intercept), alpha: -slope, r2, points: m };
}
