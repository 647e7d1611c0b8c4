/**
 * WebAssembly SIMD kernels that run on tfjs-backend-wasm's own heap (issue 5,
 * "Benchmark": faster wasm training). The module is assembled here
 * (wasmAssembler.ts) and instantiated with the backend's WebAssembly.Memory
 * as its memory, so a kernel reads and writes tensors in place, by their heap
 * offsets: no copy in or out, one call per op instead of a chain of tfjs ops.
 *
 * All arrays are row-major float32; pointers are byte offsets into the heap;
 * sizes are element counts. With a row stride `rs` in bytes where rows of a
 * tensor are read as part of a wider one (q, k, v as column blocks of [B, t, 3d]).
 *
 *   transpose(src, dst, R, C)          dst[c, r] = src[r, c]                         R, C ≡ 0 (mod 4)
 *   colSum(src, dst, R, C)             dst[c] = Σ_r src[r, c]                        C ≡ 0 (mod 4)
 *   lnForward(x, γ, β, y, μ, ρ, R, d, ε)
 *       μ_r = mean_c x[r, c],  ρ_r = 1/√(mean_c (x[r, c] − μ_r)² + ε),
 *       y[r, c] = (x[r, c] − μ_r)·ρ_r·γ_c + β_c                                       d ≡ 0 (mod 4)
 *   lnBackward(dy, x, γ, μ, ρ, dx, dγ, dβ, R, d)
 *       x̂ = (x − μ)ρ,  g = dy·γ,  dx = ρ·(g − mean_c g − x̂·mean_c(g x̂)),
 *       dγ = Σ_r dy·x̂,  dβ = Σ_r dy
 *   gelu(x, y, s, n)                   s = σ(z),  y = x·s,  z = c(x + 0.044715x³),  c = 2√(2/π)   n ≡ 0 (mod 4)
 *   geluGrad(x, s, dy, dx, n)          dx = dy·(s + x·s(1 − s)·c(1 + 3·0.044715x²))
 *   gatherRows(T, ids, out, n, d)      out[i, :] = T[ids[i], :]  (ids int32, checked by the caller)  d ≡ 0 (mod 4)
 *   attnForward, attnBackward          softmax attention per (batch, head), below.
 *
 * exp is computed in SIMD: exp(x) = 2ⁿ·p(r), n = round(x·log₂e), r = x − n·ln 2
 * (ln 2 split in two), p the degree-7 polynomial of Cephes' expf (relative
 * error ≈ 1e-7); inputs below −87.3 give exactly 0 (so a masked score −1e9
 * contributes exactly nothing, as with tf.exp), inputs are clamped at 88.3.
 *
 * Attention. For a batch b and head h (head size e = d/H), Q, K, V are the
 * [t, e] blocks q[b, :, he:(h+1)e] (and k, v alike), M the additive mask:
 *
 *   forward:   S = s·QKᵀ + M,  P = softmax_rows(S),  O = P·V  (written to out[b, :, he:(h+1)e])
 *   backward:  dP = dO·Vᵀ,  dS = P ⊙ (dP − rowsum(P ⊙ dP)),
 *              dQ = s·dS·K,  dK = s·dSᵀ·Q,  dV = Pᵀ·dO
 *
 * with s the scale (1/√e). Rows of P are padded to tp (a multiple of 16)
 * columns; the padding holds −1e30 in the padded mask, so exactly 0 in P.
 * P is saved [B, H, t, tp] for the backward pass. Products over j skip the
 * tail of each row where P is exactly 0 (keys a causal mask hides), which is
 * exact. Kᵀ and Vᵀ of one (b, h) are copied to a scratch [e, tp] so that
 * the products QKᵀ and dO·Vᵀ run along contiguous rows of 16 columns.
 */
import {
  F32, Func, I32, V128, add, and, assembleModule, cat, eq, f32, f32load, f32store, fadd, fdiv, fFromI32, fmul, forRange, fsqrt,
  get, gtS, hmax, hsum, i32, iadd4, ifThen, inc, ishl4, mul, set, shl, shuffle, splat, sub, truncSat, vadd, vand, vconst, vdiv,
  vge, vload, vloadSplat, vmax, vmin, vmul, vnearest, vstore, vsub, whileLoop, type Code,
} from './wasmAssembler.js';

