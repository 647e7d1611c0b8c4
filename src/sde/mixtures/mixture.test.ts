/**
 * Gaussian mixtures and the dense helpers under them: Cholesky, triangular
 * solves and log-det against hand-computed matrices; the file reader on a good
 * file and on one broken file per rule (one-line messages naming file, path,
 * value and fix); log-density against the closed form; sample moments.
 */
import { describe, expect, it } from 'vitest';
import {
  cholesky,
  choleskyInto,
  choleskySolveInto,
  logDetFromCholesky,
  logSumExp,
  lowerTimesInto,
  solveLowerInto,
  toDense,
} from '../_internals/linalg.js';
import { rngFromSeed } from '../_internals/random.js';
import {
  asDiagonalMixture,
  asFullMixture,
  checkMixture,
  MixtureError,
  mixtureLogDensity,
  parseMixture,
  sampleMixture,
  type DiagonalGaussianMixture,
  type GaussianMixture,
} from './GaussianMixture.js';

describe('linalg', () => {
  // A = L Lᵀ with L = [[2, 0, 0], [1, 3, 0], [-1, 0.5, 1]].
  const L = [[2, 0, 0], [1, 3, 0], [-1, 0.5, 1]];
  const A = [0, 1, 2].map((i) => [0, 1, 2].map((j) => [0, 1, 2].reduce((s, k) => s + L[i]![k]! * L[j]![k]!, 0)));

  it('factors a known SPD matrix', () => {
    expect(Array.from(cholesky(A))).toEqual(L.flat().map((v) => expect.closeTo(v, 12)));
  });

  it('solves through the factor and gives log det', () => {
    const l = cholesky(A);
    const b = [1, -2, 0.5];
    const x = new Float64Array(3);
    choleskySolveInto(l, 3, b, x);
    const Ax = A.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
    Ax.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 12));
    expect(logDetFromCholesky(l, 3)).toBeCloseTo(2 * Math.log(2 * 3 * 1), 12);
    const y = new Float64Array(3);
    solveLowerInto(l, 3, b, y);
    const Ly = L.map((row) => row.reduce((s, v, j) => s + v * y[j]!, 0));
    Ly.forEach((v, i) => expect(v).toBeCloseTo(b[i]!, 12));
    // L z computed in place (y aliases z).
    const z = Float64Array.from([1, 2, 3]);
    lowerTimesInto(l, 3, z, z);
    expect(Array.from(z)).toEqual([2, 7, 3].map((v) => expect.closeTo(v, 12)));
  });

  it('reports the failing pivot of a non-SPD matrix', () => {
    const out = new Float64Array(4);
    expect(choleskyInto(toDense([[1, 2], [2, 1]]), 2, out)).toBe(1);
    expect(choleskyInto(toDense([[-1, 0], [0, 1]]), 2, out)).toBe(0);
    expect(choleskyInto(toDense([[NaN, 0], [0, 1]]), 2, out)).toBe(0);
    expect(() => cholesky([[1, 2], [2, 1]])).toThrow(/pivot 1/);
    expect(() => toDense([[1, 2], [3]])).toThrow(RangeError);
  });

  it('log-sum-exp is exact for ordinary values and stable for extreme ones', () => {
    expect(logSumExp([Math.log(1), Math.log(2), Math.log(3)])).toBeCloseTo(Math.log(6), 14);
    expect(logSumExp([-1e4, -1e4])).toBeCloseTo(-1e4 + Math.log(2), 10);
    expect(logSumExp([1e4, 0])).toBeCloseTo(1e4, 10);
    expect(logSumExp([])).toBe(-Infinity);
  });
});

const GOOD = `{"weights": [0.25, 0.75], "means": [[0, 0], [3, 1]], "covariances": [[[1, 0], [0, 1]], [[0.5, 0.1], [0.1, 2]]]}`;

function mixtureError(f: () => unknown): MixtureError {
  try {
    f();
  } catch (err) {
    if (err instanceof MixtureError) return err;
    throw err;
  }
  throw new Error('expected a MixtureError, but nothing was thrown');
}

