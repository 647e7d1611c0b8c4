/**
 * Mask schedules against their closed forms (MDLM, Sahoo et al. 2024): the
 * boundary values, α′ against a finite difference, the loss weight
 * w(t) = α′/(1 − α) = −1/t for the linear and log-linear schedules, MDLM's
 * σ(t) = −log(1 − (1 − ε)t) with α = e^{−σ}, and the forward masking rate.
 */
import { describe, expect, it } from 'vitest';
import { forwardMask, LOG_LINEAR_EPS, logLinearSigma, MASK_SCHEDULE_NAMES, maskSchedule, mdlmWeight } from './maskSchedule.js';

describe('mask schedules', () => {
  it('start clean and end (almost) fully masked', () => {
    for (const name of MASK_SCHEDULE_NAMES) {
      const s = maskSchedule(name);
      expect(s.alpha(0)).toBe(1);
      expect(s.alpha(1)).toBeLessThanOrEqual(LOG_LINEAR_EPS + 1e-15);
      expect(s.alpha(1)).toBeGreaterThanOrEqual(0);
    }
    expect(maskSchedule('linear').alpha(1)).toBe(0);
    expect(maskSchedule('log-linear').alpha(1)).toBeCloseTo(1e-3, 15);
  });

  it('decrease, with α′ equal to a central difference', () => {
    for (const name of MASK_SCHEDULE_NAMES) {
      const s = maskSchedule(name);
      for (let t = 0.05; t < 0.96; t += 0.05) {
        const h = 1e-6;
        expect(s.alpha(t + 0.01)).toBeLessThan(s.alpha(t));
        expect(s.alphaPrime(t)).toBeCloseTo((s.alpha(t + h) - s.alpha(t - h)) / (2 * h), 6);
      }
    }
  });

  it('MDLM weight is −1/t for linear and log-linear, and α′/(1 − α) for cosine', () => {
    for (const t of [1e-4, 0.01, 0.3, 0.5, 0.77, 1]) {
      // Compared as t·w(t) = −1: at small t, 1 − α(t) loses digits to cancellation.
      expect(t * mdlmWeight(maskSchedule('linear'), t)).toBeCloseTo(-1, 9);
      expect(t * mdlmWeight(maskSchedule('log-linear'), t)).toBeCloseTo(-1, 9);
      const c = (Math.PI * t) / 2;
      expect(mdlmWeight(maskSchedule('cosine'), t)).toBeCloseTo((-(Math.PI / 2) * Math.sin(c)) / (1 - Math.cos(c)), 9);
    }
    expect(() => mdlmWeight(maskSchedule('linear'), 0)).toThrow(RangeError);
  });

  it('log-linear α is e^{−σ} with MDLM’s total noise σ', () => {
    for (const t of [0, 0.2, 0.5, 0.9, 1]) {
      expect(Math.exp(-logLinearSigma(t))).toBeCloseTo(maskSchedule('log-linear').alpha(t), 12);
    }
    expect(logLinearSigma(1)).toBeCloseTo(-Math.log(LOG_LINEAR_EPS), 9);
  });

  it('rejects times outside [0, 1] and unknown names', () => {
    expect(() => maskSchedule('linear').alpha(1.5)).toThrow(RangeError);
    expect(() => maskSchedule('nope' as never)).toThrow(/unknown mask schedule/);
  });
});

describe('forwardMask', () => {
  const seq = Array.from({ length: 4000 }, (_, i) => String(i % 7));

  it('masks a fraction 1 − α(t) of the positions, never the fixed ones', () => {
    const s = maskSchedule('cosine');
    const fixed = Array.from({ length: 500 }, (_, i) => i * 8);
    const x = forwardMask(seq, 0.6, { schedule: s, rng: 3, neverMask: fixed });
    for (const i of fixed) expect(x[i]).toBe(seq[i]);
    const free = x.filter((_, i) => i % 8 !== 0);
    const rate = free.filter((v) => v === null).length / free.length;
    expect(rate).toBeGreaterThan(1 - s.alpha(0.6) - 0.03);
    expect(rate).toBeLessThan(1 - s.alpha(0.6) + 0.03);
    x.forEach((v, i) => (v === null ? undefined : expect(v).toBe(seq[i])));
  });

  it('is clean at t = 0, fully masked at t = 1 (linear), and reproducible by seed', () => {
    expect(forwardMask(seq, 0, { rng: 1 })).toEqual(seq);
    expect(forwardMask(seq, 1, { schedule: maskSchedule('linear'), rng: 1 }).every((v) => v === null)).toBe(true);
    expect(forwardMask(seq, 0.4, { rng: 9 })).toEqual(forwardMask(seq, 0.4, { rng: 9 }));
    expect(forwardMask(seq, 0.4, { rng: 9 })).not.toEqual(forwardMask(seq, 0.4, { rng: 10 }));
  });
});