/** Where a kernel function's exports live once instantiated. */
export interface HeapKernelExports {
  transpose(src: number, dst: number, rows: number, cols: number): void;
  colSum(src: number, dst: number, rows: number, cols: number): void;
  lnForward(x: number, g: number, b: number, y: number, mean: number, rstd: number, rows: number, d: number, eps: number): void;
  lnBackward(dy: number, x: number, g: number, mean: number, rstd: number, dx: number, dg: number, db: number, rows: number, d: number): void;
  gelu(x: number, y: number, sigma: number, n: number): void;
  geluGrad(x: number, sigma: number, dy: number, dx: number, n: number): void;
  gatherRows(table: number, ids: number, out: number, n: number, d: number): void;
  /** U = 4 (e ≡ 0 mod 16) and U = 1 (e ≡ 0 mod 4) variants. */
  attnForward4: AttnForward;
  attnForward1: AttnForward;
  attnBackward4: AttnBackward;
  attnBackward1: AttnBackward;
}

export type AttnForward = (
  q: number, k: number, v: number, rs: number, out: number, os: number, probs: number, mask: number, kt: number,
  batch: number, heads: number, t: number, tp: number, e: number, scale: number,
) => void;
export type AttnBackward = (
  q: number, k: number, v: number, rs: number, dout: number, os: number, probs: number, vt: number, ds: number,
  dq: number, dk: number, dv: number, batch: number, heads: number, t: number, tp: number, e: number, scale: number,
) => void;

// ---------------------------------------------------------------- exp in SIMD

/** Code leaving exp(x) on the stack, x an f32x4 in local `x`; uses locals n, r, p (v128). */
function vexp(x: number, n: number, r: number, p: number): Code {
  return cat(
    set(r, vmin(vmax(get(x), vconst(-87.3)), vconst(88.3))),
    set(n, vnearest(vmul(get(r), vconst(Math.LOG2E)))),
    set(r, vsub(vsub(get(r), vmul(get(n), vconst(0.693359375))), vmul(get(n), vconst(-2.12194440e-4)))),
    set(p, vconst(1.9875691500e-4)),
    set(p, vadd(vmul(get(p), get(r)), vconst(1.3981999507e-3))),
    set(p, vadd(vmul(get(p), get(r)), vconst(8.3334519073e-3))),
    set(p, vadd(vmul(get(p), get(r)), vconst(4.1665795894e-2))),
    set(p, vadd(vmul(get(p), get(r)), vconst(1.6666665459e-1))),
    set(p, vadd(vmul(get(p), get(r)), vconst(5.0000001201e-1))),
    // p·r² + r + 1
    set(p, vadd(vadd(vmul(get(p), vmul(get(r), get(r))), get(r)), vconst(1))),
    // 2ⁿ from the exponent bits; exactly 0 below −87.3
    vand(vmul(get(p), ishl4(iadd4(truncSat(get(n)), i32x4(127)), i32(23))), vge(get(x), vconst(-87.3))),
  );
}

/** v128.const of four equal i32. */
function i32x4(v: number): Code {
  const b = Array.from(new Uint8Array(new Int32Array([v, v, v, v]).buffer));
  return [0xfd, 0x0c, ...b];
}

// ---------------------------------------------------------------- elementwise and row kernels

