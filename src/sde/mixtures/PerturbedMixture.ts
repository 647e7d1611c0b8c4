/**
 * The factored law of a·x0 + s·z (x0 from a Gaussian mixture, z ~ N(0, I)
 * independent):
 *
 *   p_{a,s}(x) = Σ_k π_k N(x; a μ_k, S_k),   S_k = a² Σ_k + s² I,
 *   ∇log p_{a,s}(x) = Σ_k w_k(x) S_k⁻¹ (a μ_k − x),   w_k = softmax_k(log π_k N(x; a μ_k, S_k)),
 *
 * evaluated by log-sum-exp: the shared engine of `mixtureLogDensity` (a = 1,
 * s = 0) and of the exact diffused score in scores/mixtureScore.ts.
 */
import { choleskyInto, choleskySolveInto, inverseFromCholeskyInto, logDetFromCholesky } from '../_internals/linalg.js';
import { stackedKernel } from '../_internals/stackedKernel.js';
import { stackedScoreInto } from './_internals/stackedScore.js';
import type { AnyGaussianMixture, GaussianMixture } from './GaussianMixture.js';
import { asDiagonalMixture, mixtureDim } from './mixtureForms.js';

/** Particles per block of the batched score kernel (each precision-matrix entry is loaded once per block). */
const BLOCK = 4;

/**
 * Σ_k π_k N(a μ_k, S_k) with S_k = a² Σ_k + s² I, factored once: shifted means
 * a μ_k, per-component log normalisers log π_k − ½ log det S_k − (d/2) log 2π,
 * and either the precision matrices P_k = S_k⁻¹ (full, from the Cholesky
 * factor) with c_k = P_k a μ_k, or 1/diag(S_k) (diagonal). With the precision
 * in hand, one mat-vec gives both the direction and the quadratic form:
 *
 *   u_k = P_k(a μ_k − x) = c_k − P_k x,   (x − aμ_k)ᵀ S_k⁻¹ (x − aμ_k) = (a μ_k − x)·u_k.
 *
 * The P_k sit stacked as one (K·d)×d row-major matrix, so that `scoreInto`
 * runs one (K·d)×d by d×n product over the batch, in blocks of BLOCK particles
 * that reuse each matrix entry. Scratch buffers live here, so evaluating
 * allocates nothing.
 */
export class PerturbedMixture {
  readonly dim: number;
  readonly components: number;
  readonly diagonal: boolean;
  /** a·μ_k, row k at k·d. */
  private readonly mean: Float64Array;
  private readonly logNorm: Float64Array;
  /** Full: P_k = S_k⁻¹ at k·d² (stacked rows). Diagonal: 1/(a²σ²_ki + s²) at k·d + i. */
  private readonly factor: Float64Array;
  /** Full: c_k = P_k a μ_k, row k at k·d. Diagonal: unused (empty). */
  private readonly shift: Float64Array;
  /** Log terms per component, one row of K per particle of a block. */
  private readonly logw: Float64Array;
  /** u_k = S_k⁻¹(a μ_k − x) per component (row k at k·d), one K·d row per particle of a block. */
  private readonly dirs: Float64Array;
  /** A block of particles, coordinate-major: x_p[j] at j·BLOCK + p. */
  private readonly xblock: Float64Array;

