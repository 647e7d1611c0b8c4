/**
 * The mixture score in WebAssembly SIMD: two kernels, assembled here from
 * their instruction list, for the batched score of a Gaussian mixture
 * (PerturbedMixture.scoreInto, mixtures/). Per point x and component k:
 *
 *   u_k = c_k − P_k x                               (run: the stacked mat-vec)
 *   ℓ_k = logNorm_k − ½ (mean_k − x)·u_k,  w_k = softmax_k(ℓ_k),
 *   score(x) = Σ_k w_k u_k                           (combine)
 *
 * A topic of its own beside linalg.ts (which re-exports it for older
 * imports): a small WebAssembly assembler, not dense linear algebra.
 */

/**
 * Two kernels for the mixture score, in one module:
 *
 * `run` — U = c − M·X for a stack of row-major matrices M (`rows`×`dp`, row
 * stride dp, dp even) against a batch of points X (`n`×`dp`, row-major, n a
 * multiple of 4, rows even), written as U[p·rows + r]: the stacked mat-vec,
 * where M stacks the K precision matrices and every row of U is one u_k
 * coordinate. It works on two rows × four points at a time with f64x2 lanes
 * over the coordinates (8 vector accumulators, one load of each matrix entry
 * per four points), then sums the two lanes.
 *
 * `combine` — everything after it for m points, with U laid out as K blocks
 * of dp entries per point (rows = K·dp): the log terms
 * ℓ_k = logNorm_k − ½ (mean_k − x)·u_k, their softmax w_k (max-shifted, the
 * exponentials through Math.exp imported into the module) and the weighted
 * sum Σ_k w_k u_k, written to OUT (m×dp, row-major). The log-sum-exp total
 * is not returned (the score does not need it).
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
  /**
   * OUT_q = Σ_k softmax_k(logNorm_k − ½ (mean_k − x_q)·u_qk) u_qk for q < m: mean at `meanOff` (K rows of dp),
   * logNorm at `lnOff` (K), scratch `wOff` (K), points at `xOff` (stride dp), U at `uOff` (stride K·dp), OUT at `outOff` (stride dp).
   */
  combine(meanOff: number, lnOff: number, wOff: number, xOff: number, uOff: number, outOff: number, K: number, dp: number, m: number): void;
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

const get = (i: number) => [0x20, ...leb(i, false)];
const set = (i: number) => [0x21, ...leb(i, false)];
const i32 = (v: number) => [0x41, ...leb(v, true)];
const f64c = (v: number) => [0x44, ...new Uint8Array(new Float64Array([v]).buffer)];
const add = [0x6a], mul = [0x6c], shl = [0x74], geU = [0x4f];
const simd = (op: number) => [0xfd, ...leb(op, false)];
const v128load = [...simd(0), 4, 0];
const v128store = [...simd(11), 4, 0];
const load64splat = [...simd(10), 3, 0];
const f64x2add = simd(240), f64x2sub = simd(241), f64x2mul = simd(242);
const lane = (l: number) => [...simd(33), l];
const zero = [...simd(12), ...new Array<number>(16).fill(0)];
const f64load = (off: number) => [0x2b, 3, ...leb(off, false)];
const f64store = (off: number) => [0x39, 3, ...leb(off, false)];
const f64sub = [0xa1], f64add = [0xa0], f64mul = [0xa2], f64div = [0xa3], f64gt = [0x64], select = [0x1b];
// A counted loop: block { loop { if (i ≥ limit) break; body; i += step; continue } }.
const loop = (i: number, limit: number, step: number, body: number[]) => [
  0x02, 0x40, 0x03, 0x40, ...get(i), ...get(limit), ...geU, 0x0d, 1,
  ...body, ...get(i), ...i32(step), ...add, ...set(i), 0x0c, 0, 0x0b, 0x0b,
];
/** local i += local j */
const bump = (i: number, j: number) => [...get(i), ...get(j), ...add, ...set(i)];

