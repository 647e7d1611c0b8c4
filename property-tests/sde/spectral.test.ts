/**
 * Properties of the spectral toolkit (Dieleman 2024; Falck et al. 2025, arXiv
 * 2505.11278) on random inputs: the FFT agrees with the O(n²) DFT at every length
 * and inverts; the unitary transform keeps energy (Parseval) and the RAPSD of a
 * signal averages to its mean power; the power-law fit is exact on exact power
 * laws; the field's score is −Σ_t⁻¹x with Σ_t the circulant covariance built
 * directly in signal space; f_max(t) never rises with t under DDPM and agrees
 * with its closed form; EqualSNR noise gives one SNR for every frequency.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fft, fft2, ifft, ifft2, naiveDft } from '../../src/sde/spectral/fft.js';
import { equalSnrNoise, fMax, fMaxPowerLaw, frequencySnr } from '../../src/sde/spectral/frequencySnr.js';
import {
  marginalVariances,
  powerLawField1d,
  spectralScore,
  wienerEstimate,
} from '../../src/sde/spectral/gaussianField.js';
import { fitPowerLaw, rapsd1d } from '../../src/sde/spectral/rapsd.js';
import { vpTestSchedule as vp } from '../../src/sde/_internals/testSchedules.testing.js';

const NUM_RUNS = 100;
const dim = fc.integer({ min: 1, max: 9 });
const exponent = fc.double({ min: 0.5, max: 3, noNaN: true });
const value = fc.double({ min: -10, max: 10, noNaN: true });
const signal = (minLength: number, maxLength: number) =>
  fc.integer({ min: minLength, max: maxLength }).chain((n) =>
    fc.tuple(
      fc.float64Array({ minLength: n, maxLength: n, min: -10, max: 10, noNaN: true }),
      fc.float64Array({ minLength: n, maxLength: n, min: -10, max: 10, noNaN: true }),
    ),
  );

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

const energy = (re: ArrayLike<number>, im?: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < re.length; i++) s += re[i]! ** 2 + (im === undefined ? 0 : im[i]! ** 2);
  return s;
};

describe('fft properties', () => {
  it('agrees with the naive DFT at any length, both directions', () => {
    fc.assert(
      fc.property(signal(1, 70), fc.boolean(), fc.constantFrom('backward', 'unitary'), ([re, im], inverse, norm) => {
        const got = fft(re, im, { inverse, norm });
        const want = naiveDft(re, im, { inverse, norm });
        const scale = 1e-11 * (1 + Math.sqrt(energy(re, im)));
        expect(maxAbsDiff(got.re, want.re)).toBeLessThan(scale * re.length);
        expect(maxAbsDiff(got.im, want.im)).toBeLessThan(scale * re.length);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('inverts and (unitary) keeps energy, 1-D and 2-D', () => {
    fc.assert(
      fc.property(dim, dim, fc.array(value, { minLength: 81, maxLength: 81 }), (rows, cols, pool) => {
        const x = Float64Array.from(pool.slice(0, rows * cols));
        const X = fft2(x, undefined, rows, cols, { norm: 'unitary' });
        expect(energy(X.re, X.im)).toBeCloseTo(energy(x), 8);
        const back = ifft2(X.re, X.im, rows, cols, { norm: 'unitary' });
        expect(maxAbsDiff(back.re, x)).toBeLessThan(1e-11);
        expect(maxAbsDiff(back.im, new Float64Array(x.length))).toBeLessThan(1e-11);
        const one = fft(x);
        expect(maxAbsDiff(ifft(one.re, one.im).re, x)).toBeLessThan(1e-11);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('RAPSD with DC, weighted by annulus counts, averages to the mean power (Parseval)', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 2, maxLength: 200 }), (xs) => {
        const r = rapsd1d(xs, { includeDc: true });
        let total = 0;
        r.power.forEach((p, b) => (total += p * r.counts[b]!));
        expect(total).toBeCloseTo(energy(xs), 6);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('power-law fit is exact on exact power laws, however the frequencies are spread', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.double({ min: 1e-3, max: 0.5, noNaN: true }), { minLength: 2, maxLength: 60 }),
        fc.double({ min: -1, max: 4, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        (freqs, alpha, A) => {
          const distinct = new Set(freqs.map(Math.log));
          fc.pre(distinct.size >= 2 && Math.max(...freqs) / Math.min(...freqs) > 1.01);
          const fit = fitPowerLaw(freqs, freqs.map((f) => A * f ** -alpha));
          expect(fit.alpha).toBeCloseTo(alpha, 6);
          expect(Math.log(fit.A)).toBeCloseTo(Math.log(A), 5);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('Gaussian field and frequency SNR properties', () => {
  const t = fc.double({ min: 1e-3, max: 1, noNaN: true });

  it('score is −Σ_t⁻¹x with the circulant covariance of the noised field (signal space)', () => {
    const pool24 = fc.array(value, { minLength: 24, maxLength: 24 });
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 24 }), exponent, t, fc.boolean(), pool24, (n, alpha, time, equal, pool) => {
        const field = powerLawField1d(n, { alpha });
        const noise = equal ? equalSnrNoise(field.variances) : undefined;
        const x = Float64Array.from(pool.slice(0, n));
        const v = marginalVariances(field, vp, time, noise);
        // Covariance of x_t in signal space: K(d) = (1/n) Σ_k v_k cos(2πkd/n), a circulant matrix.
        const K = Float64Array.from({ length: n }, (_, d) => {
          let s = 0;
          for (let k = 0; k < n; k++) s += v[k]! * Math.cos((2 * Math.PI * k * d) / n);
          return s / n;
        });
        const score = spectralScore(field, vp, time, x, noise);
        const back = Float64Array.from({ length: n }, (_, i) => {
          let s = 0;
          for (let j = 0; j < n; j++) s += K[(((i - j) % n) + n) % n]! * score[j]!;
          return s;
        });
        expect(maxAbsDiff(back, x.map((y) => -y))).toBeLessThan(1e-8 * (1 + Math.sqrt(energy(x))));
        // Tweedie with noise Σ: E[x0|xt] = (xt + s² Σ ∇log p)/a, Σ applied as a filter.
        if (!equal) {
          const a = vp.mean(time);
          const s2 = vp.std(time) ** 2;
          const w = wienerEstimate(field, vp, time, x);
          expect(maxAbsDiff(w, x.map((y, i) => (y + s2 * score[i]!) / a))).toBeLessThan(1e-8 * (1 + Math.sqrt(energy(x))) / a);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('f_max(t) is non-increasing in t under DDPM and brackets the closed form', () => {
    const tauArb = fc.double({ min: 0.05, max: 20, noNaN: true });
    fc.assert(
      fc.property(t, t, fc.double({ min: 1, max: 3, noNaN: true }), tauArb, fc.constantFrom(64, 128, 200), (t1, t2, alpha, tau, n) => {
        const [lo, hi] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const field = powerLawField1d(n, { alpha });
        const fLo = fMax(vp, lo, field.freqs, field.variances, tau);
        const fHi = fMax(vp, hi, field.freqs, field.variances, tau);
        expect(fHi).toBeLessThanOrEqual(fLo);
        const A = field.variances[1]! * (1 / n) ** alpha;
        const closed = fMaxPowerLaw(vp, hi, A, alpha, tau);
        const top = Math.floor(n / 2) / n;
        if (closed >= 1 / n + 1e-9 && closed < top - 1e-9) {
          expect(fHi).toBeLessThanOrEqual(closed + 1e-12);
          expect(fHi).toBeGreaterThan(closed - 1 / n - 1e-12);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('EqualSNR noise gives every frequency the same SNR, at any data scale', () => {
    const varianceArb = fc.double({ min: 0.01, max: 100, noNaN: true });
    fc.assert(
      fc.property(t, exponent, varianceArb, fc.integer({ min: 2, max: 100 }), (time, alpha, variance, n) => {
        const field = powerLawField1d(n, { alpha, variance });
        const snr = frequencySnr(vp, time, field.variances, equalSnrNoise(field.variances));
        // With Σ = C/mean(C) the common value is mean(C)·a²/s² = variance·a²/s².
        const want = (variance * vp.mean(time) ** 2) / vp.std(time) ** 2;
        snr.forEach((s) => expect(s / want).toBeCloseTo(1, 9));
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
