/**
 * Power-law Gaussian fields: samples are real with E|x̂_k|² = C_k; the exact score
 * −x̂_k/(a²C_k + s²Σ_k) matches finite differences of log p_t; the Wiener filter
 * a C_k/(a²C_k + s²Σ_k) is Tweedie's formula; real Fourier coordinates are orthonormal.
 */
import { describe, expect, it } from 'vitest';
import { NormalSampler, rngFromSeed } from '../_internals/random.js';
import { fft, fft2 } from './fft.js';
import {
  fieldFromVariances,
  fromRealFourier1d,
  marginalVariances,
  posteriorVariances,
  powerLawField1d,
  powerLawField2d,
  realFourierRadius,
  sampleField,
  spectralScore,
  spectralScoreFunction,
  toRealFourier1d,
  wienerEstimate,
  type SpectralGaussian,
} from './gaussianField.js';
import { equalSnrNoise } from './frequencySnr.js';
import { vpTestSchedule as vp } from '../_internals/testSchedules.testing.js';

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** log p_t(x) up to a constant: −½ Σ_k |X̂_k|²/(a²C_k + s²Σ_k) over all DFT coefficients (unitary). */
function logDensity(field: SpectralGaussian, t: number, x: Float64Array, noise?: Float64Array): number {
  const v = marginalVariances(field, vp, t, noise);
  const X =
    field.shape.length === 1
      ? fft(x, undefined, { norm: 'unitary' })
      : fft2(x, undefined, field.shape[0], field.shape[1], { norm: 'unitary' });
  let s = 0;
  for (let k = 0; k < x.length; k++) s += (X.re[k]! ** 2 + X.im[k]! ** 2) / v[k]!;
  return -0.5 * s;
}