  constructor(mix: AnyGaussianMixture, readonly a: number, readonly s: number) {
    const K = mix.weights.length;
    const d = mixtureDim(mix);
    this.dim = d;
    this.components = K;
    const diag = asDiagonalMixture(mix);
    this.diagonal = diag !== undefined;
    this.mean = new Float64Array(K * d);
    this.logNorm = new Float64Array(K);
    this.logw = new Float64Array(BLOCK * K);
    this.dirs = new Float64Array(BLOCK * K * d);
    this.xblock = new Float64Array(BLOCK * d);
    const half = 0.5 * d * Math.log(2 * Math.PI);
    const s2 = s * s;
    const a2 = a * a;
    for (let k = 0; k < K; k++) {
      const mu = mix.means[k] ?? [];
      for (let i = 0; i < d; i++) this.mean[k * d + i] = a * (mu[i] ?? 0);
    }
    if (diag !== undefined) {
      this.factor = new Float64Array(K * d);
      this.shift = new Float64Array(0);
      for (let k = 0; k < K; k++) {
        const v = diag.variances[k] ?? [];
        let logDet = 0;
        for (let i = 0; i < d; i++) {
          const sk = a2 * (v[i] ?? 0) + s2;
          if (!(sk > 0)) throw new RangeError(`perturbMixture: component ${k} has variance ${sk} in coordinate ${i} at a = ${a}, s = ${s}; it must be positive`);
          this.factor[k * d + i] = 1 / sk;
          logDet += Math.log(sk);
        }
        this.logNorm[k] = Math.log(mix.weights[k] ?? 0) - 0.5 * logDet - half;
      }
    } else {
      const full = mix as GaussianMixture;
      this.factor = new Float64Array(K * d * d);
      this.shift = new Float64Array(K * d);
      const dense = new Float64Array(d * d);
      const chol = new Float64Array(d * d);
      const col = new Float64Array(d);
      for (let k = 0; k < K; k++) {
        const cov = full.covariances[k] ?? [];
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) dense[i * d + j] = a2 * (cov[i]?.[j] ?? 0) + (i === j ? s2 : 0);
        const bad = choleskyInto(dense, d, chol);
        if (bad >= 0) throw new RangeError(`perturbMixture: a²Σ_${k} + s²I is not positive definite at a = ${a}, s = ${s} (row ${bad})`);
        this.logNorm[k] = Math.log(full.weights[k] ?? 0) - 0.5 * logDetFromCholesky(chol, d) - half;
        inverseFromCholeskyInto(chol, d, this.factor, col, 0, k * d * d);
        // c_k = P_k (a μ_k), through the factor (a solve) rather than the formed inverse.
        choleskySolveInto(chol, d, this.mean, this.shift, 0, k * d, k * d);
      }
    }
  }

  /**
   * log p(x) for the point x[off .. off+d). When `out` is given, also writes
   * ∇log p(x) = Σ_k w_k(x) S_k⁻¹(a μ_k − x) to out[outOff ..), with the
   * responsibilities w_k = softmax_k(log π_k N(x; a μ_k, S_k)) computed by
   * log-sum-exp: components hundreds of standard deviations away have log
   * densities near −10⁴, whose plain exponentials would all underflow to 0
   * and give 0/0.
   */
  evaluate(x: ArrayLike<number>, off: number, out?: Float64Array, outOff = 0): number {
    const d = this.dim;
    const K = this.components;
    const dirs = this.dirs;
    if (this.diagonal) {
      const mean = this.mean;
      const inv = this.factor;
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < d; i++) {
          const r = mean[k * d + i]! - (x[off + i] ?? 0);
          dirs[k * d + i] = r * inv[k * d + i]!;
        }
      }
    } else {
      const P = this.factor;
      const c = this.shift;
      const xs = this.xblock;
      for (let j = 0; j < d; j++) xs[j] = x[off + j] ?? 0;
      const rows = K * d;
      for (let r = 0; r < rows; r++) {
        let acc = c[r]!;
        const rb = r * d;
        for (let j = 0; j < d; j++) acc -= P[rb + j]! * xs[j]!;
        dirs[r] = acc;
      }
    }
    const xs = this.xblock;
    for (let j = 0; j < d; j++) xs[j] = x[off + j] ?? 0;
    return this.combine(xs, 0, dirs, 0, out, outOff);
  }

  /**
   * The score ∇log p at the n points x (row-major [n, d]) into out, same
   * layout. Full covariances go through the blocked kernel; the result equals
   * `evaluate` point by point up to rounding.
   */
  scoreInto(x: Float64Array, n: number, out: Float64Array): void {
    const d = this.dim;
    if (this.diagonal) {
      for (let i = 0; i < n; i++) this.evaluate(x, i * d, out, i * d);
      return;
    }
    const kernel = stackedKernel();
    if (kernel !== undefined) {
      stackedScoreInto(kernel, d, this.components, this.factor, this.shift, this.mean, this.logNorm, x, n, out);
      return;
    }
    const K = this.components;
    const rows = K * d;
    const P = this.factor;
    const c = this.shift;
    const X = this.xblock;
    const U = this.dirs;
    let p = 0;
    for (; p + BLOCK <= n; p += BLOCK) {
      const o = p * d;
      for (let j = 0; j < d; j++) {
        X[j * BLOCK] = x[o + j]!;
        X[j * BLOCK + 1] = x[o + d + j]!;
        X[j * BLOCK + 2] = x[o + 2 * d + j]!;
        X[j * BLOCK + 3] = x[o + 3 * d + j]!;
      }
      // U[q·rows + r] = c_r − Σ_j P[r, j]·x_q[j], two matrix rows × four particles at a time.
      let r = 0;
      for (; r + 2 <= rows; r += 2) {
        const c0 = c[r]!;
        const c1 = c[r + 1]!;
        let s0 = c0, s1 = c0, s2 = c0, s3 = c0;
        let t0 = c1, t1 = c1, t2 = c1, t3 = c1;
        const rb = r * d;
        const rb2 = rb + d;
        for (let j = 0, jb = 0; j < d; j++, jb += BLOCK) {
          const pv = P[rb + j]!;
          const pw = P[rb2 + j]!;
          const x0 = X[jb]!, x1 = X[jb + 1]!, x2 = X[jb + 2]!, x3 = X[jb + 3]!;
          s0 -= pv * x0; s1 -= pv * x1; s2 -= pv * x2; s3 -= pv * x3;
          t0 -= pw * x0; t1 -= pw * x1; t2 -= pw * x2; t3 -= pw * x3;
        }
        U[r] = s0; U[rows + r] = s1; U[2 * rows + r] = s2; U[3 * rows + r] = s3;
        U[r + 1] = t0; U[rows + r + 1] = t1; U[2 * rows + r + 1] = t2; U[3 * rows + r + 1] = t3;
      }
      for (; r < rows; r++) {
        const c0 = c[r]!;
        let s0 = c0, s1 = c0, s2 = c0, s3 = c0;
        const rb = r * d;
        for (let j = 0, jb = 0; j < d; j++, jb += BLOCK) {
          const pv = P[rb + j]!;
          s0 -= pv * X[jb]!; s1 -= pv * X[jb + 1]!; s2 -= pv * X[jb + 2]!; s3 -= pv * X[jb + 3]!;
        }
        U[r] = s0; U[rows + r] = s1; U[2 * rows + r] = s2; U[3 * rows + r] = s3;
      }
      for (let q = 0; q < BLOCK; q++) this.combine(x, o + q * d, U, q * rows, out, o + q * d);
    }
    for (; p < n; p++) this.evaluate(x, p * d, out, p * d);
  }


  /**
   * From the directions u_k (U[ub + k·d ..]) and the point x[off ..):
   * log terms, log-sum-exp, and (when out is given) Σ_k w_k u_k into out[outOff ..).
   * Returns log p(x).
   */
  private combine(
    x: Float64Array | ArrayLike<number>, off: number, U: Float64Array, ub: number, out: Float64Array | undefined, outOff: number,
  ): number {
    const d = this.dim;
    const K = this.components;
    const mean = this.mean;
    const logNorm = this.logNorm;
    const lw = this.logw;
    const lb = 0;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      const kd = k * d;
      let quad = 0;
      for (let i = 0; i < d; i++) quad += (mean[kd + i]! - (x[off + i] as number)) * U[ub + kd + i]!;
      const v = logNorm[k]! - 0.5 * quad;
      lw[lb + k] = v;
      if (v > max) max = v;
    }
    let total = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(lw[lb + k]! - max);
      lw[lb + k] = e;
      total += e;
    }
    const logP = max + Math.log(total);
    if (out !== undefined) {
      const inv = 1 / total;
      for (let i = 0; i < d; i++) out[outOff + i] = 0;
      for (let k = 0; k < K; k++) {
        const w = lw[lb + k]! * inv;
        if (w === 0) continue;
        const kb = ub + k * d;
        for (let i = 0; i < d; i++) out[outOff + i] = out[outOff + i]! + w * U[kb + i]!;
      }
    }
    return logP;
  }
}

/** The factored law of a·x0 + s·z for x0 ~ mix and z ~ N(0, I), independent. */
export function perturbMixture(mix: AnyGaussianMixture, a: number, s: number): PerturbedMixture {
  return new PerturbedMixture(mix, a, s);
}

/** log p(x) of the mixture itself (a = 1, s = 0). */
export function mixtureLogDensity(mix: AnyGaussianMixture, x: ArrayLike<number>): number {
  return perturbMixture(mix, 1, 0).evaluate(x, 0);
}
