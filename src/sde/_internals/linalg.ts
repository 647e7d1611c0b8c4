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

// ---------------------------------------------------------------- stacked mat-vecs in WebAssembly SIMD

/**
 * U = c − M·X for a stack of row-major matrices M (`rows`×`dp`, row stride dp,
 * dp even) against a batch of points X (`n`×`dp`, row-major, n a multiple of
 * 4, rows even), written as U[p·rows + r]: the hot loop of the mixture score,
 * where M stacks the K precision matrices and every row of U is one u_k
 * coordinate. The kernel works on two rows × four points at a time with f64x2
 * lanes over the coordinates (8 vector accumulators, one load of each matrix
 * entry per four points), then sums the two lanes.
 *
 * The module is assembled below from its instruction list (a few dozen
 * opcodes, no toolchain). Where WebAssembly SIMD is missing, `stackedKernel()`
 * returns undefined and callers keep their plain-JS loop.
 */
export interface StackedKernel {
  /** Float64 view of the kernel's memory; re-read it after `reserve`, which may replace the buffer. */
  heap: Float64Array;
  /** Makes the memory at least `doubles` Float64 entries long. */
  reserve(doubles: number): void;
  /** U = c − M·X with all offsets in Float64 entries of `heap` (see above for the shape rules). */
  run(mOff: number, cOff: number, xOff: number, uOff: number, rows: number, dp: number, n: number): void;
}

