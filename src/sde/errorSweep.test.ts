/**
 * errorSweep on a small grid: p0 = N(μ, σ²I) in 2-D under the linear VP
 * schedule, approximate score ŝ = ∇log p_t + ε·u with a fixed unit vector u
 * (so the realised L2 error is ε). sw1 must grow with ε and shrink with N.
 */
import { describe, expect, it } from 'vitest';
import type { Score } from './scores/Score.js';
import { NormalSampler, rngFromSeed } from './_internals/random.js';
import { errorSweep, nnlsSmall } from './errorSweep.js';
import { vpTestSchedule as vp } from './_internals/testSchedules.testing.js';


const dim = 2;
const mu = [1, -0.5];
const sigma = 0.6;

function score(eps: number): Score {
  const u = [Math.SQRT1_2, Math.SQRT1_2];
  return {
    dim,
    evaluate(x, n, t, out) {
      const a = vp.mean(t);
      const s = vp.std(t);
      const inv = 1 / (a * a * sigma * sigma + s * s);
      for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = -(x[i * dim + j]! - a * mu[j]!) * inv + eps * u[j]!;
    },
  };
}

function sampleP0(n: number, seed: number): Float64Array {
  const x = new NormalSampler(rngFromSeed(seed)).fill(new Float64Array(n * dim));
  for (let i = 0; i < n * dim; i++) x[i] = mu[i % dim]! + sigma * x[i]!;
  return x;
}

describe('errorSweep', () => {
  const epsGrid = [0, 0.5, 1];
  const stepsGrid = [8, 32, 128];
  const res = errorSweep({
    schedule: vp,
    sampleP0,
    exactScore: () => score(0),
    approxScore: score,
    eps: epsGrid,
    steps: stepsGrid,
    n: 4000,
    seed: 3,
    p0Mean: mu,
    p0Cov: [sigma * sigma, 0, 0, sigma * sigma],
    swDirections: 32,
    mmdMaxPoints: 300,
    scoreErrorPoints: 64,
  });
  const at = (eps: number, steps: number) => res.rows.find((r) => r.eps === eps && r.steps === steps)!;

  it('returns one row per (ε, N), with the realised score error equal to ε here', () => {
    expect(res.rows).toHaveLength(9);
    for (const r of res.rows) {
      expect(r.epsL2).toBeCloseTo(r.eps, 10);
      expect(r.h).toBeCloseTo((1 - 1e-3) / r.steps, 14);
      for (const v of [r.sw1, r.mmd, r.meanError, r.covError, r.bound]) expect(Number.isFinite(v)).toBe(true);
    }
    expect(res.note).toMatch(/shape/);
  });

  it('sw1 increases with ε (averaged over N) and decreases with N (coarsest vs finest averaged over ε; every step at ε = 0)', () => {
    const byEps = epsGrid.map((e) => stepsGrid.reduce((s, N) => s + at(e, N).sw1, 0) / stepsGrid.length);
    const bySteps = stepsGrid.map((N) => epsGrid.reduce((s, e) => s + at(e, N).sw1, 0) / epsGrid.length);
    for (let i = 0; i + 1 < byEps.length; i++) expect(byEps[i + 1]!).toBeGreaterThan(byEps[i]!);
    // Decreasing with N: coarsest against finest grid averaged over ε (between neighbouring grids the
    // discretisation gain is below the Monte Carlo noise once ε dominates), and along the whole grid at
    // ε = 0, where the discretisation is the only error.
    expect(bySteps[bySteps.length - 1]!).toBeLessThan(bySteps[0]!);
    for (let i = 0; i + 1 < stepsGrid.length; i++) expect(at(0, stepsGrid[i + 1]!).sw1).toBeLessThan(at(0, stepsGrid[i]!).sw1);
    // The mean error tracks ε at the finest grid.
    expect(at(1, 128).meanError).toBeGreaterThan(at(0, 128).meanError);
  });

  it('fits non-negative constants to the bound shape, with R² in [0, 1]', () => {
    const { c0, cEps, cSqrtH, cH, r2 } = res.fit;
    for (const c of [c0, cEps, cSqrtH, cH]) expect(c).toBeGreaterThanOrEqual(0);
    expect(cEps).toBeGreaterThan(0);
    expect(r2).toBeGreaterThan(0.5);
    expect(r2).toBeLessThanOrEqual(1);
  });
});

describe('nnlsSmall', () => {
  it('recovers exact non-negative coefficients, and clamps a negative one to 0', () => {
    const X = [[1, 0], [1, 1], [1, 2], [1, 3]];
    expect(nnlsSmall(X, [1, 3, 5, 7]).beta.map((b) => Number(b.toFixed(10)))).toEqual([1, 2]);
    const fit = nnlsSmall(X, [3, 2, 1, 0]);
    expect(fit.beta[1]).toBe(0);
    expect(fit.beta[0]).toBeCloseTo(1.5, 12);
  });
});
