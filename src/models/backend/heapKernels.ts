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
 *   attnForward, attnBackward          softmax attention per (batch, head).
 *
 * The kernels' code lives in _internals/: rowKernels.ts (the elementwise and
 * row kernels above, with their equations), attentionKernels.ts (attention:
 * S = s·QKᵀ + M, P = softmax_rows(S), O = P·V and its backward pass, P saved
 * [B, H, t, tp] with rows padded to tp ≡ 0 (mod 16)), simdExp.ts (exp in SIMD,
 * a Cephes polynomial with ≈ 1e-7 relative error, exactly 0 below −87.3).
 * This file assembles them into one module and instantiates it.
 */
import { assembleModule } from './wasmAssembler.js';
import { attnBackwardKernel, attnForwardKernel } from './_internals/attentionKernels.js';
import {
  colSumKernel, gatherRowsKernel, geluGradKernel, geluKernel, lnBackwardKernel, lnForwardKernel, transposeKernel,
} from './_internals/rowKernels.js';

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
