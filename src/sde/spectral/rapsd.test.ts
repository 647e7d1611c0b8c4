/**
 * RAPSD and power-law fit (Dieleman 2024; Falck et al. 2025, arXiv 2505.11278):
 * white noise of variance σ² has a flat RAPSD at σ² (unitary DFT); the log-log fit
 * P = A f^{−α} is exact on exact power laws and recovers α of generated fields.
 */
import { describe, expect, it } from 'vitest';
import { NormalSampler, rngFromSeed } from '../_internals/random.js';
import { powerLawField1d, powerLawField2d, sampleField } from './gaussianField.js';
import { fitPowerLaw, radialIndex2d, rapsd1d, rapsd2d } from './rapsd.js';

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0) / v.length;

describe('rapsd', () => {
  it('of 1-D white noise is flat at its variance', () => {
    const normals = new NormalSampler(rngFromSeed(1));
    const sigma = 1.7;
    // Average the periodogram over signals: one periodogram is χ²₂-noisy per bin.
    const n = 512;
    const reps = 40;
    const acc = new Float64Array(n / 2);
    let freqs: Float64Array = new Float64Array(0);
    for (let i = 0; i < reps; i++) {
      const x = normals.fill(new Float64Array(n)).map((v) => sigma * v);
      const r = rapsd1d(x);
      freqs = r.freqs;
      r.power.forEach((p, b) => (acc[b] = acc[b]! + p / reps));
    }
    expect(freqs[0]).toBeCloseTo(1 / n);
    expect(freqs[freqs.length - 1]).toBeCloseTo(0.5);
    expect(mean(acc)).toBeCloseTo(sigma * sigma, 1);
    const fit = fitPowerLaw(freqs, acc);
    expect(Math.abs(fit.alpha)).toBeLessThan(0.1);
  });

  it('of 2-D white-noise images is flat at its variance', () => {
    const normals = new NormalSampler(rngFromSeed(2));
    const rows = 64;
    const cols = 64;
    // The inner annuli hold only a few coefficients and the log-f resampling
    // weights them heavily, so the slope is read from an average of images.
    const reps = 16;
    const acc = new Float64Array(32);
    let r = rapsd2d(new Float64Array(rows * cols), rows, cols);
    for (let i = 0; i < reps; i++) {
      const img = normals.fill(new Float64Array(rows * cols)).map((v) => 0.5 * v);
      r = rapsd2d(img, rows, cols);
      r.power.forEach((p, b) => (acc[b] = acc[b]! + p / reps));
    }
    expect(r.radii[0]).toBe(1);
    expect(r.freqs[r.freqs.length - 1]).toBeCloseTo(0.5);
    // Pool by coefficient count: each annulus averages ~2πr coefficients.
    let total = 0;
    let count = 0;
    acc.forEach((p, b) => {
      total += p * r.counts[b]!;
      count += r.counts[b]!;
    });
    expect(total / count).toBeCloseTo(0.25, 2);
    expect(Math.abs(fitPowerLaw(r.freqs, acc).alpha)).toBeLessThan(0.1);
  });

  it('keeps the DC annulus on request and counts coefficients per annulus', () => {
    const r = rapsd1d(new Float64Array(16).fill(2), { includeDc: true });
    expect(r.radii[0]).toBe(0);
    expect(r.power[0]).toBeCloseTo(4 * 16); // |X_0|² = (Σx)²/n
    expect(Array.from(r.counts)).toEqual([1, 2, 2, 2, 2, 2, 2, 2, 1]);
    expect(radialIndex2d(4, 4)[1 * 4 + 1]).toBe(1); // √2 rounds to 1
  });

  it('fit recovers an exact power law with R² = 1', () => {
    const freqs = Array.from({ length: 100 }, (_, i) => (i + 1) / 200);
    const power = freqs.map((f) => 3 * f ** -2.3);
    const fit = fitPowerLaw(freqs, power);
    expect(fit.alpha).toBeCloseTo(2.3, 10);
    expect(fit.A).toBeCloseTo(3, 8);
    expect(fit.r2).toBeCloseTo(1, 12);
  });

  it('fit recovers α of generated 1-D and 2-D fields within 0.15', () => {
    for (const alpha of [1, 2, 2.5]) {
      const field = powerLawField1d(1024, { alpha });
      const samples = sampleField(field, 10 + alpha, 8);
      const acc = new Float64Array(512);
      let freqs: Float64Array = new Float64Array(0);
      for (let i = 0; i < 8; i++) {
        const r = rapsd1d(samples.subarray(i * 1024, (i + 1) * 1024));
        freqs = r.freqs;
        r.power.forEach((p, b) => (acc[b] = acc[b]! + p / 8));
      }
      const fit = fitPowerLaw(freqs, acc);
      expect(Math.abs(fit.alpha - alpha)).toBeLessThan(0.15);
      expect(fit.r2).toBeGreaterThan(0.9);
    }
    const field2 = powerLawField2d(64, 64, { alpha: 2 });
    const img = sampleField(field2, 3);
    const fit2 = fitPowerLaw(rapsd2d(img, 64, 64).freqs, rapsd2d(img, 64, 64).power);
    expect(Math.abs(fit2.alpha - 2)).toBeLessThan(0.15);
  });

  it('fit ignores unusable points and respects a frequency window', () => {
    const fit = fitPowerLaw([0, 0.1, 0.2, 0.4, -1, 0.8], [5, 10, 2.5, 0.625, 3, 0]);
    expect(fit.alpha).toBeCloseTo(2, 10);
    const windowed = fitPowerLaw([0.1, 0.2, 0.3, 0.4], [100, 25, 1, 1], { fMax: 0.2 });
    expect(windowed.alpha).toBeCloseTo(2, 10);
    expect(() => fitPowerLaw([0.1], [1])).toThrow(RangeError);
  });
});
