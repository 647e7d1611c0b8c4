/**
 * The fused, differentiable layer ops of the transformer's hot path (issue 5,
 * "Benchmark"); part of fusedOps.ts, which re-exports them:
 *
 *   linear(x, W, b)         x·W + b over the last axis of x            x: [..., k], W: [k, n], b: [n] (or none) → [..., n]
 *   layerNorm(x, γ, β, ε)   γ ⊙ (x − μ)/√(σ² + ε) + β over the last axis   x: [..., d], γ, β: [d]
 *   gelu(x)                 x·σ(2√(2/π)(x + 0.044715x³))  (GELU, tanh form), any shape
 *   embedding(T, ids)       rows of T [V, d] at int32 ids (tf.gather) → [...ids.shape, d]
 *   transpose2d(x)          xᵀ for a 2-D x (not differentiable)
 *
 * On wasm LayerNorm, GELU, the embedding lookup and the transpose each run as
 * one heap kernel forward and backward (heapKernels.ts, via
 * _internals/heapKernelRegistry.ts). The linear layer's products stay
 * XNNPACK's plain 2-D matmul (bias fused into the forward product), with the
 * transposes of its gradient done by the SIMD transpose, the bias gradient by
 * the column-sum kernel, and for the weight gradient the smaller of x and dy
 * as the (fresh, copied) right operand:
 *   dx = dy·Wᵀ,   dW = xᵀ·dy  (k ≥ n)   or   dW = (dyᵀ·x)ᵀ  (k < n),   db = Σ_rows dy.
 * Every right operand of a product here is a variable under its one shape or
 * a tensor made for that product (XNNPACK pitfall (d) of wasmKernels.ts).
 * Elsewhere, and on wasm where a size is not a multiple of 4, plain tfjs ops.
 */
import type * as TF from '@tensorflow/tfjs';
import { heapKernelsAvailable, KERNELS, runHeapKernel } from './_internals/heapKernelRegistry.js';
import { tfNow } from './tfRuntime.js';
import { freshRight, geluSigmoid } from './wasmKernels.js';

type Tensor = TF.Tensor;

/** xᵀ of a 2-D tensor, as a new tensor (the SIMD kernel on wasm when both sizes are multiples of 4). Not differentiable. */
export function transpose2d(x: Tensor): Tensor {
  const tf = tfNow();
  const [rows = 0, cols = 0] = x.shape;
  if (x.rank === 2 && rows % 4 === 0 && cols % 4 === 0 && rows > 0 && cols > 0 && x.dtype === 'float32' && heapKernelsAvailable()) {
    return runHeapKernel(KERNELS.transpose, { x }) as Tensor;
  }
  return tf.transpose(x);
}

/** Σ over the rows of a 2-D tensor, [rows, cols] → [cols]. Not differentiable. */
function columnSum(x: Tensor): Tensor {
  const [rows = 0, cols = 0] = x.shape;
  if (cols % 4 === 0 && rows > 0 && cols > 0 && heapKernelsAvailable()) return runHeapKernel(KERNELS.colSum, { x }) as Tensor;
  return tfNow().sum(x, 0);
}

type LinearOp = (x: Tensor, w: Tensor, b: Tensor) => Tensor;
type LinearNoBiasOp = (x: Tensor, w: Tensor) => Tensor;
let linearOp: LinearOp | undefined;
let linearNoBiasOp: LinearNoBiasOp | undefined;

/**
 * x2·W (+ b) with x2 [rows, k], W [k, n]: XNNPACK with the bias fused on wasm
 * (W cloned, so that its id is this product's alone whatever else the caller
 * does with W: ≈ 0.05 ms for a [128, 512] weight), matMul (+ add) elsewhere.
 */
function linearForward(tf: typeof TF, x2: Tensor, w: Tensor, b: Tensor | undefined): Tensor {
  if (heapKernelsAvailable()) return tf.fused.matMul({ a: x2 as TF.Tensor2D, b: freshRight(w) as TF.Tensor2D, bias: b });
  const y = tf.matMul(x2, w);
  return b ? tf.add(y, b) : y;
}