function transposeKernel(): { func: Func; code: Code } {
  const f = new Func('transpose', [I32, I32, I32, I32]);
  const [SRC, DST, R, C] = [0, 1, 2, 3];
  const [r, c, p, q, rb, cb, r0, rend, strip] = f.localsOf(I32, 9) as number[] as [
    number, number, number, number, number, number, number, number, number,
  ];
  const [a0, a1, a2, a3, t0, t1, t2, t3] = f.localsOf(V128, 8) as number[] as [number, number, number, number, number, number, number, number];
  const inner = cat(
    set(p, add(add(get(SRC), mul(get(r), get(rb))), shl(get(c), i32(2)))),
    set(a0, vload(get(p))),
    set(a1, vload(add(get(p), get(rb)))),
    set(a2, vload(add(get(p), shl(get(rb), i32(1))))),
    set(a3, vload(add(add(get(p), shl(get(rb), i32(1))), get(rb)))),
    set(t0, shuffle(get(a0), get(a1), [0, 4, 1, 5])),
    set(t1, shuffle(get(a0), get(a1), [2, 6, 3, 7])),
    set(t2, shuffle(get(a2), get(a3), [0, 4, 1, 5])),
    set(t3, shuffle(get(a2), get(a3), [2, 6, 3, 7])),
    set(q, add(add(get(DST), mul(get(c), get(cb))), shl(get(r), i32(2)))),
    vstore(get(q), shuffle(get(t0), get(t2), [0, 1, 4, 5])),
    vstore(add(get(q), get(cb)), shuffle(get(t0), get(t2), [2, 3, 6, 7])),
    vstore(add(get(q), shl(get(cb), i32(1))), shuffle(get(t1), get(t3), [0, 1, 4, 5])),
    vstore(add(add(get(q), shl(get(cb), i32(1))), get(cb)), shuffle(get(t1), get(t3), [2, 3, 6, 7])),
  );
  // Strips of `strip` source rows (16 when R allows): for each 4-column block the
  // strip's 4×4 blocks fill whole 64-byte lines of the destination in turn, and
  // the strip's source lines stay in L1 across the sweep over columns.
  const code = cat(
    set(rb, shl(get(C), i32(2))), // bytes per source row
    set(cb, shl(get(R), i32(2))), // bytes per destination row
    set(strip, i32(4)),
    ifThen(eq(and(get(R), i32(15)), i32(0)), set(strip, i32(16))),
    forRange(r0, i32(0), get(R), 0, cat(
      set(rend, add(get(r0), get(strip))),
      forRange(c, i32(0), get(C), 4, forRange(r, get(r0), get(rend), 4, inner)),
      set(r0, get(rend)),
    )),
  );
  return { func: f, code };
}

function colSumKernel(): { func: Func; code: Code } {
  const f = new Func('colSum', [I32, I32, I32, I32]);
  const [SRC, DST, R, C] = [0, 1, 2, 3];
  const [r, c, p, cbytes] = f.localsOf(I32, 4) as [number, number, number, number];
  const code = cat(
    set(cbytes, shl(get(C), i32(2))),
    forRange(c, i32(0), get(cbytes), 16, vstore(add(get(DST), get(c)), vconst(0))),
    set(p, get(SRC)),
    forRange(r, i32(0), get(R), 1, cat(
      forRange(c, i32(0), get(cbytes), 16, vstore(add(get(DST), get(c)), vadd(vload(add(get(DST), get(c))), vload(add(get(p), get(c)))))),
      inc(p, get(cbytes)),
    )),
  );
  return { func: f, code };
}

