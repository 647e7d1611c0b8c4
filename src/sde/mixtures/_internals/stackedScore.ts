/**
 * PerturbedMixture.scoreInto through the WebAssembly SIMD kernels of
 * src/sde/_internals/stackedKernel.ts, for full covariances: per point x,
 *
 *   u_k = c_k − P_k x,   ∇log p(x) = Σ_k softmax_k(logNorm_k − ½ (a μ_k − x)·u_k) u_k,
 *
 * with P_k = S_k⁻¹ stacked as one (K·d)×d matrix and c_k = P_k a μ_k. This
 * file lays the operands out in the kernel's memory and runs it chunk by chunk.
 */
import type { StackedKernel } from '../../_internals/stackedKernel.js';

/** Points per call of the SIMD kernels (a multiple of 4; the chunk's SIMD_CHUNK·K·d doubles of u_k stay in L1 between the two). */
const SIMD_CHUNK = 16;

/**
 * The score at the n points x (row-major [n, d]) into out, same layout, from
 * the stacked precisions P (K·d rows of d), c, the shifted means a μ_k (K rows
 * of d) and the log normalisers of a PerturbedMixture. Per call, the stacked
 * precisions go to the kernel's memory as K blocks of dp rows (dp = d
 * rounded up to even; padding rows and columns zero, so their u entries
 * are 0), with c, the shifted means and the log normalisers alongside, and
 * the whole batch of points (padded to a multiple of four with zero rows).
 * Then, per chunk of SIMD_CHUNK points, the stacked mat-vec and the
 * combine kernel (log terms, softmax, Σ_k w_k u_k) run back to back while
 * the chunk's u_k are in cache, and the scores are copied out at the end.
 */
export function stackedScoreInto(
  kernel: StackedKernel, d: number, K: number, P: Float64Array, c: Float64Array, mean: Float64Array, logNorm: Float64Array,
  x: Float64Array, n: number, out: Float64Array,
): void {
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
  if (dp !== d) H.fill(0, mOff, lnOff);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < d; i++) {
      const src = (k * d + i) * d;
      const dst = mOff + (k * dp + i) * dp;
      for (let j = 0; j < d; j++) H[dst + j] = P[src + j]!;
      H[cOff + k * dp + i] = c[k * d + i]!;
      H[meanOff + k * dp + i] = mean[k * d + i]!;
    }
    H[lnOff + k] = logNorm[k]!;
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
