/**
 * The processes of sdes.ts: forward sampling against the closed-form marginal
 * N(a x0, s² I) by Monte Carlo, Euler–Maruyama against the exact VP variance,
 * and the reverse-SDE / probability-flow drifts against a Gaussian whose score
 * and flow are known in closed form (p0 = N(μ, σ0² I) ⇒ p_t = N(aμ, (a²σ0² + s²) I)).
 */
import { describe, expect, it } from 'vitest';
import { NormalSampler, rngFromSeed } from './_internals/random.js';
import { cosine, edm, subVp, ve, vpLinear, type Schedule } from './schedules/index.js';
import type { Score } from './scores/Score.js';
import { forwardSample, forwardSdeStep, probabilityFlowDrift, reverseSdeDrift } from './sdes.js';

const SCHEDULES: [string, Schedule][] = [
  ['vp-linear', vpLinear()],
  ['sub-vp', subVp()],
  ['cosine', cosine()],
  ['ve', ve()],
  ['edm', edm()],
];

/** Exact score of p_t when p0 = N(mu, sigma0² I) in every coordinate. */
function gaussianScore(schedule: Schedule, dim: number, mu: number, sigma0: number): Score {
  return {
    dim,
    evaluate(x, n, t, out) {
      const a = schedule.mean(t);
      const v = a * a * sigma0 * sigma0 + schedule.std(t) ** 2;
      for (let i = 0; i < n * dim; i++) out[i] = -(x[i]! - a * mu) / v;
    },
  };
}

describe.each(SCHEDULES)('forwardSample under %s', (_name, s) => {
  it.each([0.05, 0.5, 1])('has mean a·x0 and variance s² at t = %f (Monte Carlo, 5 standard errors)', (t) => {
    const dim = 4;
    const n = 20000;
    const x0row = [1.5, -2, 0, 0.25];
    const x0 = new Float64Array(n * dim);
    for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) x0[i * dim + k] = x0row[k]!;
    const xt = forwardSample(s, x0, t, new NormalSampler(rngFromSeed(17)));
    const a = s.mean(t);
    const sd = s.std(t);
    for (let k = 0; k < dim; k++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += xt[i * dim + k]!;
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (xt[i * dim + k]! - m) ** 2;
      v /= n - 1;
      expect(Math.abs(m - a * x0row[k]!)).toBeLessThan((5 * sd) / Math.sqrt(n));
      // Var of the sample variance of normals: 2σ⁴/(n−1).
      expect(Math.abs(v - sd * sd)).toBeLessThan(5 * sd * sd * Math.sqrt(2 / (n - 1)));
    }
  });
});

describe('forwardSample', () => {
  it('uses given draws exactly and may write in place', () => {
    const s = vpLinear();
    const x = Float64Array.from([1, 2, 3]);
    const z = Float64Array.from([0.5, -1, 2]);
    const want = Array.from(x, (v, i) => s.mean(0.4) * v + s.std(0.4) * z[i]!);
    expect(Array.from(forwardSample(s, x, 0.4, z, x))).toEqual(want);
    expect(() => forwardSample(s, x, 0.4, new Float64Array(2))).toThrow(/3 normal draws needed, the array has 2/);
  });
  it('accepts a pure-rand generator and is reproducible from the seed', () => {
    const s = ve();
    const x0 = new Float64Array(10);
    const one = forwardSample(s, x0, 0.5, rngFromSeed(3));
    const two = forwardSample(s, x0, 0.5, rngFromSeed(3));
    expect(Array.from(one)).toEqual(Array.from(two));
  });
});

