/**
 * Exact and approximate scores against independent oracles: central finite
 * differences of log p_t (full and diagonal mixtures, d = 1, 2, 5, VP and VE);
 * the closed-form score of one Gaussian, ∇log p_t = −(x − aμ)/(a²σ² + s²);
 * finiteness far from every component (log-sum-exp); Tweedie against the
 * Gaussian posterior mean; mathjs derivatives against known gradients; and
 * approximate scores whose measured error on fresh samples is ε within 5%.
 *
 * The schedules are defined here, from the formulas of the literature notes,
 * so that these tests do not depend on src/sde/schedules/ implementations.
 */
import { describe, expect, it } from 'vitest';
import { NormalSampler, rngFromSeed } from '../_internals/random.js';
import type { DiagonalGaussianMixture, GaussianMixture } from '../mixtures/GaussianMixture.js';
import { asFullMixture, MixtureError } from '../mixtures/GaussianMixture.js';
import type { Schedule } from '../schedules/Schedule.js';
import { APPROXIMATION_KINDS, approximateScore, measureScoreError } from './approximateScores.js';
import { mixtureLogDensityAt, mixtureScore, sampleMixtureAt } from './mixtureScore.js';
import { SymbolicScoreError, symbolicScore } from './symbolicScore.js';
import { tweedieMean } from './tweedie.js';
import { vpTestSchedule as vp, veTestSchedule as ve } from '../_internals/testSchedules.testing.js';

/** VP: β(t) = 0.1 + 19.9t, B(t) = 0.1t + 9.95t², a = e^{−B/2}, s = √(1 − e^{−B}). */

/** VE: σ(t) = 0.01·5000^t, a = 1, s = √(σ(t)² − σ_min²) (the exact marginal std). */

/** A seeded random mixture: K components, means of spread 2, covariances B·Bᵀ/d + 0.2 I (or random variances). */
function randomMixture(d: number, K: number, seed: number, diagonal: boolean): GaussianMixture | DiagonalGaussianMixture {
  const normal = new NormalSampler(rngFromSeed(seed));
  const raw = Array.from({ length: K }, () => 0.5 + Math.abs(normal.next()));
  const total = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / total);
  const means = Array.from({ length: K }, () => Array.from({ length: d }, () => 2 * normal.next()));
  if (diagonal) {
    return { weights, means, variances: Array.from({ length: K }, () => Array.from({ length: d }, () => 0.2 + normal.next() ** 2)) };
  }
  const covariances = Array.from({ length: K }, () => {
    const B = Array.from({ length: d }, () => Array.from({ length: d }, () => normal.next()));
    return Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => B[i]!.reduce((s, v, k) => s + v * B[j]![k]!, 0) / d + (i === j ? 0.2 : 0)),
    );
  });
  return { weights, means, covariances };
}

function scoreAt(score: { dim: number; evaluate: (x: Float64Array, n: number, t: number, out: Float64Array) => void }, x: ArrayLike<number>, t: number): Float64Array {
  const out = new Float64Array(score.dim);
  score.evaluate(Float64Array.from(x), 1, t, out);
  return out;
}

