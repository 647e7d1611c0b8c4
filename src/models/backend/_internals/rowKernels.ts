/**
 * The elementwise and row kernels of the heap-kernel module (../heapKernels.ts),
 * as WebAssembly SIMD code builders: each returns a function's signature and
 * body for assembleModule. All arrays are row-major float32; pointers are
 * byte offsets into tfjs-backend-wasm's heap; sizes are element counts.
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
 *
 * Shapes: x, y, dx, dy [R, d] (gelu: n elements), γ, β, dγ, dβ [d], μ, ρ [R];
 * transpose src [R, C] → dst [C, R]; colSum src [R, C] → dst [C];
 * gatherRows T [V, d], ids [n] → out [n, d].
 */
import {
  F32, Func, I32, V128, add, and, cat, eq, f32, f32store, fadd, fdiv, fFromI32, fmul, forRange, fsqrt, get, hsum, i32, ifThen,
  inc, mul, set, shl, shuffle, splat, vadd, vconst, vdiv, vload, vloadSplat, vmul, vstore, vsub, type Code,
} from '../wasmAssembler.js';
import { vexp } from './simdExp.js';

/** transpose(src, dst, R, C): dst [C, R] = src [R, C]ᵀ, by 4×4 blocks. */
export function transposeKernel(): { func: Func; code: Code } {
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

/** colSum(src, dst, R, C): dst [C] = Σ_r src[r, :]. */
export function colSumKernel(): { func: Func; code: Code } {
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

/** lnForward: y = (x − μ)·ρ·γ + β per row, saving μ and ρ = 1/√(σ² + ε) [R]. */
export function lnForwardKernel(): { func: Func; code: Code } {
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

/** lnBackward: dx, dγ, dβ of LayerNorm from dy and the saved μ, ρ. */
export function lnBackwardKernel(): { func: Func; code: Code } {
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

/** gelu(x, y, s, n): y = x·s, s = σ(c(x + 0.044715x³)) saved for the backward pass. */
export function geluKernel(): { func: Func; code: Code } {
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

/** geluGrad(x, s, dy, dx, n): dx = dy·(s + x·s(1 − s)·c(1 + 3·0.044715x²)). */
export function geluGradKernel(): { func: Func; code: Code } {
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

/** gatherRows(T, ids, out, n, d): out[i, :] = T[ids[i], :]. */
export function gatherRowsKernel(): { func: Func; code: Code } {
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