/** Parses GOOD with one field replaced, and returns the error. */
function broken(patch: Record<string, unknown>): MixtureError {
  const data = { ...JSON.parse(GOOD), ...patch };
  return mixtureError(() => parseMixture(JSON.stringify(data), 'mix.json'));
}

describe('parseMixture', () => {
  it('reads a good file', () => {
    const mix = parseMixture(GOOD, 'mix.json');
    expect(mix.weights).toEqual([0.25, 0.75]);
    expect(mix.covariances[1]).toEqual([[0.5, 0.1], [0.1, 2]]);
  });

  const cases: [string, () => MixtureError, MixtureError['rule'], RegExp][] = [
    ['invalid JSON', () => mixtureError(() => parseMixture('{"weights": [1,', 'mix.json')), 'format', /^mix\.json: top level: invalid JSON .*check the brackets/],
    ['not an object', () => mixtureError(() => parseMixture('[1, 2]', 'mix.json')), 'format', /^mix\.json: top level: found an array of 2 items, expected a mixture object; write \{/],
    ['unknown key', () => broken({ weight: [1] }), 'format', /^mix\.json: weight: unexpected key "weight"; remove it \(allowed keys: weights, means, covariances\)$/],
    ['missing key', () => mixtureError(() => parseMixture('{"weights": [1], "means": [[0]]}', 'mix.json')), 'format', /^mix\.json: covariances: missing, expected a non-empty array of covariance matrices; list/],
    ['non-number weight', () => broken({ weights: [0.5, '0.5'] }), 'format', /^mix\.json: weights\[1\]: found "0\.5", expected a number; write each weight as a positive number$/],
    ['empty weights', () => broken({ weights: [] }), 'format', /^mix\.json: weights: found an empty array, expected a non-empty array of weights/],
    ['non-positive weight', () => broken({ weights: [1.25, -0.25] }), 'weights', /^mix\.json: weights\[1\]: found -0\.25; every weight must be a positive finite number/],
    ['weights not summing to 1', () => broken({ weights: [0.25, 0.7] }), 'weights', /^mix\.json: weights: found weights summing to 0\.95; the weights must sum to 1 within 1e-9; divide each weight by 0\.95$/],
    ['means count', () => broken({ means: [[0, 0]] }), 'dimension', /^mix\.json: means: found 1 means; give one mean per weight \(2\)$/],
    ['mean dimension', () => broken({ means: [[0, 0], [3]] }), 'dimension', /^mix\.json: means\[1\]: found a vector of length 1; every mean must have the dimension of means\[0\] \(2\)$/],
    ['covariance count', () => broken({ covariances: [[[1, 0], [0, 1]]] }), 'dimension', /^mix\.json: covariances: found 1 matrices; give one covariance per weight \(2\)$/],
    ['covariance rows', () => broken({ covariances: [[[1, 0], [0, 1]], [[1, 0]]] }), 'dimension', /^mix\.json: covariances\[1\]: found a matrix with 1 rows; each covariance must be 2×2/],
    ['covariance row length', () => broken({ covariances: [[[1, 0], [0, 1]], [[1, 0], [0]]] }), 'dimension', /^mix\.json: covariances\[1\]\[1\]: found a row of length 1; each covariance row must have 2 entries$/],
    ['asymmetric covariance', () => broken({ covariances: [[[1, 0], [0, 1]], [[1, 0.2], [0.3, 1]]] }), 'symmetry', /^mix\.json: covariances\[1\]\[1\]\[0\]: found 0\.3 while covariances\[1\]\[0\]\[1\] is 0\.2; a covariance must be symmetric; make the two entries equal$/],
    ['indefinite covariance', () => broken({ covariances: [[[1, 0], [0, 1]], [[1, 2], [2, 1]]] }), 'positive-definite', /^mix\.json: covariances\[1\]: found a matrix that is not positive definite \(Cholesky fails at row 1\); a covariance must be positive definite/],
    ['zero variance', () => broken({ covariances: [[[0, 0], [0, 1]], [[1, 0], [0, 1]]] }), 'positive-definite', /^mix\.json: covariances\[0\]: found a matrix that is not positive definite \(Cholesky fails at row 0\)/],
  ];

  it.each(cases)('names the file, path, value and fix: %s', (_name, run, rule, message) => {
    const err = run();
    expect(err.rule).toBe(rule);
    expect(err.message).toMatch(message);
    expect(err.message).not.toMatch(/[\r\n\u2028\u2029]/);
  });

  it('checks diagonal mixtures built in code', () => {
    const diag: DiagonalGaussianMixture = { weights: [1], means: [[0, 0]], variances: [[1, 0]] };
    expect(mixtureError(() => checkMixture(diag, 'code')).message).toMatch(/^code: variances\[0\]\[1\]: found 0; every variance must be a positive/);
    expect(() => checkMixture({ ...diag, variances: [[1, 2]] })).not.toThrow();
  });
});

describe('mixture log density and sampling', () => {
  it('matches the closed form of a single Gaussian (full and diagonal)', () => {
    const mu = [1, -2];
    const cov = [[2, 0.5], [0.5, 1]];
    const mix: GaussianMixture = { weights: [1], means: [mu], covariances: [cov] };
    const x = [0.3, 0.4];
    const det = 2 * 1 - 0.25;
    const inv = [[1 / det, -0.5 / det], [-0.5 / det, 2 / det]];
    const r = [x[0]! - mu[0]!, x[1]! - mu[1]!];
    const quad = r[0]! * (inv[0]![0]! * r[0]! + inv[0]![1]! * r[1]!) + r[1]! * (inv[1]![0]! * r[0]! + inv[1]![1]! * r[1]!);
    expect(mixtureLogDensity(mix, x)).toBeCloseTo(-0.5 * quad - 0.5 * Math.log(det) - Math.log(2 * Math.PI), 12);

    const diag: DiagonalGaussianMixture = { weights: [0.4, 0.6], means: [[0], [2]], variances: [[1], [4]] };
    const n = (v: number, m: number, s2: number) => Math.exp(-((v - m) ** 2) / (2 * s2)) / Math.sqrt(2 * Math.PI * s2);
    expect(mixtureLogDensity(diag, [0.7])).toBeCloseTo(Math.log(0.4 * n(0.7, 0, 1) + 0.6 * n(0.7, 2, 4)), 12);
    expect(mixtureLogDensity(asFullMixture(diag), [0.7])).toBeCloseTo(mixtureLogDensity(diag, [0.7]), 12);
  });

  it('converts between full and diagonal forms', () => {
    const full: GaussianMixture = { weights: [1], means: [[0, 0]], covariances: [[[2, 0], [0, 3]]] };
    expect(asDiagonalMixture(full)?.variances).toEqual([[2, 3]]);
    expect(asDiagonalMixture({ ...full, covariances: [[[2, 1], [1, 3]]] })).toBeUndefined();
  });

  it('draws samples with the mixture mean and covariance', () => {
    const mix = parseMixture(GOOD);
    const n = 40_000;
    const xs = sampleMixture(mix, n, rngFromSeed(7));
    let m0 = 0;
    let m1 = 0;
    for (let i = 0; i < n; i++) {
      m0 += xs[2 * i]!;
      m1 += xs[2 * i + 1]!;
    }
    m0 /= n;
    m1 /= n;
    // Mixture mean 0.75·(3, 1); covariance Σ π_k (Σ_k + μ_k μ_kᵀ) − m mᵀ.
    expect(m0).toBeCloseTo(2.25, 1);
    expect(m1).toBeCloseTo(0.75, 1);
    let c01 = 0;
    let c11 = 0;
    for (let i = 0; i < n; i++) {
      c01 += (xs[2 * i]! - m0) * (xs[2 * i + 1]! - m1);
      c11 += (xs[2 * i + 1]! - m1) ** 2;
    }
    expect(c01 / n).toBeCloseTo(0.75 * (0.1 + 3) - 2.25 * 0.75, 1);
    expect(c11 / n).toBeCloseTo(0.25 * 1 + 0.75 * (2 + 1) - 0.75 ** 2, 1);
  });

  it('is a pure function of the seed', () => {
    const mix = parseMixture(GOOD);
    expect(sampleMixture(mix, 5, rngFromSeed(3))).toEqual(sampleMixture(mix, 5, rngFromSeed(3)));
  });
});
