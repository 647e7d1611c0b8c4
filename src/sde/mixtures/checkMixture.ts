/**
 * The rules every mixture p(x) = Σ_k π_k N(x; μ_k, Σ_k) must keep, for a file
 * and for one built in code alike: at least one component; every weight
 * positive and |Σ_k π_k − 1| ≤ 1e-9; every mean of the same dimension d ≥ 1;
 * every covariance d×d, symmetric (|Σ_ij − Σ_ji| ≤ 1e-9·max(1, |Σ_ij|, |Σ_ji|))
 * and positive definite (its Cholesky factorisation Σ = L·Lᵀ succeeds); for
 * the diagonal form, every variance positive. A broken rule throws a
 * MixtureError whose message is one line: source, JSON path, value, fix.
 */
import { choleskyInto } from '../_internals/linalg.js';
import type { AnyGaussianMixture, DiagonalGaussianMixture } from './GaussianMixture.js';
import { MixtureError, type MixtureRule } from './MixtureError.js';
import { isDiagonalMixture, mixtureDim } from './mixtureForms.js';

/** Allowed gap between Σ π_k and 1: tight, because weights written by a program are exact to ~1e-16. */
export const WEIGHT_SUM_TOLERANCE = 1e-9;
/** Allowed relative gap between (Σ)_ij and (Σ)_ji. */
export const SYMMETRY_TOLERANCE = 1e-9;

/**
 * Checks a mixture built in code against the same rules as a file (weights,
 * dimensions, symmetry, positive definiteness; positive variances for the
 * diagonal form). `source` names it in the messages.
 */
export function checkMixture(mix: AnyGaussianMixture, source = 'mixture'): void {
  const K = mix.weights.length;
  if (K === 0) fail(source, 'format', 'weights', 'an empty array', 'give at least one component');
  for (let k = 0; k < K; k++) {
    const w = mix.weights[k] ?? NaN;
    if (!(w > 0) || !Number.isFinite(w)) {
      fail(source, 'weights', `weights[${k}]`, String(w), 'every weight must be a positive finite number; drop the component or give it a positive weight');
    }
  }
  const sum = mix.weights.reduce((acc, w) => acc + w, 0);
  if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
    fail(source, 'weights', 'weights', `weights summing to ${sum}`,
      `the weights must sum to 1 within ${WEIGHT_SUM_TOLERANCE}; divide each weight by ${sum}`);
  }
  if (mix.means.length !== K) {
    fail(source, 'dimension', 'means', `${mix.means.length} means`, `give one mean per weight (${K})`);
  }
  const d = mixtureDim(mix);
  if (d < 1) fail(source, 'dimension', 'means[0]', 'an empty vector', 'give each mean at least one coordinate');
  mix.means.forEach((m, k) => {
    if (m.length !== d) fail(source, 'dimension', `means[${k}]`, `a vector of length ${m.length}`, `every mean must have the dimension of means[0] (${d})`);
    m.forEach((v, i) => {
      if (!Number.isFinite(v)) fail(source, 'format', `means[${k}][${i}]`, String(v), 'write a finite number');
    });
  });
  if (isDiagonalMixture(mix)) {
    checkVariances(mix, source, K, d);
    return;
  }
  if (mix.covariances.length !== K) {
    fail(source, 'dimension', 'covariances', `${mix.covariances.length} matrices`, `give one covariance per weight (${K})`);
  }
  const dense = new Float64Array(d * d);
  const factor = new Float64Array(d * d);
  mix.covariances.forEach((cov, k) => {
    if (cov.length !== d) fail(source, 'dimension', `covariances[${k}]`, `a matrix with ${cov.length} rows`, `each covariance must be ${d}×${d}, the dimension of the means`);
    cov.forEach((row, i) => {
      if (row.length !== d) fail(source, 'dimension', `covariances[${k}][${i}]`, `a row of length ${row.length}`, `each covariance row must have ${d} entries`);
      row.forEach((v, j) => {
        if (!Number.isFinite(v)) fail(source, 'format', `covariances[${k}][${i}][${j}]`, String(v), 'write a finite number');
        dense[i * d + j] = v;
      });
    });
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) {
        const a = dense[i * d + j] ?? 0;
        const b = dense[j * d + i] ?? 0;
        if (Math.abs(a - b) > SYMMETRY_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))) {
          fail(source, 'symmetry', `covariances[${k}][${i}][${j}]`, `${a} while covariances[${k}][${j}][${i}] is ${b}`,
            'a covariance must be symmetric; make the two entries equal');
        }
      }
    }
    const bad = choleskyInto(dense, d, factor);
    if (bad >= 0) {
      fail(source, 'positive-definite', `covariances[${k}]`, `a matrix that is not positive definite (Cholesky fails at row ${bad})`,
        'a covariance must be positive definite: check for a non-positive variance, a correlation beyond ±1 or linearly dependent rows');
    }
  });
}

function checkVariances(mix: DiagonalGaussianMixture, source: string, K: number, d: number): void {
  if (mix.variances.length !== K) {
    fail(source, 'dimension', 'variances', `${mix.variances.length} vectors`, `give one variance vector per weight (${K})`);
  }
  mix.variances.forEach((v, k) => {
    if (v.length !== d) fail(source, 'dimension', `variances[${k}]`, `a vector of length ${v.length}`, `each variance vector must have ${d} entries`);
    v.forEach((x, i) => {
      if (!(x > 0) || !Number.isFinite(x)) fail(source, 'positive-definite', `variances[${k}][${i}]`, String(x), 'every variance must be a positive finite number');
    });
  });
}

function fail(source: string, rule: MixtureRule, where: string, found: string, fix: string): never {
  throw new MixtureError(rule, `${source}: ${where}: found ${found}; ${fix}`, where);
}
