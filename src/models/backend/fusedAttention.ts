/**
 * Fused, differentiable multi-head softmax attention (issue 5, "Benchmark");
 * part of fusedOps.ts, which re-exports it:
 *
 *   attention(qkv, M, H)    concat_h softmax(Q_h K_hᵀ/√e + M)·V_h
 *                           qkv [B, t, 3d] holds Q | K | V, M [t, t] is additive
 *                           (0 visible, −1e9 hidden), e = d/H; returns [B, t, d]
 *   attentionFused(d, H)    whether that runs as the wasm heap kernel
 *
 * On wasm (e ≡ 0 mod 4) forward and backward are one heap kernel each
 * (heapKernels.ts, _internals/attentionKernels.ts): the forward saves
 * P [B, H, t, tp] for the backward pass, which gives
 *   dQ = s·dS·K,  dK = s·dSᵀ·Q,  dV = Pᵀ·dO,  dS = P ⊙ (dP − rowsum(P ⊙ dP)),  dP = dO·Vᵀ,  s = 1/√e,
 * all written into one dqkv [B, t, 3d]. Elsewhere it runs as plain tfjs ops
 * (per-head batched matMulT). The mask gets a zero gradient.
 */
import type * as TF from '@tensorflow/tfjs';
import { heapKernelsAvailable, KERNELS, runHeapKernel } from './_internals/heapKernelRegistry.js';
import { tfNow } from './tfRuntime.js';
import { matMulT } from './wasmKernels.js';

type Tensor = TF.Tensor;

/** Attention with plain tfjs ops: per-head products as batched matMulT (the reference, and the path off wasm). */
function attentionPlain(tf: typeof TF, qkv: Tensor, mask: Tensor, heads: number): Tensor {
  const [batch = 0, t = 0, width = 0] = qkv.shape;
  const d = width / 3;
  const e = d / heads;
  /** [B, t, d] → [B·H, t, e] */
  const split = (y: Tensor): Tensor => tf.reshape(tf.transpose(tf.reshape(y, [batch, t, heads, e]), [0, 2, 1, 3]), [batch * heads, t, e]);
  const [q, k, v] = tf.split(qkv, 3, 2) as [Tensor, Tensor, Tensor];
  const scores = tf.add(tf.mul(matMulT(split(q), tf.transpose(split(k), [0, 2, 1])), 1 / Math.sqrt(e)), mask); // [B·H, t, t]
  const attended = matMulT(tf.softmax(scores), split(v)); // [B·H, t, e]
  return tf.reshape(tf.transpose(tf.reshape(attended, [batch, heads, t, e]), [0, 2, 1, 3]), [batch, t, d]);
}

type AttentionOp = (qkv: Tensor, mask: Tensor) => Tensor;
const attentionOps = new Map<number, AttentionOp>();

function makeAttention(tf: typeof TF, heads: number): AttentionOp {
  return tf.customGrad((...args: (Tensor | TF.GradSaveFunc)[]) => {
    const [qkv, mask, save] = args as [Tensor, Tensor, TF.GradSaveFunc];
    const [out, probs] = runHeapKernel(KERNELS.attention, { qkv, mask }, { heads }) as [Tensor, Tensor];
    save([qkv, probs]);
    return {
      value: out,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sqkv, sprobs] = saved as [Tensor, Tensor];
        return [runHeapKernel(KERNELS.attentionGrad, { dy, qkv: sqkv, probs: sprobs }, { heads }) as Tensor, tf.zerosLike(mask)];
      },
    };
  }) as AttentionOp;
}

/** True when attention(qkv [B, t, 3d], ·, heads) runs as the wasm kernel (else it runs as plain tfjs ops). */
export function attentionFused(d: number, heads: number): boolean {
  return d % heads === 0 && (d / heads) % 4 === 0 && heapKernelsAvailable();
}

/**
 * Multi-head softmax attention, heads merged: qkv [B, t, 3d] = Q | K | V,
 * mask [t, t] additive (0 = visible, −1e9 = hidden), e = d/heads →
 * concat_h softmax(Q_h K_hᵀ/√e + M)·V_h, [B, t, d]. The mask gets a zero gradient.
 */
export function attention(qkv: Tensor, mask: Tensor, heads: number): Tensor {
  const tf = tfNow();
  const [, t = 0, width = 0] = qkv.shape;
  if (qkv.rank !== 3 || width % 3 !== 0 || (width / 3) % heads !== 0 || mask.rank !== 2 || mask.shape[0] !== t || mask.shape[1] !== t) {
    throw new Error(`attention: expects qkv [B, t, 3d] with heads dividing d and mask [t, t]; got ${JSON.stringify(qkv.shape)}, ${JSON.stringify(mask.shape)}, heads ${heads}`);
  }
  if (qkv.size === 0 || !attentionFused(width / 3, heads)) return attentionPlain(tf, qkv, mask, heads);
  let op = attentionOps.get(heads);
  if (!op) {
    op = makeAttention(tf, heads);
    attentionOps.set(heads, op);
  }
  return op(qkv, mask);
}