/** [dx2, dW] of y = x2·W for an upstream dy2 [rows, n] (see the header for the forms). */
function linearGrads(tf: typeof TF, x2: Tensor, w: Tensor, dy2: Tensor): [Tensor, Tensor] {
  const [k = 0, n = 0] = w.shape;
  const dx2 = tf.matMul(dy2, freshRight(transpose2d(w))); // [rows, n]·[n, k]
  // The smaller of x2 and dy2 is the right operand (XNNPACK packs it; measured
  // for rows 2048: k 128, n 512: 23 ms against 31; k 512, n 128: 25 against 30).
  const dw = k < n
    ? transpose2d(tf.matMul(transpose2d(dy2), freshRight(x2))) // ([n, rows]·[rows, k])ᵀ
    : tf.matMul(transpose2d(x2), freshRight(dy2)); // [k, rows]·[rows, n]
  return [dx2, dw];
}

function makeLinear(tf: typeof TF): LinearOp {
  return tf.customGrad((...args: (Tensor | TF.GradSaveFunc)[]) => {
    const [x, w, b, save] = args as [Tensor, Tensor, Tensor, TF.GradSaveFunc];
    const k = w.shape[0] ?? 0;
    const n = w.shape[1] ?? 0;
    const x2 = tf.reshape(x, [-1, k]);
    save([x2, w]);
    return {
      value: tf.reshape(linearForward(tf, x2, w, b), [...x.shape.slice(0, -1), n]),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sx2, sw] = saved as [Tensor, Tensor];
        const dy2 = tf.reshape(dy, [-1, n]);
        const [dx2, dw] = linearGrads(tf, sx2, sw, dy2);
        return [tf.reshape(dx2, x.shape), dw, columnSum(dy2)];
      },
    };
  }) as LinearOp;
}

function makeLinearNoBias(tf: typeof TF): LinearNoBiasOp {
  return tf.customGrad((...args: (Tensor | TF.GradSaveFunc)[]) => {
    const [x, w, save] = args as [Tensor, Tensor, TF.GradSaveFunc];
    const k = w.shape[0] ?? 0;
    const n = w.shape[1] ?? 0;
    const x2 = tf.reshape(x, [-1, k]);
    save([x2, w]);
    return {
      value: tf.reshape(linearForward(tf, x2, w, undefined), [...x.shape.slice(0, -1), n]),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sx2, sw] = saved as [Tensor, Tensor];
        const [dx2, dw] = linearGrads(tf, sx2, sw, tf.reshape(dy, [-1, n]));
        return [tf.reshape(dx2, x.shape), dw];
      },
    };
  }) as LinearNoBiasOp;
}

/**
 * x·W + b over the last axis: x [..., k], W [k, n], b [n] (or none) → [..., n].
 * Value and gradients equal matMul + add's (float32 rounding aside).
 */
export function linear(x: Tensor, w: Tensor, b?: Tensor): Tensor {
  const tf = tfNow();
  const k = w.shape[0];
  const n = w.shape[1];
  if (w.rank !== 2 || x.rank < 2 || x.shape[x.rank - 1] !== k || (b !== undefined && (b.rank !== 1 || b.shape[0] !== n))) {
    throw new Error(`linear: expects x [..., k], W [k, n], b [n]; got ${JSON.stringify(x.shape)}, ${JSON.stringify(w.shape)}, ${JSON.stringify(b?.shape)}`);
  }
  if (b === undefined) {
    linearNoBiasOp ??= makeLinearNoBias(tf);
    return linearNoBiasOp(x, w);
  }
  linearOp ??= makeLinear(tf);
  return linearOp(x, w, b);
}

/** LayerNorm with plain tfjs ops (the reference, and the path off wasm). */
function layerNormPlain(tf: typeof TF, x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): Tensor {
  const mean = tf.mean(x, -1, true); // [..., 1]
  const centered = tf.sub(x, mean); // [..., d]
  const variance = tf.mean(tf.square(centered), -1, true); // [..., 1]
  const normed = tf.mul(centered, tf.rsqrt(tf.add(variance, epsilon))); // [..., d]
  return tf.add(tf.mul(normed, gamma), beta);
}

type LayerNormOp = (x: Tensor, gamma: Tensor, beta: Tensor) => Tensor;
const layerNormOps = new Map<number, LayerNormOp>();