describe('power-law Gaussian fields', () => {
  it('have C_k = A|f|^{-α}, unit per-sample variance, and the DC at the lowest frequency', () => {
    const field = powerLawField1d(64, { alpha: 2 });
    const meanC = field.variances.reduce((s, v) => s + v, 0) / 64;
    expect(meanC).toBeCloseTo(1, 12);
    const A = field.variances[1]! * (1 / 64) ** 2;
    expect(field.variances[5]).toBeCloseTo(A * (5 / 64) ** -2, 10);
    expect(field.variances[64 - 5]).toBe(field.variances[5]);
    expect(field.variances[0]).toBe(field.variances[1]);
    expect(powerLawField1d(8, { alpha: 1, amplitude: 2 }).variances[4]).toBeCloseTo(2 / 0.5, 12);
    const f2 = powerLawField2d(8, 16, { alpha: 2, variance: 3 });
    expect(f2.variances.reduce((s, v) => s + v, 0) / 128).toBeCloseTo(3, 12);
    expect(f2.freqs[1 * 16 + 2]).toBeCloseTo(Math.hypot(1 / 8, 2 / 16), 14);
  });

  it('samples are real, seeded, and have per-coefficient variance C_k', () => {
    const n = 32;
    const field = powerLawField1d(n, { alpha: 1.5 });
    const reps = 4000;
    const xs = sampleField(field, 5, reps);
    expect(Array.from(sampleField(field, 5, 2))).toEqual(Array.from(xs.subarray(0, 2 * n)));
    expect(maxAbsDiff(sampleField(field, 6, 1), xs.subarray(0, n))).toBeGreaterThan(0.01);
    const acc = new Float64Array(n);
    for (let i = 0; i < reps; i++) {
      const X = fft(xs.subarray(i * n, (i + 1) * n), undefined, { norm: 'unitary' });
      for (let k = 0; k < n; k++) acc[k] = acc[k]! + (X.re[k]! ** 2 + X.im[k]! ** 2) / reps;
    }
    for (let k = 0; k < n; k++) {
      // Each |X_k|² is a χ² with 1 or 2 degrees of freedom scaled by C_k: relative SE ≤ √(2/reps).
      expect(Math.abs(acc[k]! / field.variances[k]! - 1)).toBeLessThan(6 * Math.sqrt(2 / reps));
    }
  });

  it('has the score of its density (finite differences), 1-D and 2-D, DDPM and EqualSNR noise', () => {
    const normals = new NormalSampler(rngFromSeed(9));
    for (const field of [powerLawField1d(12, { alpha: 2 }), powerLawField2d(4, 6, { alpha: 2 })]) {
      for (const noise of [undefined, equalSnrNoise(field.variances)]) {
        for (const t of [0.05, 0.3, 0.9]) {
          const x = normals.fill(new Float64Array(field.size));
          const score = spectralScore(field, vp, t, x, noise);
          const h = 1e-5;
          for (let i = 0; i < field.size; i++) {
            const xp = Float64Array.from(x);
            const xm = Float64Array.from(x);
            xp[i] = xp[i]! + h;
            xm[i] = xm[i]! - h;
            const fd = (logDensity(field, t, xp, noise) - logDensity(field, t, xm, noise)) / (2 * h);
            expect(score[i]).toBeCloseTo(fd, 4);
          }
        }
      }
    }
  });

  it("Wiener estimate is Tweedie's formula and the Score object agrees on a batch", () => {
    const field = powerLawField1d(20, { alpha: 2 });
    const noise = equalSnrNoise(field.variances);
    const normals = new NormalSampler(rngFromSeed(4));
    const t = 0.4;
    const a = vp.mean(t);
    const s2 = vp.std(t) ** 2;
    const x = normals.fill(new Float64Array(20));
    const score = spectralScore(field, vp, t, x);
    const tweedie = x.map((v, i) => (v + s2 * score[i]!) / a);
    expect(maxAbsDiff(wienerEstimate(field, vp, t, x), tweedie)).toBeLessThan(1e-12);

    const batch = normals.fill(new Float64Array(3 * 20));
    const out = new Float64Array(3 * 20);
    const fn = spectralScoreFunction(field, vp, noise);
    expect(fn.dim).toBe(20);
    fn.evaluate(batch, 3, t, out);
    for (let i = 0; i < 3; i++) {
      const one = spectralScore(field, vp, t, batch.slice(i * 20, (i + 1) * 20), noise);
      expect(maxAbsDiff(out.subarray(i * 20, (i + 1) * 20), one)).toBeLessThan(1e-14);
    }
    const post = posteriorVariances(field, vp, t);
    const marg = marginalVariances(field, vp, t);
    // Var[x0|xt] = C − (aC)²/v, the Gaussian conditioning formula.
    post.forEach((p, k) => expect(p).toBeCloseTo(field.variances[k]! - (a * field.variances[k]!) ** 2 / marg[k]!, 12));
  });

  it('real Fourier coordinates are orthonormal and carry variance C of their radius', () => {
    for (const n of [7, 8, 16]) {
      const normals = new NormalSampler(rngFromSeed(n));
      const x = normals.fill(new Float64Array(n));
      const c = toRealFourier1d(x);
      expect(maxAbsDiff(fromRealFourier1d(c), x)).toBeLessThan(1e-12);
      expect(c.reduce((s, v) => s + v * v, 0)).toBeCloseTo(x.reduce((s, v) => s + v * v, 0), 10);
      // A pure cosine of frequency k/n lands on one coordinate.
      const k = 2;
      const cos = Float64Array.from({ length: n }, (_, j) => Math.cos((2 * Math.PI * k * j) / n));
      const cc = toRealFourier1d(cos);
      const hit = cc.findIndex((v) => Math.abs(v) > 1e-9);
      expect(realFourierRadius(hit)).toBe(k);
      expect(cc.filter((v) => Math.abs(v) > 1e-9).length).toBe(1);
    }
    expect(() => fieldFromVariances([4], new Float64Array(3))).toThrow(RangeError);
    expect(fieldFromVariances([2, 2], new Float64Array(4).fill(1)).freqs[3]).toBeCloseTo(Math.SQRT1_2, 14);
  });
});
