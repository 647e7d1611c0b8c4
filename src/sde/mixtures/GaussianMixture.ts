/**
 * Gaussian mixtures — the data distributions whose diffused marginals and
 * scores are known exactly:
 *
 *   p(x) = Σ_k π_k N(x; μ_k, Σ_k),
 *   log N(x; m, S) = −½ (x − m)ᵀ S⁻¹ (x − m) − ½ log det S − (d/2) log 2π.
 *
 * Two forms: full covariances (`GaussianMixture`, also the file format) and
 * diagonal ones (`DiagonalGaussianMixture`, `variances[k][i]` = (Σ_k)_ii),
 * which the score evaluates in O(K·d) per particle instead of O(K·d²).
 *
 * File format (JSON, keys strict so that a typo cannot silently drop a field):
 *
 *   {"weights": [0.3, 0.7],
 *    "means": [[0, 0], [3, 1]],
 *    "covariances": [[[1, 0], [0, 1]], [[0.5, 0.1], [0.1, 2]]]}
 *
 * Rules: at least one component; every weight positive and the weights summing
 * to 1 within 1e-9; every mean of the same dimension d ≥ 1; every covariance
 * d×d, symmetric (within 1e-9 relative) and positive definite (its Cholesky
 * factorisation succeeds). A broken rule throws a MixtureError whose message is
 * one line: file, JSON path, the value found there and the fix.
 *
 * `perturbMixture(mix, a, s)` is the factored form of the law of a·x0 + s·z
 * (x0 ~ p, z ~ N(0, I)), Σ_k π_k N(a μ_k, a² Σ_k + s² I): the shared engine of
 * `mixtureLogDensity` here and of the exact diffused score in
 * scores/mixtureScore.ts.
 */
import { z } from 'zod';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import {
  choleskyInto,
  choleskySolveInto,
  inverseFromCholeskyInto,
  logDetFromCholesky,
  lowerTimesInto,
  stackedKernel,
  type StackedKernel,
} from '../_internals/linalg.js';
import { NormalSampler, uniform01 } from '../_internals/random.js';

/** A mixture with full covariance matrices (the file format). */
export interface GaussianMixture {
  weights: number[];
  means: number[][];
  covariances: number[][][];
}

/** A mixture with diagonal covariances: `variances[k][i]` is the i-th diagonal entry of Σ_k. */
export interface DiagonalGaussianMixture {
  weights: number[];
  means: number[][];
  variances: number[][];
}

export type AnyGaussianMixture = GaussianMixture | DiagonalGaussianMixture;

export type MixtureRule = 'format' | 'weights' | 'dimension' | 'symmetry' | 'positive-definite';

/** A mixture (or mixture file) broke a rule; the message is one line: file, JSON path, value found, fix. */
export class MixtureError extends Error {
  override readonly name = 'MixtureError';
  constructor(
    readonly rule: MixtureRule,
    message: string,
    /** The JSON path the error is about ('top level' for the whole document). */
    readonly where: string,
  ) {
    super(message);
  }
}

/** Allowed gap between Σ π_k and 1: tight, because weights written by a program are exact to ~1e-16. */
export const WEIGHT_SUM_TOLERANCE = 1e-9;
/** Allowed relative gap between (Σ)_ij and (Σ)_ji. */
export const SYMMETRY_TOLERANCE = 1e-9;

export function isDiagonalMixture(mix: AnyGaussianMixture): mix is DiagonalGaussianMixture {
  return 'variances' in mix;
}

export function mixtureDim(mix: AnyGaussianMixture): number {
  return mix.means[0]?.length ?? 0;
}

/** The diagonal form of a full mixture whose covariances are all diagonal; undefined when one is not. */
export function asDiagonalMixture(mix: AnyGaussianMixture): DiagonalGaussianMixture | undefined {
  if (isDiagonalMixture(mix)) return mix;
  const d = mixtureDim(mix);
  const variances: number[][] = [];
  for (const cov of mix.covariances) {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) if (i !== j && (cov[i]?.[j] ?? 0) !== 0) return undefined;
    variances.push(Array.from({ length: d }, (_, i) => cov[i]?.[i] ?? 0));
  }
  return { weights: mix.weights, means: mix.means, variances };
}

/** The full form of any mixture (diagonal variances become diagonal matrices). */
export function asFullMixture(mix: AnyGaussianMixture): GaussianMixture {
  if (!isDiagonalMixture(mix)) return mix;
  const d = mixtureDim(mix);
  const covariances = mix.variances.map((v) =>
    Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? v[i] ?? 0 : 0))),
  );
  return { weights: mix.weights, means: mix.means, covariances };
}

// ---------------------------------------------------------------- reading and checking

