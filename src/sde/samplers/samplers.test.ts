/**
 * Samplers against exact answers: with the exact score of p0 = N(μ, σ²I) under
 * the linear VP schedule every sampler must land on p_tMin = N(a μ, (a²σ² + s²) I)
 * (within the standard error of 4,000 particles); Heun is a function of the seed;
 * Euler–Maruyama has weak order 1 on the OU process dx = −x dt + √2 dW; the
 * DDPM posterior formulas equal direct Gaussian conditioning.
 */
import { describe, expect, it } from 'vitest';
import type { Schedule } from '../schedules/Schedule.js';
import type { Score } from '../scores/Score.js';
import { timeGrid, type SamplerOptions, type SamplerResult } from './common.js';
import { eulerMaruyama } from './eulerMaruyama.js';
import { predictorCorrector } from './predictorCorrector.js';
import { heun } from './heun.js';
import { ddpmAncestral, ddpmPosterior, gaussianPosterior } from './ddpmAncestral.js';
import { vpTestSchedule as vp } from '../_internals/testSchedules.testing.js';


/** Exact score of p_t = N(a μ, (a²σ² + s²) I) for p0 = N(μ, σ² I). */
function gaussianScore(schedule: Schedule, mu: Float64Array, sigma: number): Score {
  const dim = mu.length;
  return {
    dim,
    evaluate(x, n, t, out) {
      const a = schedule.mean(t);
      const s = schedule.std(t);
      const inv = 1 / (a * a * sigma * sigma + s * s);
      for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = -(x[i * dim + j]! - a * mu[j]!) * inv;
    },
  };
}

type Sampler = (schedule: Schedule, score: Score, opts: SamplerOptions) => SamplerResult;
const cases: [string, Sampler, number][] = [
  ['euler-maruyama', eulerMaruyama, 200],
  ['predictor-corrector', predictorCorrector, 100],
  ['heun', heun, 50],
  ['ddpm-ancestral', ddpmAncestral, 200],
];

describe('samplers recover N(μ, σ²I) with the exact score', () => {
  for (const dim of [2, 8]) {
    const mu = Float64Array.from({ length: dim }, (_, j) => Math.sin(1 + 2 * j));
    const sigma = 0.7;
    const score = gaussianScore(vp, mu, sigma);
    const n = 4000;
    const a = vp.mean(vp.tMin);
    const sd = Math.sqrt(a * a * sigma * sigma + vp.std(vp.tMin) ** 2);
    for (const [name, sampler, steps] of cases) {
      it(`${name}, d = ${dim}`, () => {
        const { x } = sampler(vp, score, { steps, seed: 11 + dim, n, grid: 'uniform' });
        const seMean = sd / Math.sqrt(n);
        const seVar = sd * sd * Math.sqrt(2 / (n - 1));
        let pooled = 0;
        for (let j = 0; j < dim; j++) {
          let m = 0;
          for (let i = 0; i < n; i++) m += x[i * dim + j]!;
          m /= n;
          let v = 0;
          for (let i = 0; i < n; i++) v += (x[i * dim + j]! - m) ** 2;
          v /= n - 1;
          pooled += v / dim;
          expect(Math.abs(m - a * mu[j]!)).toBeLessThan(5 * seMean);
          expect(Math.abs(v - sd * sd)).toBeLessThan(5 * seVar);
        }
        expect(Math.abs(pooled - sd * sd)).toBeLessThan(5 * seVar / Math.sqrt(dim) + 0.02 * sd * sd);
      });
    }
  }
});

describe('sampler mechanics', () => {
  const mu = Float64Array.from([0.5, -1, 2]);
  const score = gaussianScore(vp, mu, 1.3);

  it('Heun is deterministic given the seed, and the seed matters', () => {
    const r1 = heun(vp, score, { steps: 20, seed: 5, n: 64 });
    const r2 = heun(vp, score, { steps: 20, seed: 5, n: 64 });
    const r3 = heun(vp, score, { steps: 20, seed: 6, n: 64 });
    expect(Array.from(r1.x)).toEqual(Array.from(r2.x));
    expect(Array.from(r1.x)).not.toEqual(Array.from(r3.x));
  });

  it('Heun transports the prior draw deterministically: same initial particles, same output', () => {
    const init = Float64Array.from({ length: 30 }, (_, i) => Math.cos(i));
    const r1 = heun(vp, score, { steps: 10, seed: 1, n: 10, init });
    const r2 = heun(vp, score, { steps: 10, seed: 2, n: 10, init });
    expect(Array.from(r1.x)).toEqual(Array.from(r2.x));
  });

  it('stochastic samplers are reproducible from the seed', () => {
    for (const [, sampler] of cases) {
      const r1 = sampler(vp, score, { steps: 10, seed: 3, n: 16 });
      const r2 = sampler(vp, score, { steps: 10, seed: 3, n: 16 });
      expect(Array.from(r1.x)).toEqual(Array.from(r2.x));
    }
  });

  it('timeGrid runs from T down to tMin; quadratic is denser near tMin; explicit grids are checked', () => {
    const u = timeGrid(vp, 4, 'uniform');
    const q = timeGrid(vp, 4, 'quadratic');
    expect(u[0]).toBe(1);
    expect(u[4]).toBe(1e-3);
    expect(q[0]).toBe(1);
    expect(q[4]).toBe(1e-3);
    expect(u[1]! - u[2]!).toBeCloseTo(u[3]! - u[4]!, 12);
    expect(q[3]! - q[4]!).toBeLessThan(q[0]! - q[1]!);
    expect(() => eulerMaruyama(vp, score, { steps: 2, grid: [1, 0.5, 0.6], seed: 0, n: 1 })).toThrow(RangeError);
    expect(() => eulerMaruyama(vp, score, { steps: 3, grid: [1, 0.5, 0.1], seed: 0, n: 1 })).toThrow(RangeError);
    const r = eulerMaruyama(vp, score, { steps: 2, grid: [1, 0.5, 0.01], seed: 0, n: 2 });
    expect(Array.from(r.grid)).toEqual([1, 0.5, 0.01]);
  });

  it('records snapshots at the chosen steps', () => {
    const r = ddpmAncestral(vp, score, { steps: 8, seed: 0, n: 4, record: [0, 4, 8] });
    expect(r.snapshots.map((s) => s.step)).toEqual([0, 4, 8]);
    expect(r.snapshots[1]!.t).toBeCloseTo(r.grid[4]!, 15);
    expect(Array.from(r.snapshots[2]!.x)).toEqual(Array.from(r.x));
    expect(r.snapshots[0]!.x).not.toBe(r.x);
  });
});

