/**
 * Per-frequency SNR a²C_k/(s²Σ_k) (Falck et al. 2025, arXiv 2505.11278): numeric
 * f_max against (A ᾱ/(τ(1−ᾱ)))^{1/α}, f_max falling with t under DDPM, and
 * EqualSNR (Σ ∝ C) giving every frequency the same SNR.
 */
import { describe, expect, it } from 'vitest';
import { equalSnrNoise, fMax, fMaxPowerLaw, frequencySnr } from './frequencySnr.js';
import { powerLawField1d, powerLawField2d } from './gaussianField.js';
import { vpTestSchedule as vp } from '../_internals/testSchedules.testing.js';

describe('frequency SNR', () => {
  it('is a²C/s² under DDPM noise and falls with frequency', () => {
    const field = powerLawField1d(64, { alpha: 2 });
    const t = 0.5;
    const snr = frequencySnr(vp, t, field.variances);
    const ratio = vp.mean(t) ** 2 / vp.std(t) ** 2;
    snr.forEach((v, k) => expect(v).toBeCloseTo(ratio * field.variances[k]!, 10));
    for (let k = 1; k < 32; k++) expect(snr[k + 1]!).toBeLessThan(snr[k]!);
  });

  it('numeric f_max agrees with the closed form (A ᾱ/(τ(1−ᾱ)))^{1/α} to one frequency bin', () => {
    const n = 1024;
    for (const alpha of [1.5, 2, 2.5]) {
      const field = powerLawField1d(n, { alpha });
      const A = field.variances[1]! * (1 / n) ** alpha;
      for (const tau of [0.5, 1, 4]) {
        for (const t of [0.2, 0.35, 0.5, 0.7, 0.9]) {
          const closed = fMaxPowerLaw(vp, t, A, alpha, tau);
          const ab = vp.mean(t) ** 2;
          expect(closed).toBeCloseTo((A * ab / (tau * (1 - ab))) ** (1 / alpha), 8);
          const numeric = fMax(vp, t, field.freqs, field.variances, tau);
          if (closed >= 1 / n && closed < 0.5) {
            expect(numeric).toBeLessThanOrEqual(closed);
            expect(numeric).toBeGreaterThan(closed - 1 / n);
          } else if (closed >= 0.5) {
            expect(numeric).toBe(0.5);
          }
        }
      }
    }
  });

  it('numeric f_max reads a 2-D spectrum too and is 0 when nothing clears the bar', () => {
    const field = powerLawField2d(32, 32, { alpha: 2 });
    const f1 = fMax(vp, 0.3, field.freqs, field.variances, 1);
    const f2 = fMax(vp, 0.6, field.freqs, field.variances, 1);
    expect(f1).toBeGreaterThan(f2);
    expect(fMax(vp, 1, field.freqs, field.variances, 1e9)).toBe(0);
    expect(() => fMax(vp, 0.5, [0.1], [1, 2], 1)).toThrow(RangeError);
  });

  it('f_max is non-increasing in t under DDPM (coarse to fine)', () => {
    const field = powerLawField1d(256, { alpha: 2 });
    let prev = Number.POSITIVE_INFINITY;
    for (let t = vp.tMin; t <= 1; t += 0.01) {
      const f = fMax(vp, t, field.freqs, field.variances, 1);
      expect(f).toBeLessThanOrEqual(prev);
      prev = f;
    }
    expect(fMax(vp, vp.tMin, field.freqs, field.variances, 1)).toBe(0.5);
    expect(prev).toBeLessThan(0.05);
  });

  it('EqualSNR makes the SNR equal at every frequency, so f_max is all or nothing', () => {
    const field = powerLawField1d(128, { alpha: 2 });
    const noise = equalSnrNoise(field.variances);
    // Unit-variance data: mean C = 1, so Σ = C exactly and SNR = a²/s².
    noise.forEach((v, k) => expect(v).toBeCloseTo(field.variances[k]!, 12));
    const seen = new Set<number>();
    for (let t = vp.tMin; t <= 1; t += 0.01) {
      const snr = frequencySnr(vp, t, field.variances, noise);
      const want = vp.mean(t) ** 2 / vp.std(t) ** 2;
      snr.forEach((v) => expect(v / want).toBeCloseTo(1, 12));
      const f = fMax(vp, t, field.freqs, field.variances, 1, noise);
      expect([0, 0.5]).toContain(f);
      seen.add(f);
    }
    expect(seen).toEqual(new Set([0, 0.5]));
    const scaled = equalSnrNoise(field.variances.map((c) => 4 * c));
    expect(scaled[3]).toBeCloseTo(field.variances[3]!, 12);
    expect(equalSnrNoise([2, 6], 'none')).toEqual(new Float64Array([2, 6]));
  });
});
