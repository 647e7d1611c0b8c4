/**
 * The attention kernels of the heap-kernel module (../heapKernels.ts), as
 * WebAssembly SIMD code builders: softmax attention forward and backward per
 * (batch, head), in variants unrolled over U = 4 vectors (head size e ≡ 0
 * mod 16) and U = 1 (e ≡ 0 mod 4).
 *
 * For a batch b and head h (head size e = d/H), Q, K, V are the [t, e] blocks
 * q[b, :, he:(h+1)e] (and k, v alike) of q, k, v [B, t, ·] read with a row
 * stride rs bytes (column blocks of qkv [B, t, 3d]), M the additive mask:
 *
 *   forward:   S = s·QKᵀ + M,  P = softmax_rows(S),  O = P·V  (written to out[b, :, he:(h+1)e])
 *   backward:  dP = dO·Vᵀ,  dS = P ⊙ (dP − rowsum(P ⊙ dP)),
 *              dQ = s·dS·K,  dK = s·dSᵀ·Q,  dV = Pᵀ·dO
 *
 * with s the scale (1/√e). Rows of P are padded to tp (a multiple of 16)
 * columns; the padding holds −1e30 in the padded mask [t, tp], so exactly 0
 * in P. P is saved [B, H, t, tp] for the backward pass. Products over j skip
 * the tail of each row where P is exactly 0 (keys a causal mask hides), which
 * is exact. Kᵀ and Vᵀ of one (b, h) are copied to a scratch [e, tp] so that
 * the products QKᵀ and dO·Vᵀ run along contiguous rows of 16 columns; the
 * backward pass also takes a scratch row dS [tp].
 */
import {
  F32, Func, I32, V128, add, cat, f32, f32load, f32store, fdiv, forRange, get, gtS, hmax, hsum, i32, inc, mul, set, shl, splat,
  sub, vadd, vconst, vload, vloadSplat, vmax, vmul, vstore, vsub, whileLoop, type Code,
} from '../wasmAssembler.js';
import { vexp } from './simdExp.js';

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

/** attnForward{U}: O = softmax_rows(s·QKᵀ + M)·V per (b, h), saving P [B, H, t, tp]. */
export function attnForwardKernel(U: number): { func: Func; code: Code } {
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

/** attnBackward{U}: dQ, dK, dV per (b, h) from dO and the saved P. */
export function attnBackwardKernel(U: number): { func: Func; code: Code } {
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