const fileSchema = z.strictObject({
  weights: z.array(z.number()).min(1),
  means: z.array(z.array(z.number()).min(1)).min(1),
  covariances: z.array(z.array(z.array(z.number()))).min(1),
});

const FIELDS: Record<string, { what: string; fix: string }> = {
  '': { what: 'a mixture object', fix: 'write {"weights": [...], "means": [[...], ...], "covariances": [[[...], ...], ...]}' },
  weights: { what: 'a non-empty array of weights', fix: 'list one weight per component, e.g. "weights": [0.5, 0.5]' },
  'weights.#': { what: 'a number', fix: 'write each weight as a positive number' },
  means: { what: 'a non-empty array of means', fix: 'list one mean vector per component, e.g. "means": [[0, 0], [3, 1]]' },
  'means.#': { what: 'a non-empty mean vector', fix: 'write each mean as an array of d numbers, e.g. [0, 0]' },
  'means.#.#': { what: 'a number', fix: 'write each mean coordinate as a number' },
  covariances: { what: 'a non-empty array of covariance matrices', fix: 'list one d×d matrix per component, e.g. "covariances": [[[1, 0], [0, 1]]]' },
  'covariances.#': { what: 'a covariance matrix', fix: 'write each covariance as an array of d rows, e.g. [[1, 0], [0, 1]]' },
  'covariances.#.#': { what: 'a matrix row', fix: 'write each covariance row as an array of d numbers' },
  'covariances.#.#.#': { what: 'a number', fix: 'write each covariance entry as a number' },
};

/**
 * Reads a mixture from JSON text (the format above); `source` names the file in
 * error messages. Throws MixtureError on any broken rule.
 */
export function parseMixture(text: string, source = 'mixture.json'): GaussianMixture {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/\s+/g, ' ').trim();
    throw new MixtureError('format', `${source}: top level: invalid JSON (${reason}); check the brackets, commas and quotes`, 'top level');
  }
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) throw schemaError(source, data, parsed.error.issues[0]);
  const mix: GaussianMixture = parsed.data;
  checkMixture(mix, source);
  return mix;
}

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

function schemaError(source: string, data: unknown, issue: z.core.$ZodIssue | undefined): MixtureError {
  const path = issue?.path ?? [];
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const at = formatPath([...path, key]);
    return new MixtureError('format', `${source}: ${at}: unexpected key ${JSON.stringify(key)}; remove it (allowed keys: weights, means, covariances)`, at);
  }
  const at = formatPath(path) || 'top level';
  const shape = path.map((p) => (typeof p === 'number' ? '#' : String(p))).join('.');
  const field = FIELDS[shape] ?? { what: 'valid here', fix: 'see the mixture file format' };
  const found = valueAt(data, path);
  const problem = found === undefined ? `missing, expected ${field.what}` : `found ${describe(found)}, expected ${field.what}`;
  return new MixtureError('format', `${source}: ${at}: ${problem}; ${field.fix}`, at);
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(String(p)).replace(/[\u2028\u2029]/g, ' ')}]`;
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, p)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** One line, never deep: JSON strings are escaped by JSON.stringify (U+2028/9 by hand). */
function describe(v: unknown): string {
  if (typeof v === 'string') {
    const q = JSON.stringify(v).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    return q.length > 42 ? `${q.slice(0, 40)}…"` : q;
  }
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

// ---------------------------------------------------------------- the factored law of a·x0 + s·z

