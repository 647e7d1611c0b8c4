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
  logDetFromCholesky,
  lowerTimesInto,
  solveLowerInto,
  solveUpperTransposedInto,
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

/**
 * Σ_k π_k N(a μ_k, S_k) with S_k = a² Σ_k + s² I, factored once: shifted means
 * a μ_k, per-component log normalisers log π_k − ½ log det S_k − (d/2) log 2π,
 * and either Cholesky factors of S_k (full) or 1/diag(S_k) (diagonal).
 * Scratch buffers live here, so evaluating a point allocates nothing.
 */
export class PerturbedMixture {
  readonly dim: number;
  readonly components: number;
  readonly diagonal: boolean;
  /** a·μ_k, row k at k·d. */
  private readonly mean: Float64Array;
  private readonly logNorm: Float64Array;
  /** Full: L_k at k·d². Diagonal: 1/(a²σ²_ki + s²) at k·d + i. */
  private readonly factor: Float64Array;
  private readonly logw: Float64Array;
  /** S_k⁻¹(a μ_k − x) per component, row k at k·d. */
  private readonly dirs: Float64Array;
  private readonly tmp: Float64Array;

  constructor(mix: AnyGaussianMixture, readonly a: number, readonly s: number) {
    const K = mix.weights.length;
    const d = mixtureDim(mix);
    this.dim = d;
    this.components = K;
    const diag = asDiagonalMixture(mix);
    this.diagonal = diag !== undefined;
    this.mean = new Float64Array(K * d);
    this.logNorm = new Float64Array(K);
    this.logw = new Float64Array(K);
    this.dirs = new Float64Array(K * d);
    this.tmp = new Float64Array(d);
    const half = 0.5 * d * Math.log(2 * Math.PI);
    const s2 = s * s;
    const a2 = a * a;
    for (let k = 0; k < K; k++) {
      const mu = mix.means[k] ?? [];
      for (let i = 0; i < d; i++) this.mean[k * d + i] = a * (mu[i] ?? 0);
    }
    if (diag !== undefined) {
      this.factor = new Float64Array(K * d);
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
      const dense = new Float64Array(d * d);
      for (let k = 0; k < K; k++) {
        const cov = full.covariances[k] ?? [];
        for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) dense[i * d + j] = a2 * (cov[i]?.[j] ?? 0) + (i === j ? s2 : 0);
        const bad = choleskyInto(dense, d, this.factor, 0, k * d * d);
        if (bad >= 0) throw new RangeError(`perturbMixture: a²Σ_${k} + s²I is not positive definite at a = ${a}, s = ${s} (row ${bad})`);
        this.logNorm[k] = Math.log(full.weights[k] ?? 0) - 0.5 * logDetFromCholesky(this.factor, d, k * d * d) - half;
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
    const { mean, factor, logw, dirs, tmp } = this;
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      let quad = 0;
      if (this.diagonal) {
        for (let i = 0; i < d; i++) {
          const r = (mean[k * d + i] ?? 0) - (x[off + i] ?? 0);
          const inv = factor[k * d + i] ?? 0;
          quad += r * r * inv;
          dirs[k * d + i] = r * inv;
        }
      } else {
        for (let i = 0; i < d; i++) tmp[i] = (mean[k * d + i] ?? 0) - (x[off + i] ?? 0);
        // y = L⁻¹ r gives the quadratic form ‖y‖², and L⁻ᵀ y = S⁻¹ r the direction.
        solveLowerInto(factor, d, tmp, tmp, k * d * d);
        for (let i = 0; i < d; i++) quad += (tmp[i] ?? 0) ** 2;
        if (out !== undefined) solveUpperTransposedInto(factor, d, tmp, dirs, k * d * d, 0, k * d);
      }
      const lw = (this.logNorm[k] ?? 0) - 0.5 * quad;
      logw[k] = lw;
      if (lw > max) max = lw;
    }
    let total = 0;
    for (let k = 0; k < K; k++) total += Math.exp((logw[k] ?? 0) - max);
    const logP = max + Math.log(total);
    if (out !== undefined) {
      for (let i = 0; i < d; i++) out[outOff + i] = 0;
      for (let k = 0; k < K; k++) {
        const w = Math.exp((logw[k] ?? 0) - max) / total;
        if (w === 0) continue;
        for (let i = 0; i < d; i++) out[outOff + i] = (out[outOff + i] ?? 0) + w * (dirs[k * d + i] ?? 0);
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
