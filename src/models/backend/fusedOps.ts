/**
 * Fused, differentiable ops for the transformer's hot path (issue 5,
 * "Benchmark"), fast on wasm and exact-in-math everywhere:
 *
 *   linear(x, W, b)         x·W + b over the last axis of x            x: [..., k], W: [k, n], b: [n]
 *   layerNorm(x, γ, β, ε)   γ ⊙ (x − μ)/√(σ² + ε) + β over the last axis
 *   gelu(x)                 x·σ(2√(2/π)(x + 0.044715x³))  (GELU, tanh form)
 *   attention(qkv, M, H)    softmax(QKᵀ/√e + M)·V per head, heads merged:
 *                           qkv [B, t, 3d] holds Q | K | V, M [t, t] is additive,
 *                           e = d/H; returns [B, t, d]
 *   embedding(T, ids)       rows of T [V, d] at int32 ids (tf.gather)
 *   transpose2d(x)          xᵀ for a 2-D x (not differentiable)
 *
 * On wasm each runs as kernels on tfjs's own heap (heapKernels.ts): one pass
 * for LayerNorm, GELU and attention forward and backward; the linear layer's
 * products stay XNNPACK's plain 2-D matmul, its gradient's transposes and
 * bias sum done by the SIMD transpose and column-sum kernels (the forms of
 * dx, dW, db are in fusedLayerOps.ts).
 *
 * This module is the ops' public entry point; they live in
 *   fusedLayerOps.ts                      linear, layerNorm, gelu, embedding, transpose2d
 *   fusedAttention.ts                     attention, attentionFused
 *   _internals/heapKernelRegistry.ts      the heap kernels as tfjs kernels on wasm, their
 *                                         registration, setHeapKernelsEnabled, heapKernelsAvailable
 *   _internals/wasmHeap.ts                the wasm backend's heap: kernel instances, tensor offsets
 *
 * Elsewhere (cpu, tensorflow), and on wasm where a shape does not fit a
 * kernel (sizes not multiples of 4), the same maths runs as plain tfjs ops
 * with the explicit-transpose gradients of matMulT.
 *
 * Numerics: equal to the plain ops up to float32 rounding (sums in another
 * order; exp by a polynomial with ≈ 1e-7 relative error). Masked scores
 * (−1e9) get probability exactly 0 on every path. `setHeapKernelsEnabled(false)`
 * switches the kernels off (plain ops everywhere), for tests and A/B timing.
 *
 * Measured on this project's 2-core VM (bench/README.md, train-throughput;
 * min of 9, shapes of the reference model, batch 32 × 64, d 128), before →
 * fused: attention forward + backward per layer (per-head batchedMatMul
 * before) 66 → 14 ms; LayerNorm 7.7 → 0.9; GELU [2048, 512] 19 → 6.6;
 * linear 128→512 47 → 37; embedding lookup 12 → 0.3; transpose [2048, 512]
 * 7.8 → 1.4; bias gradient of [2048, 512]: tf.sum 7.6, ones-vector matmul
 * 5.5, column-sum kernel 0.35.
 * What remains of a training step (≈ 330–360 ms) is ≈ 250 ms of XNNPACK
 * products at 20–25 GFLOP/s.
 */
export { attention, attentionFused } from './fusedAttention.js';
export { embedding, gelu, layerNorm, linear, transpose2d } from './fusedLayerOps.js';
export { heapKernelsAvailable, setHeapKernelsEnabled } from './_internals/heapKernelRegistry.js';