function makeLayerNorm(tf: typeof TF, epsilon: number): LayerNormOp {
  return tf.customGrad((...args: (Tensor | TF.GradSaveFunc)[]) => {
    const [x, gamma, beta, save] = args as [Tensor, Tensor, Tensor, TF.GradSaveFunc];
    const d = x.shape[x.rank - 1] ?? 0;
    const x2 = tf.reshape(x, [-1, d]);
    const [y, mean, rstd] = runHeapKernel(KERNELS.layerNorm, { x: x2, gamma, beta }, { epsilon }) as [Tensor, Tensor, Tensor];
    save([x2, gamma, mean, rstd]);
    return {
      value: tf.reshape(y, x.shape),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sx2, sg, smean, srstd] = saved as [Tensor, Tensor, Tensor, Tensor];
        const dy2 = tf.reshape(dy, [-1, d]);
        const [dx, dg, db] = runHeapKernel(KERNELS.layerNormGrad, { dy: dy2, x: sx2, gamma: sg, mean: smean, rstd: srstd }) as [Tensor, Tensor, Tensor];
        return [tf.reshape(dx, x.shape), dg, db];
      },
    };
  }) as LayerNormOp;
}

/** LN(x) = γ ⊙ (x − μ)/√(σ² + ε) + β over the last axis; x [..., d], γ, β [d]. */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): Tensor {
  const tf = tfNow();
  const d = x.shape[x.rank - 1] ?? 0;
  if (d % 4 !== 0 || x.size === 0 || !heapKernelsAvailable()) return layerNormPlain(tf, x, gamma, beta, epsilon);
  let op = layerNormOps.get(epsilon);
  if (!op) {
    op = makeLayerNorm(tf, epsilon);
    layerNormOps.set(epsilon, op);
  }
  return op(x, gamma, beta);
}

let geluOp: ((x: Tensor) => Tensor) | undefined;

/** GELU (tanh form) = x·σ(2√(2/π)(x + 0.044715x³)); the fused kernel on wasm (σ kept for the backward pass), geluSigmoid elsewhere. */
export function gelu(x: Tensor): Tensor {
  const tf = tfNow();
  if (x.size % 4 !== 0 || x.size === 0 || !heapKernelsAvailable()) return geluSigmoid(x);
  geluOp ??= tf.customGrad((...args: (Tensor | TF.GradSaveFunc)[]) => {
    const [xi, save] = args as [Tensor, TF.GradSaveFunc];
    const [y, sigma] = runHeapKernel(KERNELS.gelu, { x: xi }) as [Tensor, Tensor];
    save([xi, sigma]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => runHeapKernel(KERNELS.geluGrad, { x: saved[0]!, sigma: saved[1]!, dy }) as Tensor,
    };
  }) as (x: Tensor) => Tensor;
  return geluOp(x);
}

let embeddingOp: ((table: Tensor, ids: Tensor) => Tensor) | undefined;

/**
 * Rows of `table` [V, d] at int32 `ids` (any shape) → [...ids.shape, d], as
 * tf.gather(table, ids); the gradient scatters dy back with unsortedSegmentSum.
 * An id outside [0, V) throws.
 */
export function embedding(table: Tensor, ids: Tensor): Tensor {
  const tf = tfNow();
  const d = table.shape[1] ?? 0;
  if (table.rank !== 2 || ids.dtype !== 'int32' || d % 4 !== 0 || ids.size === 0 || !heapKernelsAvailable()) return tf.gather(table, ids);
  embeddingOp ??= tf.customGrad((...args: (Tensor | TF.GradSaveFunc)[]) => {
    const [t, i, save] = args as [Tensor, Tensor, TF.GradSaveFunc];
    save([i]);
    return {
      value: runHeapKernel(KERNELS.gatherRows, { table: t, ids: i }) as Tensor,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const si = saved[0]!;
        const [rows = 0, width = 0] = t.shape;
        return [tf.unsortedSegmentSum(tf.reshape(dy, [-1, width]), tf.reshape(si, [-1]), rows), tf.zeros(si.shape)];
      },
    };
  }) as (table: Tensor, ids: Tensor) => Tensor;
  return embeddingOp(table, ids);
}