function mvBody(): number[] {
  // Locals: params 0..6 (mOff, cOff, xOff, uOff, rows, dp, n; byte offsets), then i32 7..18, v128 19..32.
  const [M, C, X, U, ROWS, DP, N] = [0, 1, 2, 3, 4, 5, 6];
  const [P, R, JO, XB, PA, PB, DP8, UB, ROWS8] = [7, 8, 9, 10, 11, 12, 13, 14, 15];
  const XQ = [XB, 16, 17, 18]; // the four points' rows: xb + q·dp8
  const ACC = 19; // 19..26
  const [M0, M1, X0] = [27, 28, 29]; // X0..X3 = 29..32
  const inner: number[] = [
    ...get(PA), ...get(JO), ...add, ...v128load, ...set(M0),
    ...get(PB), ...get(JO), ...add, ...v128load, ...set(M1),
  ];
  for (let q = 0; q < 4; q++) {
    inner.push(...get(XQ[q]!), ...get(JO), ...add, ...v128load, ...set(X0 + q));
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
    ...get(XB), ...get(DP8), ...add, ...set(XQ[1]!),
    ...get(XQ[1]!), ...get(DP8), ...add, ...set(XQ[2]!),
    ...get(XQ[2]!), ...get(DP8), ...add, ...set(XQ[3]!),
    ...i32(0), ...set(R), ...loop(R, ROWS, 2, rowBody),
  ];
  const code: number[] = [
    ...get(DP), ...i32(3), ...shl, ...set(DP8),
    ...get(ROWS), ...i32(3), ...shl, ...set(ROWS8),
    ...i32(0), ...set(P), ...loop(P, N, 4, pointBody),
    0x0b,
  ];
  return [2, 12, 0x7f, 14, 0x7b, ...code];
}

function combineBody(expIndex: number): number[] {
  // Params 0..8: meanOff, lnOff, wOff, xOff, uOff, outOff (bytes), K, dp, m.
  const [MEAN, LN, W, X, U, OUT, K, DP, M] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  // i32 locals 9..18.
  const [Q, XB, UB, KI, MB, KB, JO, DP8, OB, KOFF] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
  // f64 locals 19..22, v128 23.
  const [MAX, V, TOTAL, INV] = [19, 20, 21, 22];
  const ACC = 23;
  const K8 = KOFF; // k·8, for the K-long arrays
  // ℓ_k for one component: acc = Σ_j (mean_kj − x_j)·u_kj over f64x2 lanes.
  const quadInner = [
    ...get(ACC),
    ...get(MB), ...get(JO), ...add, ...v128load,
    ...get(XB), ...get(JO), ...add, ...v128load, ...f64x2sub,
    ...get(KB), ...get(JO), ...add, ...v128load, ...f64x2mul, ...f64x2add, ...set(ACC),
  ];
  const quadBody = [
    ...zero, ...set(ACC),
    ...i32(0), ...set(JO), ...loop(JO, DP8, 16, quadInner),
    // v = ln[k] − 0.5·(lane0 + lane1)
    ...get(LN), ...get(K8), ...add, ...f64load(0),
    ...f64c(0.5), ...get(ACC), ...lane(0), ...get(ACC), ...lane(1), ...f64add, ...f64mul, ...f64sub, 0x22, ...leb(V, false),
    // w[k] = v
    ...get(W), ...get(K8), ...add, ...get(V), ...f64store(0),
    // max = v > max ? v : max
    ...get(V), ...get(MAX), ...get(V), ...get(MAX), ...f64gt, ...select, ...set(MAX),
    ...bump(MB, DP8), ...bump(KB, DP8), ...get(K8), ...i32(8), ...add, ...set(K8),
  ];
  const expBody = [
    // e = exp(w[k] − max); w[k] = e; total += e
    ...get(W), ...get(K8), ...add,
    ...get(W), ...get(K8), ...add, ...f64load(0), ...get(MAX), ...f64sub, 0x10, ...leb(expIndex, false), 0x22, ...leb(V, false),
    ...f64store(0),
    ...get(TOTAL), ...get(V), ...f64add, ...set(TOTAL),
    ...get(K8), ...i32(8), ...add, ...set(K8),
  ];
  const scaleBody = [
    ...get(W), ...get(K8), ...add,
    ...get(W), ...get(K8), ...add, ...f64load(0), ...get(INV), ...f64mul, ...f64store(0),
    ...get(K8), ...i32(8), ...add, ...set(K8),
  ];
  // out[j..j+1] = Σ_k w_k·u_k[j..j+1]
  const sumInner = [
    ...get(ACC),
    ...get(W), ...get(K8), ...add, ...load64splat,
    ...get(KB), ...get(JO), ...add, ...v128load, ...f64x2mul, ...f64x2add, ...set(ACC),
    ...bump(KB, DP8), ...get(K8), ...i32(8), ...add, ...set(K8),
  ];
  const sumBody = [
    ...zero, ...set(ACC), ...get(UB), ...set(KB),
    ...i32(0), ...set(KI), ...i32(0), ...set(K8), ...loop(KI, K, 1, sumInner),
    ...get(OB), ...get(JO), ...add, ...get(ACC), ...v128store,
  ];
  const pointBody = [
    // xb = X + q·dp8, ob = OUT + q·dp8, ub = U + q·K·dp8
    ...get(X), ...get(Q), ...get(DP8), ...mul, ...add, ...set(XB),
    ...get(OUT), ...get(Q), ...get(DP8), ...mul, ...add, ...set(OB),
    ...get(U), ...get(Q), ...get(K), ...mul, ...get(DP8), ...mul, ...add, ...set(UB),
    ...f64c(-Infinity), ...set(MAX),
    ...get(MEAN), ...set(MB), ...get(UB), ...set(KB),
    ...i32(0), ...set(KI), ...i32(0), ...set(K8), ...loop(KI, K, 1, quadBody),
    ...f64c(0), ...set(TOTAL),
    ...i32(0), ...set(KI), ...i32(0), ...set(K8), ...loop(KI, K, 1, expBody),
    ...f64c(1), ...get(TOTAL), ...f64div, ...set(INV),
    ...i32(0), ...set(KI), ...i32(0), ...set(K8), ...loop(KI, K, 1, scaleBody),
    ...i32(0), ...set(JO), ...loop(JO, DP8, 16, sumBody),
  ];
  const code = [
    ...get(DP), ...i32(3), ...shl, ...set(DP8),
    ...i32(0), ...set(Q), ...loop(Q, M, 1, pointBody),
    0x0b,
  ];
  return [3, 10, 0x7f, 4, 0x7c, 1, 0x7b, ...code];
}