function leb(v: number, signed: boolean): number[] {
  const out: number[] = [];
  for (;;) {
    const b = v & 0x7f;
    v = signed ? v >> 7 : v >>> 7;
    const done = signed ? (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0) : v === 0;
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

function assembleStackedKernel(): Uint8Array {
  // Locals: params 0..6 (mOff, cOff, xOff, uOff, rows, dp, n; byte offsets), then i32 7..15, v128 16..29.
  const [M, C, X, U, ROWS, DP, N] = [0, 1, 2, 3, 4, 5, 6];
  const [P, R, JO, XB, PA, PB, DP8, UB, ROWS8] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  const ACC = 16; // 16..23
  const [M0, M1, X0] = [24, 25, 26]; // X0..X3 = 26..29
  const get = (i: number) => [0x20, ...leb(i, false)];
  const set = (i: number) => [0x21, ...leb(i, false)];
  const i32 = (v: number) => [0x41, ...leb(v, true)];
  const add = [0x6a], mul = [0x6c], shl = [0x74], geU = [0x4f];
  const simd = (op: number) => [0xfd, ...leb(op, false)];
  const v128load = [...simd(0), 4, 0];
  const f64x2add = simd(240), f64x2mul = simd(242);
  const lane = (l: number) => [...simd(33), l];
  const zero = [...simd(12), ...new Array<number>(16).fill(0)];
  const f64load = (off: number) => [0x2b, 3, ...leb(off, false)];
  const f64store = (off: number) => [0x39, 3, ...leb(off, false)];
  const f64sub = [0xa1], f64add = [0xa0];
  // A counted loop: block { loop { if (i ≥ limit) break; body; i += step; continue } }.
  const loop = (i: number, limit: number, step: number, body: number[]) => [
    0x02, 0x40, 0x03, 0x40, ...get(i), ...get(limit), ...geU, 0x0d, 1,
    ...body, ...get(i), ...i32(step), ...add, ...set(i), 0x0c, 0, 0x0b, 0x0b,
  ];
  const inner: number[] = [
    ...get(PA), ...get(JO), ...add, ...v128load, ...set(M0),
    ...get(PB), ...get(JO), ...add, ...v128load, ...set(M1),
  ];
  for (let q = 0; q < 4; q++) {
    inner.push(...get(XB), ...get(JO), ...add);
    if (q > 0) inner.push(...get(DP8), ...i32(q), ...mul, ...add);
    inner.push(...v128load, ...set(X0 + q));
  }
  for (let q = 0; q < 4; q++) {
    inner.push(...get(ACC + q), ...get(M0), ...get(X0 + q), ...f64x2mul, ...f64x2add, ...set(ACC + q));
    inner.push(...get(ACC + 4 + q), ...get(M1), ...get(X0 + q), ...f64x2mul, ...f64x2add, ...set(ACC + 4 + q));
  }
  const rowBody: number[] = [
    // pa = M + r·dp8, pb = pa + dp8
    ...get(M), ...get(R), ...get(DP8), ...mul, ...add, ...set(PA),
    ...get(PA), ...get(DP8), ...add, ...set(PB),
  ];
  for (let a = 0; a < 8; a++) rowBody.push(...zero, ...set(ACC + a));
  rowBody.push(...i32(0), ...set(JO), ...loop(JO, DP8, 16, inner));
  // ub = U + (p·rows + r)·8
  rowBody.push(...get(U), ...get(P), ...get(ROWS), ...mul, ...get(R), ...add, ...i32(3), ...shl, ...add, ...set(UB));
  for (let q = 0; q < 4; q++) {
    for (let h = 0; h < 2; h++) {
      const acc = ACC + 4 * h + q;
      // store at ub + q·rows8 (+8 for the second row): c[r + h] − (lane 0 + lane 1)
      rowBody.push(...get(UB), ...get(ROWS8), ...i32(q), ...mul, ...add);
      rowBody.push(...get(C), ...get(R), ...i32(3), ...shl, ...add, ...f64load(8 * h));
      rowBody.push(...get(acc), ...lane(0), ...get(acc), ...lane(1), ...f64add, ...f64sub, ...f64store(8 * h));
    }
  }
  const pointBody: number[] = [
    ...get(X), ...get(P), ...get(DP8), ...mul, ...add, ...set(XB),
    ...i32(0), ...set(R), ...loop(R, ROWS, 2, rowBody),
  ];
  const code: number[] = [
    ...get(DP), ...i32(3), ...shl, ...set(DP8),
    ...get(ROWS), ...i32(3), ...shl, ...set(ROWS8),
    ...i32(0), ...set(P), ...loop(P, N, 4, pointBody),
    0x0b,
  ];
  const locals = [2, 9, 0x7f, 14, 0x7b];
  const body = [...locals, ...code];
  const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length, false), ...bytes];
  const name = (s: string) => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 7, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0]),
    ...section(2, [1, ...name('env'), ...name('mem'), 0x02, 0x00, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('mv'), 0x00, 0]),
    ...section(10, [1, ...leb(body.length, false), ...body]),
  ]);
}

let kernelState: StackedKernel | null | undefined;

/** The shared SIMD kernel, instantiated on first use; undefined where WebAssembly SIMD is unavailable. */
export function stackedKernel(): StackedKernel | undefined {
  if (kernelState === undefined) {
    kernelState = null;
    try {
      const memory = new WebAssembly.Memory({ initial: 1 });
      const instance = new WebAssembly.Instance(new WebAssembly.Module(assembleStackedKernel()), { env: { mem: memory } });
      const mv = instance.exports['mv'] as (m: number, c: number, x: number, u: number, rows: number, dp: number, n: number) => void;
      const k: StackedKernel = {
        heap: new Float64Array(memory.buffer),
        reserve(doubles: number): void {
          const need = doubles * 8 - memory.buffer.byteLength;
          if (need > 0) {
            (memory as unknown as { grow(pages: number): number }).grow(Math.ceil(need / 65536));
            k.heap = new Float64Array(memory.buffer);
          }
        },
        run(mOff, cOff, xOff, uOff, rows, dp, n): void {
          mv(mOff * 8, cOff * 8, xOff * 8, uOff * 8, rows, dp, n);
        },
      };
      kernelState = k;
    } catch {
      kernelState = null;
    }
  }
  return kernelState ?? undefined;
}