describe('Euler–Maruyama has weak order 1 (OU process dx = −x dt + √2 dW)', () => {
  // The reverse SDE of the stationary OU process with score −x is the forward OU
  // itself: x ← x − [(−1)x − 2(−x)]Δt + √2 √Δt z = (1 − Δt)x + √(2Δt) z. From
  // x = 0, E[x_1²] = 1 − e^{−2}, and the EM recursion m ← (1 − h)²m + 2h is off by O(h).
  const ou: Schedule = {
    name: 'ou (test)',
    T: 1,
    tMin: 0,
    mean: (t) => Math.exp(-t),
    std: (t) => Math.sqrt(-Math.expm1(-2 * t)),
    drift: () => -1,
    diffusion: () => Math.SQRT2,
  };
  const dim = 10;
  const score: Score = { dim, evaluate: (x, n, _t, out) => { for (let i = 0; i < n * dim; i++) out[i] = -x[i]!; } };
  const n = 20000;
  const exact = -Math.expm1(-2);

  it('the error of E[x²] halves as the step halves', () => {
    const errs: number[] = [];
    for (const steps of [4, 8, 16]) {
      const { x } = eulerMaruyama(ou, score, { steps, seed: 100 + steps, n, init: new Float64Array(n * dim) });
      let m2 = 0;
      for (let i = 0; i < x.length; i++) m2 += x[i]! ** 2;
      m2 /= x.length;
      const h = 1 / steps;
      let rec = 0;
      for (let k = 0; k < steps; k++) rec = (1 - h) ** 2 * rec + 2 * h;
      // The sampler follows the exact EM recursion within Monte Carlo error (sd of x² is √2·E[x²]).
      expect(Math.abs(m2 - rec)).toBeLessThan((5 * Math.SQRT2 * rec) / Math.sqrt(x.length));
      errs.push(m2 - exact);
    }
    for (let i = 0; i + 1 < errs.length; i++) {
      const ratio = errs[i]! / errs[i + 1]!;
      expect(ratio).toBeGreaterThan(1.6);
      expect(ratio).toBeLessThan(2.6);
    }
  });
});

describe('DDPM posterior', () => {
  // Direct conditioning: (x0, x_{t−1}, x_t) jointly Gaussian (per coordinate) with
  // x_{t−1} = √ᾱ_{t−1} x0 + √(1−ᾱ_{t−1}) ε1, x_t = √α_t x_{t−1} + √β_t ε2;
  // condition x_{t−1} on (x0, x_t) through the 2×2 covariance of the conditioners.
  function conditionDirect(abT: number, abP: number, v0: number): { c0: number; ct: number; variance: number } {
    const alpha = abT / abP;
    // Cov of (x0, x_t), and cross-covariance with x_{t−1}.
    const c00 = v0;
    const c0t = Math.sqrt(abT) * v0;
    const ctt = abT * v0 + (1 - abT);
    const cp0 = Math.sqrt(abP) * v0;
    const cpt = Math.sqrt(alpha) * (abP * v0 + (1 - abP));
    const cpp = abP * v0 + (1 - abP);
    const det = c00 * ctt - c0t * c0t;
    // [c0, ct] = [cp0, cpt] · C⁻¹
    const c0 = (cp0 * ctt - cpt * c0t) / det;
    const ct = (cpt * c00 - cp0 * c0t) / det;
    return { c0, ct, variance: cpp - (c0 * cp0 + ct * cpt) };
  }

  it('matches direct Gaussian conditioning, whatever the prior variance of x0', () => {
    for (const [t, tp] of [[0.5, 0.49], [0.9, 0.5], [0.02, 0.001], [1, 0.999]] as const) {
      const abT = vp.mean(t) ** 2;
      const abP = vp.mean(tp) ** 2;
      const f = ddpmPosterior(abT, abP);
      for (const v0 of [0.3, 1, 7]) {
        const d = conditionDirect(abT, abP, v0);
        expect(f.c0).toBeCloseTo(d.c0, 8);
        expect(f.ct).toBeCloseTo(d.ct, 8);
        expect(f.variance).toBeCloseTo(d.variance, 8);
      }
    }
  });

  it('the general Gaussian posterior equals the DDPM formula on VP', () => {
    for (const [t, tp] of [[0.5, 0.3], [0.9, 0.89], [0.01, 0.001]] as const) {
      const g = gaussianPosterior(vp.mean(t), vp.std(t), vp.mean(tp), vp.std(tp));
      const f = ddpmPosterior(vp.mean(t) ** 2, vp.mean(tp) ** 2);
      expect(g.c0).toBeCloseTo(f.c0, 10);
      expect(g.ct).toBeCloseTo(f.ct, 10);
      expect(g.variance).toBeCloseTo(f.variance, 10);
    }
  });
});