describe('forwardSdeStep (Euler–Maruyama)', () => {
  it('reproduces the VP marginal variance 1 − e^{−10.05} at t = 1 within 1%', () => {
    const s = vpLinear();
    const n = 20000;
    const steps = 1000;
    const dt = 1 / steps;
    const x = new Float64Array(n);
    // Coupled exact chain: y ← e^{−ΔB/2} y + √(1 − e^{−ΔB}) z with the same z.
    // Its variance at t = 1 is exactly s(1)², so var(x) − var(y) isolates the
    // Euler–Maruyama error from the Monte Carlo noise.
    const y = new Float64Array(n);
    const z = new Float64Array(n);
    const normals = new NormalSampler(rngFromSeed(2024));
    for (let k = 0; k < steps; k++) {
      const t = k * dt;
      normals.fill(z);
      forwardSdeStep(s, x, t, dt, z);
      const dB = s.integratedBeta(t + dt) - s.integratedBeta(t);
      const c = Math.exp(-dB / 2);
      const e = Math.sqrt(-Math.expm1(-dB));
      for (let i = 0; i < n; i++) y[i] = c * y[i]! + e * z[i]!;
    }
    const variance = (v: Float64Array): number => v.reduce((acc, u) => acc + u * u, 0) / n;
    const target = s.std(1) ** 2;
    expect(target).toBeCloseTo(-Math.expm1(-10.05), 14);
    const coupled = target + variance(x) - variance(y);
    expect(Math.abs(coupled / target - 1)).toBeLessThan(0.01);
    // The plain estimate too, within 1% plus 4 standard errors of a sample variance.
    expect(Math.abs(variance(x) / target - 1)).toBeLessThan(0.01 + 4 * Math.sqrt(2 / n));
    expect(Math.abs(variance(y) / target - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });
  it('rejects dt ≤ 0', () => {
    expect(() => forwardSdeStep(vpLinear(), new Float64Array(1), 0.5, 0, new Float64Array(1))).toThrow(/dt must be > 0/);
  });
});

describe.each(SCHEDULES)('drifts under %s', (_name, s) => {
  const dim = 3;
  const n = 5;
  const mu = 0.7;
  const sigma0 = 1.3;
  const score = gaussianScore(s, dim, mu, sigma0);
  const x = Float64Array.from({ length: n * dim }, (_, i) => Math.sin(i + 1) * 2);

  it.each([0.1, 0.5, 0.9])('reverseSdeDrift = f x − g² ∇log p_t at t = %f', (t) => {
    const out = new Float64Array(n * dim);
    const sc = new Float64Array(n * dim);
    score.evaluate(x, n, t, sc);
    reverseSdeDrift(s, x, t, score, out);
    for (let i = 0; i < n * dim; i++) {
      expect(out[i]).toBeCloseTo(s.drift(t) * x[i]! - s.diffusion(t) ** 2 * sc[i]!, 9);
    }
  });

  it.each([0.1, 0.5, 0.9])('probabilityFlowDrift transports the Gaussian quantiles at t = %f', (t) => {
    // Under the flow, ξ = (x − aμ)/√v is constant, so dx/dt = (da/dt)μ + ξ·d√v/dt:
    // an independent check through finite differences of a and v = a²σ0² + s².
    const out = new Float64Array(n * dim);
    probabilityFlowDrift(s, x, t, score, out);
    const h = 1e-5;
    const a = (u: number): number => s.mean(u);
    const sdv = (u: number): number => Math.sqrt(a(u) ** 2 * sigma0 * sigma0 + s.std(u) ** 2);
    const da = (a(t + h) - a(t - h)) / (2 * h);
    const dsd = (sdv(t + h) - sdv(t - h)) / (2 * h);
    for (let i = 0; i < n * dim; i++) {
      const xi = (x[i]! - a(t) * mu) / sdv(t);
      const want = da * mu + xi * dsd;
      expect(Math.abs(out[i]! - want)).toBeLessThan(1e-6 * Math.max(1, Math.abs(want)));
    }
  });
});

describe('drift buffers', () => {
  const s = vpLinear();
  const score = gaussianScore(s, 2, 0, 1);
  it('handles the first n particles only when n is given', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const out = new Float64Array(6).fill(99);
    probabilityFlowDrift(s, x, 0.5, score, out, 2);
    expect(out[4]).toBe(99);
    expect(out[5]).toBe(99);
    expect(out[0]).not.toBe(99);
  });
  it('refuses an out that overlaps x, and a batch that does not fit', () => {
    const buf = new Float64Array(8);
    expect(() => reverseSdeDrift(s, buf.subarray(0, 4), 0.5, score, buf.subarray(2, 6))).toThrow(/out must not overlap x/);
    expect(() => reverseSdeDrift(s, new Float64Array(3), 0.5, score, new Float64Array(4))).toThrow(/do not fit/);
    expect(() => reverseSdeDrift(s, new Float64Array(4), 0.5, score, new Float64Array(2))).toThrow(/out has 2 entries, 4 needed/);
  });
});
