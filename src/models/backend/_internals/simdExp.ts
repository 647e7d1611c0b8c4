/**
 * exp in WebAssembly SIMD, as code for the heap kernels (../heapKernels.ts):
 * the GELU kernel and attention's softmax both use it.
 *
 *   exp(x) = 2ⁿ·p(r),  n = round(x·log₂e),  r = x − n·ln 2  (ln 2 split in two),
 *
 * p the degree-7 polynomial of Cephes' expf (relative error ≈ 1e-7), on four
 * f32 lanes at once. Inputs below −87.3 give exactly 0 (so a masked score
 * −1e9 contributes exactly nothing, as with tf.exp); inputs are clamped at 88.3.
 */
import {
  cat, get, i32, iadd4, ishl4, set, truncSat, vadd, vand, vconst, vge, vmax, vmin, vmul, vnearest, vsub, type Code,
} from '../wasmAssembler.js';

/** Code leaving exp(x) on the stack, x an f32x4 in local `x`; uses locals n, r, p (v128). */
export function vexp(x: number, n: number, r: number, p: number): Code {
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