/** Particles per block of the batched score kernel (each precision-matrix entry is loaded once per block). */
const BLOCK = 4;
/** Points per call of the SIMD kernels (a multiple of 4; the chunk's SIMD_CHUNK·K·d doubles of u_k stay in L1 between the two). */
const SIMD_CHUNK = 16;

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
      this.scoreSimd(kernel, x, n, out);
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
   * scoreInto through the WebAssembly SIMD kernels. Per call, the stacked
   * precisions go to the kernel's memory as K blocks of dp rows (dp = d
   * rounded up to even; padding rows and columns zero, so their u entries
   * are 0), with c, the shifted means and the log normalisers alongside, and
   * the whole batch of points (padded to a multiple of four with zero rows).
   * Then, per chunk of SIMD_CHUNK points, the stacked mat-vec and the
   * combine kernel (log terms, softmax, Σ_k w_k u_k) run back to back while
   * the chunk's u_k are in cache, and the scores are copied out at the end.
   */
  private scoreSimd(kernel: StackedKernel, x: Float64Array, n: number, out: Float64Array): void {
    const d = this.dim;
    const K = this.components;
    const dp = d + (d & 1);
    const rp = K * dp;
    const nPad = (n + 3) & ~3;
    const mOff = 0;
    const cOff = rp * dp;
    const meanOff = cOff + rp;
    const lnOff = meanOff + rp;
    const wOff = lnOff + K + (K & 1);
    const uOff = wOff + K + (K & 1);
    const xOff = uOff + SIMD_CHUNK * rp;
    const outOff = xOff + nPad * dp;
    kernel.reserve(outOff + nPad * dp);
    const H = kernel.heap;
    const P = this.factor;
    const c = this.shift;
    const mean = this.mean;
    if (dp !== d) H.fill(0, mOff, lnOff);
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < d; i++) {
        const src = (k * d + i) * d;
        const dst = mOff + (k * dp + i) * dp;
        for (let j = 0; j < d; j++) H[dst + j] = P[src + j]!;
        H[cOff + k * dp + i] = c[k * d + i]!;
        H[meanOff + k * dp + i] = mean[k * d + i]!;
      }
      H[lnOff + k] = this.logNorm[k]!;
    }
    if (dp === d) {
      H.set(x.subarray(0, n * d), xOff);
    } else {
      H.fill(0, xOff, xOff + n * dp);
      for (let p = 0; p < n; p++) {
        const src = p * d;
        const dst = xOff + p * dp;
        for (let j = 0; j < d; j++) H[dst + j] = x[src + j]!;
      }
    }
    if (nPad !== n) H.fill(0, xOff + n * dp, xOff + nPad * dp);
    for (let p = 0; p < n; p += SIMD_CHUNK) {
      const m = Math.min(SIMD_CHUNK, n - p);
      const xp = xOff + p * dp;
      kernel.run(mOff, cOff, xp, uOff, rp, dp, (m + 3) & ~3);
      kernel.combine(meanOff, lnOff, wOff, xp, uOff, outOff + p * dp, K, dp, m);
    }
    if (dp === d) {
      out.set(H.subarray(outOff, outOff + n * d));
    } else {
      for (let p = 0; p < n; p++) {
        const src = outOff + p * dp;
        const dst = p * d;
        for (let j = 0; j < d; j++) out[dst + j] = H[src + j]!;
      }
    }
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

// ---------------------------------------------------------------- sampling

/**
 * n draws of a·x0 + s·z (x0 from the mixture, z standard normal), row-major
 * [n, d]: a component by its weight, then a μ_k + L z with L the Cholesky
 * factor of a²Σ_k + s²I (for a = 1, s = 0: plain draws from the mixture).
 */
export function samplePerturbed(mix: AnyGaussianMixture, a: number, s: number, n: number, rng: RandomGenerator): Float64Array {
  const K = mix.weights.length;
  const d = mixtureDim(mix);
  const diag = asDiagonalMixture(mix);
  const normal = new NormalSampler(rng);
  const cumulative = new Float64Array(K);
  let acc = 0;
  for (let k = 0; k < K; k++) cumulative[k] = acc += mix.weights[k] ?? 0;
  // Per-component square roots of a²Σ_k + s²I: elementwise for the diagonal form, Cholesky otherwise.
  const roots = new Float64Array(diag !== undefined ? K * d : K * d * d);
  const dense = new Float64Array(d * d);
  for (let k = 0; k < K; k++) {
    if (diag !== undefined) {
      for (let i = 0; i < d; i++) roots[k * d + i] = Math.sqrt(a * a * (diag.variances[k]?.[i] ?? 0) + s * s);
    } else {
      const cov = (mix as GaussianMixture).covariances[k] ?? [];
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) dense[i * d + j] = a * a * (cov[i]?.[j] ?? 0) + (i === j ? s * s : 0);
      const bad = choleskyInto(dense, d, roots, 0, k * d * d);
      if (bad >= 0) throw new RangeError(`samplePerturbed: a²Σ_${k} + s²I is not positive definite (row ${bad})`);
    }
  }
  const out = new Float64Array(n * d);
  const z = new Float64Array(d);
  for (let p = 0; p < n; p++) {
    const u = uniform01(rng) * acc;
    let k = 0;
    while (k < K - 1 && u > (cumulative[k] ?? 0)) k++;
    normal.fill(z);
    if (diag !== undefined) {
      for (let i = 0; i < d; i++) out[p * d + i] = (roots[k * d + i] ?? 0) * (z[i] ?? 0);
    } else {
      lowerTimesInto(roots, d, z, out, k * d * d, 0, p * d);
    }
    const mu = mix.means[k] ?? [];
    for (let i = 0; i < d; i++) out[p * d + i] = (out[p * d + i] ?? 0) + a * (mu[i] ?? 0);
  }
  return out;
}

/** n draws from the mixture, row-major [n, d]. */
export function sampleMixture(mix: AnyGaussianMixture, n: number, rng: RandomGenerator): Float64Array {
  return samplePerturbed(mix, 1, 0, n, rng);
}