describe('mixtureScore', () => {
  const schedules: [string, Schedule][] = [['VP', vp], ['VE', ve]];
  const grid = [1, 2, 5].flatMap((d) => [false, true].flatMap((diagonal) => schedules.map(([name, sch]) => [d, diagonal, name, sch] as const)));

  it.each(grid)('equals central differences of log p_t: d = %i, diagonal %s, %s', (d, diagonal, _name, sch) => {
    const mix = randomMixture(d, 3, 10 * d + (diagonal ? 1 : 0), diagonal);
    const score = mixtureScore(mix, sch);
    for (const t of [0.01, 0.2, 0.5, 1]) {
      const xs = sampleMixtureAt(mix, sch, t, 4, rngFromSeed(d + 100 * t));
      const a = sch.mean(t);
      const s = sch.std(t);
      // Step proportional to the spread of p_t: truncation error ∝ (h/scale)², rounding ∝ ε/h.
      const h = 1e-4 * Math.sqrt(a * a + s * s);
      const out = new Float64Array(4 * d);
      score.evaluate(xs, 4, t, out);
      for (let i = 0; i < 4; i++) {
        const x = Array.from(xs.subarray(i * d, (i + 1) * d));
        expect(score.logDensity(x, t)).toBeCloseTo(mixtureLogDensityAt(mix, sch, x, t), 10);
        for (let k = 0; k < d; k++) {
          const up = x.slice();
          const down = x.slice();
          up[k]! += h;
          down[k]! -= h;
          const fd = (mixtureLogDensityAt(mix, sch, up, t) - mixtureLogDensityAt(mix, sch, down, t)) / (2 * h);
          const got = out[i * d + k]!;
          expect(Math.abs(got - fd)).toBeLessThan(1e-6 * (1 + Math.abs(fd)));
        }
      }
    }
  });

  it('gives the same values on the diagonal fast path as on the full path', () => {
    const diag = randomMixture(5, 4, 3, true);
    const x = sampleMixtureAt(diag, vp, 0.3, 16, rngFromSeed(4));
    const a = new Float64Array(80);
    const b = new Float64Array(80);
    mixtureScore(diag, vp).evaluate(x, 16, 0.3, a);
    // A full mixture with off-diagonal 1e-300 is not detected as diagonal, so it takes the Cholesky path.
    const full = asFullMixture(diag);
    const notDiagonal: GaussianMixture = { ...full, covariances: full.covariances.map((c) => c.map((row, i) => row.map((v, j) => (i === j ? v : 1e-300)))) };
    mixtureScore(notDiagonal, vp).evaluate(x, 16, 0.3, b);
    for (let i = 0; i < 80; i++) expect(a[i]).toBeCloseTo(b[i]!, 12);
  });

  it('is the closed form −(x − aμ)/(a²σ² + s²) for a single Gaussian', () => {
    const mu = 1.5;
    const sigma2 = 0.49;
    const score = mixtureScore({ weights: [1], means: [[mu]], covariances: [[[sigma2]]] }, vp);
    for (const t of [0, 0.1, 0.5, 1]) {
      const a = vp.mean(t);
      const s = vp.std(t);
      for (const x of [-3, 0, 0.7, 4]) {
        expect(scoreAt(score, [x], t)[0]).toBeCloseTo(-(x - a * mu) / (a * a * sigma2 + s * s), 12);
      }
    }
  });

  it('stays finite and correct with components ±100 apart (log-sum-exp)', () => {
    for (const diagonal of [false, true]) {
      const mix: GaussianMixture | DiagonalGaussianMixture = diagonal
        ? { weights: [0.5, 0.5], means: [[100, 0], [-100, 0]], variances: [[0.01, 0.01], [0.01, 0.01]] }
        : { weights: [0.5, 0.5], means: [[100, 0], [-100, 0]], covariances: [[[0.01, 0], [0, 0.01]], [[0.01, 0], [0, 0.01]]] };
      for (const sch of [vp, ve]) {
        const t = 0.001;
        const score = mixtureScore(mix, sch);
        const a = sch.mean(t);
        const S = a * a * 0.01 + sch.std(t) ** 2;
        for (const x of [[0, 0], [50, 1], [-100.3, 0.2], [100.3, -0.2], [1e4, 0]]) {
          const g = scoreAt(score, x, t);
          expect(Number.isFinite(g[0]!) && Number.isFinite(g[1]!)).toBe(true);
          expect(Number.isFinite(score.logDensity(x, t))).toBe(true);
          // Away from the midpoint all weight is on the nearer component.
          if (x[0] !== 0) {
            const m = Math.sign(x[0]!) * 100 * a;
            expect(g[0]).toBeCloseTo(-(x[0]! - m) / S, 6);
            expect(g[1]).toBeCloseTo(-x[1]! / S, 6);
          } else {
            expect(g[0]).toBeCloseTo(0, 6);
          }
        }
      }
    }
  });

  it('keeps giving correct values when the per-t cache evicts', () => {
    const mix = randomMixture(2, 2, 5, false);
    const small = mixtureScore(mix, vp, { cacheSize: 2 });
    const fresh = (t: number) => scoreAt(mixtureScore(mix, vp), [0.3, -0.4], t);
    for (const t of [0.1, 0.2, 0.3, 0.1, 0.3, 0.2]) expect(scoreAt(small, [0.3, -0.4], t)).toEqual(fresh(t));
  });

  it('refuses an invalid mixture with a MixtureError', () => {
    expect(() => mixtureScore({ weights: [0.5], means: [[0]], covariances: [[[1]]] }, vp)).toThrow(MixtureError);
  });
});

describe('tweedieMean', () => {
  it('equals the Gaussian posterior mean μ + aΣ(a²Σ + s²I)⁻¹(x − aμ) for one component', () => {
    const mu = [0.5, -1];
    const cov = [[1.2, 0.3], [0.3, 0.6]];
    const score = mixtureScore({ weights: [1], means: [mu], covariances: [cov] }, vp);
    for (const t of [0.05, 0.4, 0.9]) {
      const a = vp.mean(t);
      const s2 = vp.std(t) ** 2;
      const x = Float64Array.from([0.8, 0.1, -2, 3]);
      const out = new Float64Array(4);
      tweedieMean(score, vp, x, 2, t, out);
      // Closed form with the 2×2 inverse of S = a²Σ + s²I.
      const S = [[a * a * 1.2 + s2, a * a * 0.3], [a * a * 0.3, a * a * 0.6 + s2]];
      const det = S[0]![0]! * S[1]![1]! - S[0]![1]! * S[1]![0]!;
      const Sinv = [[S[1]![1]! / det, -S[0]![1]! / det], [-S[1]![0]! / det, S[0]![0]! / det]];
      for (let p = 0; p < 2; p++) {
        const r = [x[2 * p]! - a * mu[0]!, x[2 * p + 1]! - a * mu[1]!];
        const v = [Sinv[0]![0]! * r[0]! + Sinv[0]![1]! * r[1]!, Sinv[1]![0]! * r[0]! + Sinv[1]![1]! * r[1]!];
        for (let k = 0; k < 2; k++) {
          const expected = mu[k]! + a * (cov[k]![0]! * v[0]! + cov[k]![1]! * v[1]!);
          expect(out[2 * p + k]).toBeCloseTo(expected, 10);
        }
      }
      // In place gives the same.
      const inPlace = Float64Array.from(x);
      tweedieMean(score, vp, inPlace, 2, t, inPlace);
      for (let i = 0; i < 4; i++) expect(inPlace[i]).toBeCloseTo(out[i]!, 14);
    }
  });
});

