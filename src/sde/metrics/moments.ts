/**
 * Sample moments of a particle batch ([n, dim] row-major) and their errors
 * against a reference Gaussian:
 *
 *   μ̂ = (1/n) Σ_i x_i,   Σ̂ = (1/(n−1)) Σ_i (x_i − μ̂)(x_i − μ̂)ᵀ   (unbiased),
 *   meanError = ‖μ̂ − μ‖₂,   covError = ‖Σ̂ − Σ‖_F.
 *
 * Sums are accumulated around a provisional centre (the first particle) so
 * that a large common offset does not cancel catastrophically.
 */

export function sampleMean(x: Float64Array, n: number, dim: number): Float64Array {
  checkShape(x, n, dim, 'sampleMean');
  const m = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    for (let j = 0; j < dim; j++) m[j]! += x[o + j]!;
  }
  for (let j = 0; j < dim; j++) m[j]! /= n;
  return m;
}

/** Unbiased sample covariance, row-major dim×dim (needs n ≥ 2). */
export function sampleCov(x: Float64Array, n: number, dim: number, mean: Float64Array = sampleMean(x, n, dim)): Float64Array {
  checkShape(x, n, dim, 'sampleCov');
  if (n < 2) throw new RangeError(`sampleCov: needs at least 2 particles, got ${n}`);
  const c = new Float64Array(dim * dim);
  const r = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    const o = i * dim;
    for (let j = 0; j < dim; j++) r[j] = x[o + j]! - mean[j]!;
    for (let a = 0; a < dim; a++) {
      const ra = r[a]!;
      for (let b = 0; b <= a; b++) c[a * dim + b]! += ra * r[b]!;
    }
  }
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b <= a; b++) {
      const v = c[a * dim + b]! / (n - 1);
      c[a * dim + b] = v;
      c[b * dim + a] = v;
    }
  }
  return c;
}

export interface MomentErrors {
  mean: Float64Array;
  cov: Float64Array;
  /** ‖μ̂ − μ‖₂ */
  meanError: number;
  /** ‖Σ̂ − Σ‖_F */
  covError: number;
}

/** Sample mean and covariance of `x` and their distances to the reference `mean` (length dim) and `cov` (dim×dim). */
export function momentErrors(x: Float64Array, n: number, dim: number, mean: ArrayLike<number>, cov: ArrayLike<number>): MomentErrors {
  if (mean.length !== dim || cov.length !== dim * dim) throw new RangeError(`momentErrors: reference mean/cov must have ${dim} and ${dim * dim} entries`);
  const m = sampleMean(x, n, dim);
  const c = sampleCov(x, n, dim, m);
  let me = 0;
  for (let j = 0; j < dim; j++) me += (m[j]! - mean[j]!) ** 2;
  let ce = 0;
  for (let j = 0; j < dim * dim; j++) ce += (c[j]! - cov[j]!) ** 2;
  return { mean: m, cov: c, meanError: Math.sqrt(me), covError: Math.sqrt(ce) };
}

export function checkShape(x: Float64Array, n: number, dim: number, who: string): void {
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(dim) || dim < 1) throw new RangeError(`${who}: n and dim must be positive integers, got ${n} and ${dim}`);
  if (x.length < n * dim) throw new RangeError(`${who}: ${x.length} entries cannot hold n·dim = ${n * dim}`);
}
