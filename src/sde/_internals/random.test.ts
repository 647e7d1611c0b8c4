import { describe, expect, it } from 'vitest';
import { NormalSampler, rngFromSeed, uniform01 } from './random.js';

/** Φ(x) through erfc (Numerical Recipes' erfcc, relative error < 1.2e-7 everywhere). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

describe('NormalSampler (ziggurat)', () => {
  const N = 1_000_000;
  const draws = NormalSampler.fromSeed(12345).fill(new Float64Array(N));

  it('has mean 0, variance 1, skewness 0 and kurtosis 3 within 5 standard errors on 1e6 draws', () => {
    let m1 = 0;
    for (const v of draws) m1 += v;
    m1 /= N;
    let m2 = 0, m3 = 0, m4 = 0;
    for (const v of draws) {
      const c = v - m1;
      const c2 = c * c;
      m2 += c2;
      m3 += c2 * c;
      m4 += c2 * c2;
    }
    m2 /= N; m3 /= N; m4 /= N;
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(N));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
    expect(Math.abs(m3 / m2 ** 1.5)).toBeLessThan(5 * Math.sqrt(6 / N));
    expect(Math.abs(m4 / (m2 * m2) - 3)).toBeLessThan(5 * Math.sqrt(24 / N));
  });

  it('passes a Kolmogorov–Smirnov test against N(0, 1) on 1e6 draws (D below the 1% critical value)', () => {
    const sorted = Float64Array.from(draws).sort();
    let D = 0;
    for (let i = 0; i < N; i++) {
      const F = normalCdf(sorted[i]!);
      D = Math.max(D, (i + 1) / N - F, F - i / N);
    }
    expect(D).toBeLessThan(1.628 / Math.sqrt(N));
  });

  it('puts the right mass in the tails beyond the base strip (|z| > 3.654) and beyond 4', () => {
    for (const [c, p] of [[3.6541528853610088, 2 * (1 - normalCdf(3.6541528853610088))], [4, 6.334e-5]] as const) {
      let count = 0;
      for (const v of draws) if (Math.abs(v) > c) count++;
      const expected = N * p;
      expect(Math.abs(count - expected)).toBeLessThan(5 * Math.sqrt(expected));
    }
  });

  it('is symmetric: each octant of probability gets 1/8 of the draws (chi-square, 7 dof)', () => {
    const cuts = [-1.1503493803760079, -0.6744897501960817, -0.31863936396437515, 0, 0.31863936396437515, 0.6744897501960817, 1.1503493803760079];
    const counts = new Array<number>(8).fill(0);
    for (const v of draws) {
      let b = 0;
      while (b < 7 && v > cuts[b]!) b++;
      counts[b]!++;
    }
    const e = N / 8;
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(24.32); // 0.1% critical value
  });

  it('has no lag-1 correlation', () => {
    let s = 0;
    for (let i = 1; i < N; i++) s += draws[i]! * draws[i - 1]!;
    expect(Math.abs(s / N)).toBeLessThan(5 / Math.sqrt(N));
  });

  it('is reproducible from the seed, and next() and fill() read the same stream', () => {
    const a = new NormalSampler(rngFromSeed(7)).fill(new Float64Array(1000));
    const b = new NormalSampler(rngFromSeed(7));
    const c = new NormalSampler(rngFromSeed(8)).fill(new Float64Array(1000));
    for (let i = 0; i < 1000; i++) expect(b.next()).toBe(a[i]);
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('fill() continues the stream of next() across lengths, with a shared or an owned generator', () => {
    const ref = new NormalSampler(rngFromSeed(11));
    const expected = Array.from({ length: 400 }, () => ref.next());
    for (const s of [new NormalSampler(rngFromSeed(11)), NormalSampler.fromSeed(11)]) {
      const got: number[] = [s.next()];
      for (const len of [3, 0, 1, 5, 2, 150]) got.push(...s.fill(new Float64Array(len)));
      while (got.length < 400) got.push(s.next());
      expect(got).toEqual(expected);
    }
  });

  it('fromSeed(s) is the stream of new NormalSampler(rngFromSeed(s)), tails and wedges included', () => {
    for (const seed of [0, 1, -5, 2 ** 40 + 3]) {
      const a = NormalSampler.fromSeed(seed).fill(new Float64Array(20_000));
      const b = new NormalSampler(rngFromSeed(seed)).fill(new Float64Array(20_000));
      expect(Array.from(a)).toEqual(Array.from(b));
    }
  });

  it('a shared generator stays in step with the caller: each draw takes its outputs in turn', () => {
    const rng = rngFromSeed(21);
    const s = new NormalSampler(rng);
    s.fill(new Float64Array(10));
    const after = uniform01(rng);
    const rng2 = rngFromSeed(21);
    const s2 = new NormalSampler(rng2);
    for (let i = 0; i < 10; i++) s2.next();
    expect(uniform01(rng2)).toBe(after);
  });

  it('uniform01 stays inside (0, 1)', () => {
    const rng = rngFromSeed(3);
    let lo = 1, hi = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = uniform01(rng);
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
    }
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1);
  });
});