describe('symbolicScore', () => {
  it('the score of -(x1^2 + x2^2)/2 is −x', () => {
    const score = symbolicScore('-(x1^2 + x2^2)/2', 2);
    expect(score.usesTime).toBe(false);
    const x = Float64Array.from([0.5, -1.5, 2, 0, -3, 7]);
    const out = new Float64Array(6);
    score.evaluate(x, 3, 0, out);
    expect(Array.from(out)).toEqual(Array.from(x).map((v) => expect.closeTo(-v, 14)));
    expect(score.logDensity([1, 2])).toBeCloseTo(-2.5, 14);
  });

  it('matches the exact mixture score at t = 0 for a written-out 1-d mixture', () => {
    const expr = 'log(0.3 * exp(-(x1 - 1)^2 / 2) + 0.7 * exp(-(x1 + 2)^2 / 2))';
    const sym = symbolicScore(expr, 1);
    const exact = mixtureScore({ weights: [0.3, 0.7], means: [[1], [-2]], covariances: [[[1]], [[1]]] }, vp);
    for (const x of [-4, -1, 0, 0.5, 3]) expect(scoreAt(sym, [x], 0)[0]).toBeCloseTo(scoreAt(exact, [x], 0)[0]!, 10);
  });

  it('binds t for a time-dependent log p_t', () => {
    const score = symbolicScore('-x1^2 / (2 * (1 + t^2))', 1);
    expect(score.usesTime).toBe(true);
    expect(scoreAt(score, [2], 0.5)[0]).toBeCloseTo(-2 / 1.25, 14);
  });

  it('refuses unknown variables and unparsable text, on one line', () => {
    expect(() => symbolicScore('-(x1^2 + x3^2)/2', 2)).toThrow(/unknown variable "x3".*use x1\.\.x2/);
    expect(() => symbolicScore('-(x1^2 + y^2)/2', 2)).toThrow(SymbolicScoreError);
    expect(() => symbolicScore('-(x1^2 +', 1)).toThrow(/cannot parse/);
    expect(() => symbolicScore('exp(x1) * pi', 1)).not.toThrow();
  });
});

describe('approximateScore', () => {
  const mix = randomMixture(2, 3, 21, false);
  const exact = mixtureScore(mix, vp);
  const samplesAt = (t: number, m: number, rng: Parameters<typeof sampleMixtureAt>[4]) => sampleMixtureAt(mix, vp, t, m, rng);

  it.each(APPROXIMATION_KINDS)('%s: the measured error on fresh samples is ε within 5%%', (kind) => {
    for (const epsilon of [0.05, 0.5]) {
      const approx = approximateScore(exact, { kind, epsilon, seed: 1, samplesAt });
      for (const t of [0.05, 0.5, 1]) {
        const fresh = sampleMixtureAt(mix, vp, t, 8192, rngFromSeed(999 + t));
        const measured = Math.sqrt(measureScoreError(approx, exact, fresh, t));
        expect(Math.abs(measured - epsilon)).toBeLessThan(0.05 * epsilon);
      }
    }
  });

  it('calibrates as a pure function of (seed, t), in any order', () => {
    const make = () => approximateScore(exact, { kind: 'random-features', epsilon: 0.2, seed: 5, samplesAt });
    const first = make();
    const second = make();
    const c1 = [0.1, 0.6].map((t) => first.scaleAt(t));
    const c2 = [0.6, 0.1].map((t) => second.scaleAt(t)).reverse();
    expect(c1).toEqual(c2);
    expect(make().scaleAt(0.1)).not.toEqual(approximateScore(exact, { kind: 'random-features', epsilon: 0.2, seed: 6, samplesAt }).scaleAt(0.1));
  });

  it('is the exact score at ε = 0, and temperature is the score times 1 + δ', () => {
    const zero = approximateScore(exact, { kind: 'bias', epsilon: 0, seed: 1, samplesAt });
    expect(scoreAt(zero, [0.2, 0.3], 0.4)).toEqual(scoreAt(exact, [0.2, 0.3], 0.4));
    const temp = approximateScore(exact, { kind: 'temperature', epsilon: 0.3, seed: 1, samplesAt });
    const delta = temp.scaleAt(0.4);
    expect(delta).toBeGreaterThan(0);
    const g = scoreAt(exact, [0.2, 0.3], 0.4);
    expect(Array.from(scoreAt(temp, [0.2, 0.3], 0.4))).toEqual(Array.from(g).map((v) => expect.closeTo(v * (1 + delta), 14)));
  });
});
