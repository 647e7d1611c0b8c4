/** powerLawFit recovers y = a·x^γ (C_crit ∝ U^γ) and refuses what it cannot fit. */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../models/backbone/seededRandom.js';
import { StudyAnalysisError, powerLawFit, trainingFlops } from './index.js';

const U = [3e4, 1e5, 3e5, 1e6, 3e6];

describe('powerLawFit', () => {
  it('recovers γ = 2.174 and a exactly on exact data, with a collapsed interval', () => {
    const fit = powerLawFit(U.map((x) => ({ x, y: 7e-3 * x ** 2.174 })));
    expect(fit.gamma).toBeCloseTo(2.174, 12);
    expect(Math.abs(fit.a / 7e-3 - 1)).toBeLessThan(1e-9);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.n).toBe(5);
    expect(fit.interval.gamma[0]).toBeCloseTo(2.174, 10);
    expect(fit.interval.gamma[1]).toBeCloseTo(2.174, 10);
    expect(fit.bootstrap.used + fit.bootstrap.skipped).toBe(200);
  });

  it('brackets γ under seeded multiplicative noise, deterministically', () => {
    const rng = new SeededRandom(5, 1);
    const xs = Array.from({ length: 12 }, (_, i) => 1e4 * 10 ** (i / 4));
    const points = xs.map((x) => ({ x, y: 2 * x ** 2.174 * Math.exp(0.05 * rng.normal()) }));
    const fit = powerLawFit(points, { seed: 2 });
    expect(Math.abs(fit.gamma - 2.174)).toBeLessThan(0.05);
    expect(fit.interval.gamma[0]).toBeLessThan(2.174);
    expect(fit.interval.gamma[1]).toBeGreaterThan(2.174);
    expect(powerLawFit(points, { seed: 2 })).toEqual(fit);
  });

  it('gives γ = 0 and a null R² when y does not vary', () => {
    const fit = powerLawFit([{ x: 1, y: 3 }, { x: 10, y: 3 }]);
    expect(fit.gamma).toBe(0);
    expect(fit.a).toBeCloseTo(3, 12);
    expect(fit.r2).toBeNull();
  });

  it('refuses too few or degenerate points, in one line', () => {
    expect(() => powerLawFit([{ x: 1, y: 1 }])).toThrow(/needs ≥ 2 points/);
    expect(() => powerLawFit([{ x: 2, y: 1 }, { x: 2, y: 3 }])).toThrow(/1 distinct x/);
    expect(() => powerLawFit([{ x: 2, y: 0 }, { x: 3, y: 3 }])).toThrow(StudyAnalysisError);
    expect(() => powerLawFit([{ x: -2, y: 1 }, { x: 3, y: 3 }])).toThrow(/point 0/);
  });
});

describe('trainingFlops', () => {
  it('is the 6·N·D estimate', () => {
    expect(trainingFlops(7e6, 1e9)).toBe(4.2e16);
    expect(trainingFlops(0, 1e9)).toBe(0);
    expect(() => trainingFlops(-1, 1)).toThrow(/params = -1/);
    expect(() => trainingFlops(1, NaN)).toThrow(/tokens = NaN/);
  });
});
