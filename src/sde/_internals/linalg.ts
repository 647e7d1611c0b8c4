/**
 * Small dense linear algebra for the SDE module: symmetric positive definite
 * matrices through their Cholesky factor A = L·Lᵀ (L lower triangular).
 *
 *   forward solve  L y = b      y_i = (b_i − Σ_{j<i} L_ij y_j) / L_ii
 *   back solve     Lᵀ x = y     x_i = (y_i − Σ_{j>i} L_ji x_j) / L_ii
 *   A⁻¹ b = L⁻ᵀ L⁻¹ b,   bᵀ A⁻¹ b = ‖L⁻¹ b‖²,   log det A = 2 Σ_i log L_ii
 *
 * Matrices are row-major Float64Arrays of d·d entries (entry (i, j) at i·d + j),
 * so that a factor can sit inside a larger buffer at an offset and the hot
 * loops of the mixture score touch no nested arrays. Every routine writes into
 * a caller-provided buffer: the score calls them once per particle and
 * component, and must not allocate there.
 */

/** A nested matrix (`number[][]`) as a row-major Float64Array. Throws RangeError if it is not d×d. */
export function toDense(m: readonly (readonly number[])[]): Float64Array {
  const d = m.length;
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    const row = m[i];
    if (row === undefined || row.length !== d) throw new RangeError(`toDense: row ${i} has ${row?.length ?? 0} entries, expected ${d}`);
    for (let j = 0; j < d; j++) out[i * d + j] = row[j] ?? 0;
  }
  return out;
}

/**
 * Cholesky factorisation A = L·Lᵀ of the d×d symmetric matrix `a` (read at
 * `aOff`; only its lower triangle is used), written to `l` at `lOff` with the
 * strict upper triangle zeroed. Returns −1 on success, or the index of the
 * first pivot that is not positive (A is not positive definite) — a number
 * rather than an exception, so that callers can name the failing row in their
 * own error messages.
 */
export function choleskyInto(a: Float64Array, d: number, l: Float64Array, aOff = 0, lOff = 0): number {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[aOff + i * d + j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (l[lOff + i * d + k] ?? 0) * (l[lOff + j * d + k] ?? 0);
      if (i === j) {
        // `!(sum > 0)` also catches NaN from non-finite input.
        if (!(sum > 0)) return i;
        l[lOff + i * d + i] = Math.sqrt(sum);
      } else {
        l[lOff + i * d + j] = sum / (l[lOff + j * d + j] ?? 1);
      }
    }
    for (let j = i + 1; j < d; j++) l[lOff + i * d + j] = 0;
  }
  return -1;
}

/** The Cholesky factor of a nested d×d matrix; throws RangeError naming the pivot when it is not positive definite. */
export function cholesky(m: readonly (readonly number[])[]): Float64Array {
  const d = m.length;
  const l = new Float64Array(d * d);
  const bad = choleskyInto(toDense(m), d, l);
  if (bad >= 0) throw new RangeError(`cholesky: the matrix is not positive definite (pivot ${bad} is not positive)`);
  return l;
}

/** Solves L y = b (forward substitution); `y` may be the same array as `b` when the offsets agree. */
export function solveLowerInto(
  l: Float64Array, d: number, b: ArrayLike<number>, y: Float64Array, lOff = 0, bOff = 0, yOff = 0,
): void {
  for (let i = 0; i < d; i++) {
    let sum = b[bOff + i] ?? 0;
    const row = lOff + i * d;
    for (let j = 0; j < i; j++) sum -= (l[row + j] ?? 0) * (y[yOff + j] ?? 0);
    y[yOff + i] = sum / (l[row + i] ?? 1);
  }
}

/** Solves Lᵀ x = y (back substitution with the transpose of the lower factor); `x` may alias `y`. */
export function solveUpperTransposedInto(
  l: Float64Array, d: number, y: ArrayLike<number>, x: Float64Array, lOff = 0, yOff = 0, xOff = 0,
): void {
  for (let i = d - 1; i >= 0; i--) {
    let sum = y[yOff + i] ?? 0;
    for (let j = i + 1; j < d; j++) sum -= (l[lOff + j * d + i] ?? 0) * (x[xOff + j] ?? 0);
    x[xOff + i] = sum / (l[lOff + i * d + i] ?? 1);
  }
}

/** x = A⁻¹ b for A = L·Lᵀ, through one forward and one back solve. */
export function choleskySolveInto(
  l: Float64Array, d: number, b: ArrayLike<number>, x: Float64Array, lOff = 0, bOff = 0, xOff = 0,
): void {
  solveLowerInto(l, d, b, x, lOff, bOff, xOff);
  solveUpperTransposedInto(l, d, x, x, lOff, xOff, xOff);
}

/**
 * A⁻¹ = L⁻ᵀ L⁻¹ for A = L·Lᵀ, written to `out` at `outOff` (d·d entries, row-major,
 * exactly symmetric: the upper triangle is copied from the lower). `col` is a
 * scratch buffer of at least d entries. O(d³); meant for per-t precomputation,
 * after which a solve becomes one mat-vec.
 */
export function inverseFromCholeskyInto(
  l: Float64Array, d: number, out: Float64Array, col: Float64Array, lOff = 0, outOff = 0,
): void {
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < d; i++) col[i] = i === j ? 1 : 0;
    choleskySolveInto(l, d, col, col, lOff, 0, 0);
    // Column j of A⁻¹; keep its lower part (i ≥ j), mirror it afterwards.
    for (let i = j; i < d; i++) out[outOff + i * d + j] = col[i]!;
  }
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) out[outOff + i * d + j] = out[outOff + j * d + i]!;
}

/** log det A = 2 Σ log L_ii for A = L·Lᵀ (never forms det A, which under- or overflows in high dimension). */
export function logDetFromCholesky(l: Float64Array, d: number, lOff = 0): number {
  let sum = 0;
  for (let i = 0; i < d; i++) sum += Math.log(l[lOff + i * d + i] ?? 1);
  return 2 * sum;
}

/** y = L z for a lower-triangular L (how correlated Gaussian draws are made from standard ones). */
export function lowerTimesInto(
  l: Float64Array, d: number, z: ArrayLike<number>, y: Float64Array, lOff = 0, zOff = 0, yOff = 0,
): void {
  // Bottom row first, so that `y` may alias `z`: row i reads only z_0..z_i.
  for (let i = d - 1; i >= 0; i--) {
    let sum = 0;
    const row = lOff + i * d;
    for (let j = 0; j <= i; j++) sum += (l[row + j] ?? 0) * (z[zOff + j] ?? 0);
    y[yOff + i] = sum;
  }
}

/** log Σ_k exp(v_k) for the first n entries, shifted by the maximum so that no term overflows or all underflow. */
export function logSumExp(v: ArrayLike<number>, n = v.length): number {
  let max = -Infinity;
  for (let k = 0; k < n; k++) max = Math.max(max, v[k] ?? -Infinity);
  if (max === -Infinity || !Number.isFinite(max)) return max;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += Math.exp((v[k] ?? -Infinity) - max);
  return max + Math.log(sum);
}

// The WebAssembly SIMD kernels of the mixture score live in stackedKernel.ts;
// re-exported here for code that imported them from this file.
export { stackedKernel, type StackedKernel } from './stackedKernel.js';