function assembleStackedKernel(): Uint8Array {
  const section = (id: number, bytes: number[]) => [id, ...leb(bytes.length, false), ...bytes];
  const name = (s: string) => [s.length, ...Array.from(s, (ch) => ch.charCodeAt(0))];
  const fn = (body: number[]) => [...leb(body.length, false), ...body];
  const I = 0x7f, F = 0x7c;
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    // Types: 0 (f64) → f64 (exp), 1 mv, 2 combine.
    ...section(1, [3,
      0x60, 1, F, 1, F,
      0x60, 7, I, I, I, I, I, I, I, 0,
      0x60, 9, I, I, I, I, I, I, I, I, I, 0]),
    // Imports: env.mem (memory, min 1 page), env.exp (function 0).
    ...section(2, [2, ...name('env'), ...name('mem'), 0x02, 0x00, 1, ...name('env'), ...name('exp'), 0x00, 0]),
    ...section(3, [2, 1, 2]),
    ...section(7, [2, ...name('mv'), 0x00, 1, ...name('combine'), 0x00, 2]),
    ...section(10, [2, ...fn(mvBody()), ...fn(combineBody(0))]),
  ]);
}

let kernelState: StackedKernel | null | undefined;

/** The shared SIMD kernels, instantiated on first use; undefined where WebAssembly SIMD is unavailable. */
export function stackedKernel(): StackedKernel | undefined {
  if (kernelState === undefined) {
    kernelState = null;
    try {
      const memory = new WebAssembly.Memory({ initial: 1 });
      const instance = new WebAssembly.Instance(new WebAssembly.Module(assembleStackedKernel()), { env: { mem: memory, exp: Math.exp } });
      const mv = instance.exports['mv'] as (m: number, c: number, x: number, u: number, rows: number, dp: number, n: number) => void;
      const comb = instance.exports['combine'] as (
        mean: number, ln: number, w: number, x: number, u: number, out: number, K: number, dp: number, m: number,
      ) => void;
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
        combine(meanOff, lnOff, wOff, xOff, uOff, outOff, K, dp, m): void {
          comb(meanOff * 8, lnOff * 8, wOff * 8, xOff * 8, uOff * 8, outOff * 8, K, dp, m);
        },
      };
      kernelState = k;
    } catch {
      kernelState = null;
    }
  }
  return kernelState ?? undefined;
}
