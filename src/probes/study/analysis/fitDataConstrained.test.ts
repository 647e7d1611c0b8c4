/** fitDataConstrained recovers known constants from synthetic L(U, E) = L∞ + B/D′^β curves. */
import { describe, expect, it } from 'vitest';
import { StudyAnalysisError, effectiveData, fitDataConstrained } from './index.js';
import { TRUTH, synthetic } from './_internals/synthetic.testing.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);
const contains = ([lo, hi]: [number, number], v: number): boolean => lo <= v && v <= hi;

describe('effectiveData', () => {
  it('follows D′ = U + U·R·(1 − e^{−(E−1)/R}) and its limits', () => {
    expect(effectiveData(1e5, 1, 15)).toBe(1e5);
    expect(effectiveData(1e5, 4, 15)).toBeCloseTo(1e5 + 1e5 * 15 * (1 - Math.exp(-3 / 15)), 6);
    expect(effectiveData(1e5, 40, Infinity)).toBe(4e6);
    expect(rel(effectiveData(1e5, 40, 1e12), 4e6)).toBeLessThan(1e-10);
    expect(effectiveData(1e5, 40, 0)).toBe(1e5);
    expect(rel(effectiveData(1e5, 1e6, 15), 1e5 * 16)).toBeLessThan(1e-12);
  });
});

describe('fitDataConstrained on exact synthetic curves', () => {
  for (const rStar of [15, 500]) {
    it(`recovers R = ${rStar}, L∞, B and β`, () => {
      const fit = fitDataConstrained(synthetic(rStar), { resamples: 20 });
      expect(fit.n).toBe(45);
      expect(fit.diminishingReturns).toBe(true);
      expect(rel(fit.rStar, rStar)).toBeLessThan(1e-6);
      expect(rel(fit.lInf, TRUTH.lInf)).toBeLessThan(1e-6);
      expect(rel(fit.b, TRUTH.b)).toBeLessThan(1e-6);
      expect(rel(fit.beta, TRUTH.beta)).toBeLessThan(1e-6);
      expect(fit.r2).toBeCloseTo(1, 12);
      expect(rel(fit.interval.rStar[0], rStar)).toBeLessThan(1e-6);
      expect(rel(fit.interval.rStar[1], rStar)).toBeLessThan(1e-6);
    });
  }

  it('reports R = ∞ with a lower bound when repeats never lose value', () => {
    const fit = fitDataConstrained(synthetic(Infinity), { resamples: 20 });
    expect(fit.rStar).toBe(Infinity);
    expect(fit.diminishingReturns).toBe(false);
    expect(rel(fit.beta, TRUTH.beta)).toBeLessThan(1e-6);
    expect(fit.interval.profile[1]).toBe(Infinity);
    expect(fit.interval.profile[0]).toBeGreaterThan(1e4);
    expect(fit.interval.rStar).toEqual([Infinity, Infinity]);
  });
});

describe('fitDataConstrained with seeded noise (σ = 0.002 on losses of 1.8–5)', () => {
  it('recovers R ≈ 15 (AR-like) within 2%, inside both intervals', () => {
    const fit = fitDataConstrained(synthetic(15, 0.002), { resamples: 100 });
    expect(rel(fit.rStar, 15)).toBeLessThan(0.02);
    expect(contains(fit.interval.rStar, 15)).toBe(true);
    expect(contains(fit.interval.profile, 15)).toBe(true);
    expect(fit.bootstrap).toMatchObject({ resamples: 100, used: 100, skipped: 0, infinite: 0 });
  });

  it('recovers R ≈ 500 (diffusion-like) within 10%, inside both intervals', () => {
    const fit = fitDataConstrained(synthetic(500, 0.002), { resamples: 100 });
    expect(fit.diminishingReturns).toBe(true);
    expect(rel(fit.rStar, 500)).toBeLessThan(0.1);
    expect(contains(fit.interval.rStar, 500)).toBe(true);
    expect(contains(fit.interval.profile, 500)).toBe(true);
    expect(fit.interval.rStar[1]).toBeLessThan(Infinity);
  });

  it('does not invent a finite R when there are no diminishing returns', () => {
    const fit = fitDataConstrained(synthetic(Infinity, 0.002), { resamples: 50 });
    expect(fit.rStar).toBe(Infinity);
    expect(fit.interval.profile[0]).toBeGreaterThan(200);
    expect(fit.interval.profile[0]).toBeLessThan(Infinity);
    expect(fit.interval.rStar[1]).toBe(Infinity);
  });

  it('is deterministic under the seed and depends on it', () => {
    const points = synthetic(15, 0.01, 4);
    const a = fitDataConstrained(points, { resamples: 40, seed: 3 });
    const b = fitDataConstrained(points, { resamples: 40, seed: 3 });
    const c = fitDataConstrained(points, { resamples: 40, seed: 4 });
    expect(b).toEqual(a);
    expect(c.rStar).toBe(a.rStar);
    expect(c.interval.rStar).not.toEqual(a.interval.rStar);
  });
});

describe('fitDataConstrained refuses bad input in one line', () => {
  const good = synthetic(15);
  const cases: [string, Parameters<typeof fitDataConstrained>[0], RegExp][] = [
    ['too few points', good.slice(0, 4), /needs ≥ 5 points/],
    ['a NaN loss', good.map((p, i) => (i === 3 ? { ...p, loss: NaN } : p)), /point 3: loss = NaN/],
    ['a zero loss', good.map((p, i) => (i === 2 ? { ...p, loss: 0 } : p)), /point 2: loss = 0/],
    ['a negative loss', good.map((p, i) => (i === 0 ? { ...p, loss: -1 } : p)), /point 0: loss = -1/],
    ['epochs below 1', good.map((p, i) => (i === 1 ? { ...p, epochs: 0.5 } : p)), /epochs = 0.5/],
    ['no repeated epochs', good.filter((p) => p.epochs === 1), /every point has epochs = 1/],
    ['equal losses', good.map((p) => ({ ...p, loss: 2 })), /every loss is equal/],
  ];
  for (const [name, points, message] of cases) {
    it(name, () => {
      expect(() => fitDataConstrained(points, { resamples: 0 })).toThrow(StudyAnalysisError);
      expect(() => fitDataConstrained(points, { resamples: 0 })).toThrow(message);
      try {
        fitDataConstrained(points, { resamples: 0 });
      } catch (e) {
        expect((e as Error).message).not.toContain('\n');
      }
    });
  }
  it('bad options', () => {
    expect(() => fitDataConstrained(good, { resamples: -1 })).toThrow(/resamples = -1/);
    expect(() => fitDataConstrained(good, { seed: 0.5 })).toThrow(/seed = 0.5/);
  });
});
