/**
 * Metrics against closed forms: moments of a known sample, sliced W1 of a
 * sample with itself (0) and with a shifted copy (the projected shift; the
 * shift exactly in 1-D), MMD² ≈ 0 for equal laws and growing with separation,
 * Gaussian KL against the 1-D formula and KL(N‖N) = 0.
 */
import { describe, expect, it } from 'vitest';
import { NormalSampler, rngFromSeed } from '../_internals/random.js';
import { momentErrors, sampleCov, sampleMean } from './moments.js';
import { randomDirections, slicedWasserstein1, wasserstein1d } from './slicedWasserstein.js';
import { mmdRbf } from './mmd.js';
import { choleskyLower, gaussianKl } from './gaussianKl.js';

function gaussianSample(n: number, dim: number, seed: number, shift = 0): Float64Array {
  const x = new NormalSampler(rngFromSeed(seed)).fill(new Float64Array(n * dim));
  for (let i = 0; i < n; i++) x[i * dim]! += shift;
  return x;
}

describe('moments', () => {
  it('mean and unbiased covariance of a small sample, and their errors', () => {
    const x = Float64Array.from([1, 2, 3, 6, 5, 1]); // 3 particles in 2-D
    expect(Array.from(sampleMean(x, 3, 2))).toEqual([3, 3]);
    // centred: (−2,−1), (0,3), (2,−2) → Σ = [[8, −2], [−2, 14]] / 2
    expect(Array.from(sampleCov(x, 3, 2))).toEqual([4, -1, -1, 7]);
    const e = momentErrors(x, 3, 2, [0, 3], [4, -1, -1, 4]);
    expect(e.meanError).toBeCloseTo(3, 14);
    expect(e.covError).toBeCloseTo(3, 14);
  });
});

describe('sliced Wasserstein-1', () => {
  it('1-D W1 by sorting: equal sizes, unequal sizes, a shift', () => {
    expect(wasserstein1d(Float64Array.from([0, 1]), Float64Array.from([3, 2]))).toBeCloseTo(2, 14);
    // Unequal sizes: {0} vs {0, 2}: ∫|F − G| = ½·2 = 1.
    expect(wasserstein1d(Float64Array.from([0]), Float64Array.from([0, 2]))).toBeCloseTo(1, 14);
    const a = gaussianSample(500, 1, 1);
    const b = a.map((v) => v + 0.37);
    expect(wasserstein1d(a.slice(), b)).toBeCloseTo(0.37, 12);
  });

  it('is 0 for a sample against itself and the shift in 1-D', () => {
    const x = gaussianSample(300, 4, 2);
    expect(slicedWasserstein1(x, 300, x, 300, 4, { directions: 16, seed: 1 })).toBe(0);
    const y = gaussianSample(300, 1, 3);
    const ys = y.map((v) => v - 1.25);
    expect(slicedWasserstein1(y, 300, ys, 300, 1, { directions: 5 })).toBeCloseTo(1.25, 12);
  });

  it('is the mean projected shift |⟨θ, v⟩| for a shifted copy in d dimensions', () => {
    const dim = 3;
    const x = gaussianSample(200, dim, 4);
    const v = [0.5, -1, 2];
    const y = x.map((val, i) => val + v[i % dim]!);
    const dirs = randomDirections(32, dim, 9);
    let expected = 0;
    for (let l = 0; l < 32; l++) expected += Math.abs(dirs[l * dim]! * v[0]! + dirs[l * dim + 1]! * v[1]! + dirs[l * dim + 2]! * v[2]!) / 32;
    expect(slicedWasserstein1(x, 200, y, 200, dim, { dirs })).toBeCloseTo(expected, 12);
    for (let l = 0; l < 32; l++) expect(Math.hypot(dirs[l * dim]!, dirs[l * dim + 1]!, dirs[l * dim + 2]!)).toBeCloseTo(1, 14);
  });
});

describe('MMD² (unbiased, RBF, median bandwidth)', () => {
  it('≈ 0 for two samples of the same law, and grows with the separation', () => {
    const n = 400;
    const dim = 2;
    const x = gaussianSample(n, dim, 10);
    const same = mmdRbf(x, n, gaussianSample(n, dim, 11), n, dim);
    expect(Math.abs(same.mmd2)).toBeLessThan(0.01);
    expect(same.bandwidth).toBeGreaterThan(1); // median distance of 2-D standard normals ≈ √(2·2 ln 2)… ≈ 1.7
    let prev = same.mmd2;
    for (const shift of [0.5, 1, 2, 4]) {
      const m = mmdRbf(x, n, gaussianSample(n, dim, 11, shift), n, dim, { bandwidth: same.bandwidth }).mmd2;
      expect(m).toBeGreaterThan(prev);
      prev = m;
    }
    expect(prev).toBeGreaterThan(0.5);
  });

  it('is exactly 0 when both samples are the same single repeated point', () => {
    const x = new Float64Array(10).fill(1);
    expect(mmdRbf(x, 5, x, 5, 2).mmd2).toBeCloseTo(0, 14);
  });
});

describe('Gaussian KL', () => {
  it('matches the 1-D closed form', () => {
    for (const [m0, s0, m1, s1] of [[0, 1, 0, 1], [0.3, 0.5, -1, 2], [2, 3, 2, 0.7]] as const) {
      const closed = Math.log(s1 / s0) + (s0 * s0 + (m0 - m1) ** 2) / (2 * s1 * s1) - 0.5;
      expect(gaussianKl([m0], [s0 * s0], [m1], [s1 * s1], 1)).toBeCloseTo(closed, 12);
    }
  });

  it('KL(N‖N) = 0 for a full covariance, and it adds over independent blocks', () => {
    const cov = [4, 1, 0.5, 1, 3, -0.2, 0.5, -0.2, 2];
    expect(gaussianKl([1, 2, 3], cov, [1, 2, 3], cov, 3)).toBeCloseTo(0, 12);
    const blockDiag = [2, 0, 0, 0.5];
    const kl2 = gaussianKl([0, 0], blockDiag, [1, -1], [1, 0, 0, 3], 2);
    const kl1a = gaussianKl([0], [2], [1], [1], 1);
    const kl1b = gaussianKl([0], [0.5], [-1], [3], 1);
    expect(kl2).toBeCloseTo(kl1a + kl1b, 12);
    expect(gaussianKl([0, 0, 0], cov, [0.1, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0, 1], 3)).toBeGreaterThan(0);
  });

  it('rejects a covariance that is not positive definite', () => {
    expect(() => choleskyLower([1, 2, 2, 1], 2)).toThrow(RangeError);
  });
});