function lnForwardKernel(): { func: Func; code: Code } {
  const f = new Func('lnForward', [I32, I32, I32, I32, I32, I32, I32, I32, F32]);
  const [X, G, B, Y, MEAN, RSTD, R, D, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [r, c, px, py, dbytes] = f.localsOf(I32, 5) as [number, number, number, number, number];
  const [mu, rs, invd] = f.localsOf(F32, 3) as [number, number, number];
  const [acc, muv, rsv, t] = f.localsOf(V128, 4) as [number, number, number, number];
  const rowBody = cat(
    set(acc, vconst(0)),
    forRange(c, i32(0), get(dbytes), 16, set(acc, vadd(get(acc), vload(add(get(px), get(c)))))),
    set(mu, fmul(hsum(acc), get(invd))),
    set(muv, splat(get(mu))),
    set(acc, vconst(0)),
    forRange(c, i32(0), get(dbytes), 16, cat(
      set(t, vsub(vload(add(get(px), get(c))), get(muv))),
      set(acc, vadd(get(acc), vmul(get(t), get(t)))),
    )),
    set(rs, fdiv(f32(1), fsqrt(fadd(fmul(hsum(acc), get(invd)), get(EPS))))),
    f32store(add(get(MEAN), shl(get(r), i32(2))), get(mu)),
    f32store(add(get(RSTD), shl(get(r), i32(2))), get(rs)),
    set(rsv, splat(get(rs))),
    forRange(c, i32(0), get(dbytes), 16, vstore(add(get(py), get(c)), vadd(
      vmul(vmul(vsub(vload(add(get(px), get(c))), get(muv)), get(rsv)), vload(add(get(G), get(c)))),
      vload(add(get(B), get(c))),
    ))),
    inc(px, get(dbytes)),
    inc(py, get(dbytes)),
  );
  const code = cat(
    set(dbytes, shl(get(D), i32(2))),
    set(invd, fdiv(f32(1), fFromI32(get(D)))),
    set(px, get(X)),
    set(py, get(Y)),
    forRange(r, i32(0), get(R), 1, rowBody),
  );
  return { func: f, code };
}

function lnBackwardKernel(): { func: Func; code: Code } {
  const f = new Func('lnBackward', [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [DY, X, G, MEAN, RSTD, DX, DG, DB, R, D] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [r, c, px, pdy, pdx, dbytes] = f.localsOf(I32, 6) as [number, number, number, number, number, number];
  const [invd] = f.localsOf(F32, 1) as [number];
  const [muv, rsv, s1, s2, xh, dy, g, m1, m2] = f.localsOf(V128, 9) as number[] as [
    number, number, number, number, number, number, number, number, number,
  ];
  const at = (base: number): Code => add(get(base), get(c));
  const rowBody = cat(
    set(muv, vloadSplat(add(get(MEAN), shl(get(r), i32(2))))),
    set(rsv, vloadSplat(add(get(RSTD), shl(get(r), i32(2))))),
    set(s1, vconst(0)),
    set(s2, vconst(0)),
    forRange(c, i32(0), get(dbytes), 16, cat(
      set(xh, vmul(vsub(vload(at(px)), get(muv)), get(rsv))),
      set(dy, vload(at(pdy))),
      set(g, vmul(get(dy), vload(at(G)))),
      set(s1, vadd(get(s1), get(g))),
      set(s2, vadd(get(s2), vmul(get(g), get(xh)))),
      vstore(at(DG), vadd(vload(at(DG)), vmul(get(dy), get(xh)))),
      vstore(at(DB), vadd(vload(at(DB)), get(dy))),
    )),
    set(m1, splat(fmul(hsum(s1), get(invd)))),
    set(m2, splat(fmul(hsum(s2), get(invd)))),
    forRange(c, i32(0), get(dbytes), 16, cat(
      set(xh, vmul(vsub(vload(at(px)), get(muv)), get(rsv))),
      set(g, vmul(vload(at(pdy)), vload(at(G)))),
      vstore(at(pdx), vmul(get(rsv), vsub(vsub(get(g), get(m1)), vmul(get(xh), get(m2))))),
    )),
    inc(px, get(dbytes)),
    inc(pdy, get(dbytes)),
    inc(pdx, get(dbytes)),
  );
  const code = cat(
    set(dbytes, shl(get(D), i32(2))),
    set(invd, fdiv(f32(1), fFromI32(get(D)))),
    forRange(c, i32(0), get(dbytes), 16, cat(vstore(at(DG), vconst(0)), vstore(at(DB), vconst(0)))),
    set(px, get(X)),
    set(pdy, get(DY)),
    set(pdx, get(DX)),
    forRange(r, i32(0), get(R), 1, rowBody),
  );
  return { func: f, code };
}

const GELU_C = 2 * Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

function geluKernel(): { func: Func; code: Code } {
  const f = new Func('gelu', [I32, I32, I32, I32]);
  const [X, Y, SIG, N] = [0, 1, 2, 3];
  const [i, nbytes] = f.localsOf(I32, 2) as [number, number];
  const [x, z, s, n, r, p] = f.localsOf(V128, 6) as [number, number, number, number, number, number];
  const body = cat(
    set(x, vload(add(get(X), get(i)))),
    // z = −c·x·(1 + a·x²); σ(c x (1 + a x²)) = 1/(1 + exp(z))
    set(z, vmul(vmul(get(x), vconst(-GELU_C)), vadd(vconst(1), vmul(vconst(GELU_A), vmul(get(x), get(x)))))),
    set(s, vdiv(vconst(1), vadd(vconst(1), vexp(z, n, r, p)))),
    vstore(add(get(SIG), get(i)), get(s)),
    vstore(add(get(Y), get(i)), vmul(get(x), get(s))),
  );
  return { func: f, code: cat(set(nbytes, shl(get(N), i32(2))), forRange(i, i32(0), get(nbytes), 16, body)) };
}

function geluGradKernel(): { func: Func; code: Code } {
  const f = new Func('geluGrad', [I32, I32, I32, I32, I32]);
  const [X, SIG, DY, DX, N] = [0, 1, 2, 3, 4];
  const [i, nbytes] = f.localsOf(I32, 2) as [number, number];
  const [x, s] = f.localsOf(V128, 2) as [number, number];
  const body = cat(
    set(x, vload(add(get(X), get(i)))),
    set(s, vload(add(get(SIG), get(i)))),
    // s + x·s(1 − s)·c(1 + 3a x²)
    vstore(add(get(DX), get(i)), vmul(vload(add(get(DY), get(i))), vadd(get(s), vmul(
      vmul(get(x), vmul(get(s), vsub(vconst(1), get(s)))),
      vadd(vconst(GELU_C), vmul(vconst(3 * GELU_A * GELU_C), vmul(get(x), get(x)))),
    )))),
  );
  return { func: f, code: cat(set(nbytes, shl(get(N), i32(2))), forRange(i, i32(0), get(nbytes), 16, body)) };
}

function gatherRowsKernel(): { func: Func; code: Code } {
  const f = new Func('gatherRows', [I32, I32, I32, I32, I32]);
  const [TABLE, IDS, OUT, N, D] = [0, 1, 2, 3, 4];
  const [i, c, src, dst, dbytes] = f.localsOf(I32, 5) as [number, number, number, number, number];
  const code = cat(
    set(dbytes, shl(get(D), i32(2))),
    set(dst, get(OUT)),
    forRange(i, i32(0), get(N), 1, cat(
      set(src, add(get(TABLE), mul(cat(add(get(IDS), shl(get(i), i32(2))), [0x28, 2, 0]), get(dbytes)))), // i32.load ids[i]
      forRange(c, i32(0), get(dbytes), 16, vstore(add(get(dst), get(c)), vload(add(get(src), get(c))))),
      inc(dst, get(dbytes)),
    )),
  );
  return { func: f, code };
}

// ---------------------------------------------------------------- attention

/**
 * Copies the [t, e] block at `src` (row stride rs bytes) transposed into
 * `dst` [e, tp] (row stride tp floats); the padding columns t..tp are left as
 * they are (zeroed once by the caller).
 */
function transposeBlock(src: Code, rs: Code, dst: Code, t: Code, tp4: Code, e: Code, j: number, c: number): Code {
  return forRange(c, i32(0), e, 1, forRange(j, i32(0), t, 1,
    f32store(add(dst, add(mul(get(c), tp4), shl(get(j), i32(2)))), f32load(add(src, add(mul(get(j), rs), shl(get(c), i32(2)))))),
  ));
}

/**
 * row[0..tp) = Σ_c a[c]·mat[c, 0..tp) for a row a of e floats at `a`, mat [e, tp]
 * at `mat`; 16 columns (4 vectors) at a time. Leaves the result in `row`, then
 * runs `finish(jb)` for each 16-column block (jb in bytes) with the sums in acc0..3.
 */
function rowTimesMatrix(
  f: Func, a: Code, mat: Code, e: Code, tp4: Code, acc: number[], finish: (jb: number) => Code,
): Code {
  const [jb, c, pm] = f.localsOf(I32, 3) as [number, number, number];
  const [av] = f.localsOf(V128, 1) as [number];
  return forRange(jb, i32(0), tp4, 64, cat(
    ...acc.map((l) => set(l, vconst(0))),
    set(pm, add(mat, get(jb))),
    forRange(c, i32(0), e, 1, cat(
      set(av, vloadSplat(add(a, shl(get(c), i32(2))))),
      ...acc.map((l, u) => set(l, vadd(get(l), vmul(get(av), vload(get(pm), 16 * u))))),
      inc(pm, tp4),
    )),
    finish(jb),
  ));
}

function attnForwardKernel(U: number): { func: Func; code: Code } {
  const f = new Func(`attnForward${U}`, [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32]);
  const [Q, K, V, RS, OUT, OS, PROBS, MASK, KT, NB, NH, T, TP, E, SCALE] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
  const [b, h, i, j, c, cb, qb, kb, vb, ob, pb, prow, qrow, mrow, jend, tp4, ebytes, pv] = f.localsOf(I32, 18) as number[] as [
    number, number, number, number, number, number, number, number, number, number, number, number, number, number, number,
    number, number, number,
  ];
  const acc = f.localsOf(V128, 4);
  const oacc = f.localsOf(V128, U);
  const [scalev, mx, sum, x, n, r, p, ps] = f.localsOf(V128, 8) as number[] as [
    number, number, number, number, number, number, number, number,
  ];
  const [m, inv] = f.localsOf(F32, 2) as [number, number];

  const scores = rowTimesMatrix(f, get(qrow), get(KT), get(E), get(tp4), acc, (jbl) =>
    cat(...acc.map((l, u) => vstore(add(get(prow), get(jbl)), vadd(vmul(get(l), get(scalev)), vload(add(get(mrow), get(jbl)), 16 * u)), 16 * u))),
  );
  const softmax = cat(
    set(mx, vconst(-Infinity)),
    forRange(j, i32(0), get(tp4), 16, set(mx, vmax(get(mx), vload(add(get(prow), get(j)))))),
    set(m, hmax(mx)),
    set(mx, splat(get(m))),
    set(sum, vconst(0)),
    forRange(j, i32(0), get(tp4), 16, cat(
      set(x, vsub(vload(add(get(prow), get(j))), get(mx))),
      set(p, vexp(x, n, r, p)),
      vstore(add(get(prow), get(j)), get(p)),
      set(sum, vadd(get(sum), get(p))),
    )),
    set(inv, fdiv(f32(1), hsum(sum))),
    set(sum, splat(get(inv))),
    forRange(j, i32(0), get(tp4), 16, vstore(add(get(prow), get(j)), vmul(vload(add(get(prow), get(j))), get(sum)))),
    // jend: one past the last j with P ≠ 0
    set(jend, get(T)),
    whileLoop(andZero(get(jend), get(prow)), inc(jend, i32(-1))),
  );
  const output = forRange(cb, i32(0), get(ebytes), 16 * U, cat(
    ...oacc.map((l) => set(l, vconst(0))),
    set(pv, add(get(vb), get(cb))),
    forRange(j, i32(0), get(jend), 1, cat(
      set(ps, vloadSplat(add(get(prow), shl(get(j), i32(2))))),
      ...oacc.map((l, u) => set(l, vadd(get(l), vmul(get(ps), vload(get(pv), 16 * u))))),
      inc(pv, get(RS)),
    )),
    ...oacc.map((l, u) => vstore(add(add(get(ob), mul(get(i), get(OS))), get(cb)), get(l), 16 * u)),
  ));
  const head = cat(
    set(qb, add(add(get(Q), mul(mul(get(b), get(T)), get(RS))), mul(get(h), get(ebytes)))),
    set(kb, add(add(get(K), mul(mul(get(b), get(T)), get(RS))), mul(get(h), get(ebytes)))),
    set(vb, add(add(get(V), mul(mul(get(b), get(T)), get(RS))), mul(get(h), get(ebytes)))),
    set(ob, add(add(get(OUT), mul(mul(get(b), get(T)), get(OS))), mul(get(h), get(ebytes)))),
    set(pb, add(get(PROBS), mul(mul(add(mul(get(b), get(NH)), get(h)), get(T)), get(tp4)))),
    transposeBlock(get(kb), get(RS), get(KT), get(T), get(tp4), get(E), j, c),
    forRange(i, i32(0), get(T), 1, cat(
      set(prow, add(get(pb), mul(get(i), get(tp4)))),
      set(qrow, add(get(qb), mul(get(i), get(RS)))),
      set(mrow, add(get(MASK), mul(get(i), get(tp4)))),
      scores,
      softmax,
      output,
    )),
  );
  const code = cat(
    set(tp4, shl(get(TP), i32(2))),
    set(ebytes, shl(get(E), i32(2))),
    set(scalev, splat(get(SCALE))),
    // zero the scratch Kᵀ once (its padding columns stay 0)
    forRange(j, i32(0), mul(get(E), get(tp4)), 16, vstore(add(get(KT), get(j)), vconst(0))),
    forRange(b, i32(0), get(NB), 1, forRange(h, i32(0), get(NH), 1, head)),
  );
  return { func: f, code };
}

/** i32 condition: P[jend − 1] == 0 for the row at prow (jend ≥ 1 is checked before). */
function andZero(jend: Code, prow: Code): Code {
  // (jend > 0) && (P[jend−1] == 0), as i32.and of two 0/1 values; the load is guarded by clamping the index at 0.
  const idx = shl(sub(jend, i32(1)), i32(2));
  return cat(
    gtS(jend, i32(0)),
    cat(f32load(add(prow, mulClamp(idx))), f32(0), [0x5b]), // f32.eq
    [0x71], // i32.and
  );
}

/** max(v, 0) for an i32 byte offset (v ≥ −4 here). */
function mulClamp(v: Code): Code {
  // select(v, 0, v > 0)
  return cat(v, i32(0), v, i32(0), [0x4a], [0x1b]);
}

function attnBackwardKernel(U: number): { func: Func; code: Code } {
  const f = new Func(`attnBackward${U}`, [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32]);
  const [Q, K, V, RS, DO, OS, PROBS, VT, DS, DQ, DK, DV, NB, NH, T, TP, E, SCALE] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
  ];
  const [b, h, i, j, c, cb, qb, kb, vb, dob, dqb, dkb, dvb, pb, prow, dorow, jend, tp4, ebytes, pk, pdk, pdv] = f.localsOf(I32, 22) as number[] as [
    number, number, number, number, number, number, number, number, number, number, number, number, number, number, number,
    number, number, number, number, number, number, number,
  ];
  const acc = f.localsOf(V128, 4);
  const qacc = f.localsOf(V128, U);
  const qv = f.localsOf(V128, U);
  const dov = f.localsOf(V128, U);
  const [dot, pj, sj, sv] = f.localsOf(V128, 4) as [number, number, number, number];
  const [rowdot] = f.localsOf(F32, 1) as [number];

  // dP row into DS
  const dP = rowTimesMatrix(f, get(dorow), get(VT), get(E), get(tp4), acc, (jbl) =>
    cat(...acc.map((l, u) => vstore(add(get(DS), get(jbl)), get(l), 16 * u))),
  );
  const dS = cat(
    set(dot, vconst(0)),
    forRange(j, i32(0), get(tp4), 16, set(dot, vadd(get(dot), vmul(vload(add(get(prow), get(j))), vload(add(get(DS), get(j))))))),
    set(rowdot, hsum(dot)),
    set(dot, splat(get(rowdot))),
    // dS·s = s·P ⊙ (dP − rowdot)
    forRange(j, i32(0), get(tp4), 16, vstore(add(get(DS), get(j)),
      vmul(vmul(vload(add(get(prow), get(j))), vsub(vload(add(get(DS), get(j))), get(dot))), get(sv)))),
    set(jend, get(T)),
    whileLoop(andZero(get(jend), get(prow)), inc(jend, i32(-1))),
  );
  const grads = forRange(cb, i32(0), get(ebytes), 16 * U, cat(
    ...qacc.map((l) => set(l, vconst(0))),
    ...qv.map((l, u) => set(l, vload(add(add(get(qb), mul(get(i), get(RS))), get(cb)), 16 * u))),
    ...dov.map((l, u) => set(l, vload(add(get(dorow), get(cb)), 16 * u))),
    set(pk, add(get(kb), get(cb))),
    set(pdk, add(get(dkb), get(cb))),
    set(pdv, add(get(dvb), get(cb))),
    forRange(j, i32(0), get(jend), 1, cat(
      set(sj, vloadSplat(add(get(DS), shl(get(j), i32(2))))),
      set(pj, vloadSplat(add(get(prow), shl(get(j), i32(2))))),
      ...qacc.map((l, u) => set(l, vadd(get(l), vmul(get(sj), vload(get(pk), 16 * u))))),
      ...qv.map((l, u) => vstore(get(pdk), vadd(vload(get(pdk), 16 * u), vmul(get(sj), get(l))), 16 * u)),
      ...dov.map((l, u) => vstore(get(pdv), vadd(vload(get(pdv), 16 * u), vmul(get(pj), get(l))), 16 * u)),
      inc(pk, get(RS)),
      inc(pdk, get(RS)),
      inc(pdv, get(RS)),
    )),
    ...qacc.map((l, u) => vstore(add(add(get(dqb), mul(get(i), get(RS))), get(cb)), get(l), 16 * u)),
  ));
  const head = cat(
    set(qb, add(add(get(Q), mul(mul(get(b), get(T)), get(RS))), mul(get(h), get(ebytes)))),
    set(kb, add(add(get(K), mul(mul(get(b), get(T)), get(RS))), mul(get(h), get(ebytes)))),
    set(vb, add(add(get(V), mul(mul(get(b), get(T)), get(RS))), mul(get(h), get(ebytes)))),
    set(dqb, add(add(get(DQ), mul(mul(get(b), get(T)), get(RS))), mul(get(h), get(ebytes)))),
    set(dkb, add(add(get(DK), mul(mul(get(b), get(T)), get(RS))), mul(get(h), get(ebytes)))),
    set(dvb, add(add(get(DV), mul(mul(get(b), get(T)), get(RS))), mul(get(h), get(ebytes)))),
    set(dob, add(add(get(DO), mul(mul(get(b), get(T)), get(OS))), mul(get(h), get(ebytes)))),
    set(pb, add(get(PROBS), mul(mul(add(mul(get(b), get(NH)), get(h)), get(T)), get(tp4)))),
    transposeBlock(get(vb), get(RS), get(VT), get(T), get(tp4), get(E), j, c),
    // zero dK and dV of this head
    forRange(j, i32(0), get(T), 1, forRange(c, i32(0), get(ebytes), 16, cat(
      vstore(add(add(get(dkb), mul(get(j), get(RS))), get(c)), vconst(0)),
      vstore(add(add(get(dvb), mul(get(j), get(RS))), get(c)), vconst(0)),
    ))),
    forRange(i, i32(0), get(T), 1, cat(
      set(prow, add(get(pb), mul(get(i), get(tp4)))),
      set(dorow, add(get(dob), mul(get(i), get(OS)))),
      dP,
      dS,
      grads,
    )),
  );
  const code = cat(
    set(tp4, shl(get(TP), i32(2))),
    set(ebytes, shl(get(E), i32(2))),
    set(sv, splat(get(SCALE))),
    forRange(j, i32(0), mul(get(E), get(tp4)), 16, vstore(add(get(VT), get(j)), vconst(0))),
    forRange(b, i32(0), get(NB), 1, forRange(h, i32(0), get(NH), 1, head)),
  );
  return { func: f, code };
}

let bytes: Uint8Array | undefined;

/** The assembled module (built once per process). */
export function heapKernelModuleBytes(): Uint8Array {
  bytes ??= assembleModule([
    transposeKernel(),
    colSumKernel(),
    lnForwardKernel(),
    lnBackwardKernel(),
    geluKernel(),
    geluGradKernel(),
    gatherRowsKernel(),
    attnForwardKernel(4),
    attnForwardKernel(1),
    attnBackwardKernel(4),
    attnBackwardKernel(1),
  ]);
  return bytes;
}

/** Instantiates the kernels on `memory` (tfjs-backend-wasm's heap). Throws where WebAssembly SIMD is unavailable. */
export function instantiateHeapKernels(memory: WebAssembly.Memory): HeapKernelExports {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(heapKernelModuleBytes()), { env: { memory } });
  return instance.exports as unknown as HeapKernelExports;
}
