/**
 * The batched product of attention, Y_i = A_i·B_i for i < n, with
 * A: [n, m, k], B: [n, k, p] → Y: [n, m, p], and its gradient
 *   dA_i = dY_i·B_iᵀ,   dB_i = A_iᵀ·dY_i,
 * where the transposes are materialised (tf.transpose) and every product is
 * a plain one.
 *
 * On wasm, tfjs 4.22's batched 3-D matMul leaves XNNPACK for a scalar loop
 * (≈ 1 GFLOP/s), while a plain 2-D matMul runs at ≈ 20; and splitting a
 * tensor with tf.slice/unstack copies the whole input out of the wasm heap
 * once per slice. So on wasm each product reads A and B out once, makes the
 * n slices as fresh 2-D tensors, multiplies them plainly, and writes Y back
 * as one tensor. Every right operand is a tensor built for that one product
 * and never reshaped, so XNNPACK's operator cache (keyed by the right
 * operand's tensor id) cannot serve a stale operator (issue 5, pitfall d).
 * On the other backends the product is tf.matMul on the 3-D tensors, with
 * the same explicit-transpose gradient.
 *
 * Measured cost on wasm (one core): the gain is smaller than the GFLOP/s
 * figures suggest, because XNNPACK builds a new operator for every new right
 * operand (≈ 0.15 ms each). For [128, 64, 32]·[128, 32, 64] the slice-wise
 * product takes ≈ 26 ms against ≈ 30 ms for the batched matMul; the 2-D
 * products themselves take ≈ 3 ms of that.
 */
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../backend/index.js';

type Tensor = TF.Tensor;
type BinaryOp = (a: Tensor, b: Tensor) => Tensor;

/** Y = A·B slice by slice with 2-D products: A [n, m, k], B [n, k, p] → [n, m, p]. */
function slicewiseProduct(tf: typeof TF, a: Tensor, b: Tensor): Tensor {
  const [n = 0, m = 0, k = 0] = a.shape;
  const p = b.shape[2] ?? 0;
  const av = a.dataSync() as Float32Array; // one copy of all n slices of A
  const bv = b.dataSync() as Float32Array;
  const out = new Float32Array(n * m * p);
  for (let i = 0; i < n; i++) {
    const ai = tf.tensor2d(av.subarray(i * m * k, (i + 1) * m * k), [m, k]); // [m, k]
    const bi = tf.tensor2d(bv.subarray(i * k * p, (i + 1) * k * p), [k, p]); // [k, p], a fresh right operand
    const yi = tf.matMul(ai, bi); // [m, p]
    out.set(yi.dataSync() as Float32Array, i * m * p);
    ai.dispose();
    bi.dispose();
    yi.dispose();
  }
  return tf.tensor3d(out, [n, m, p]);
}

/** Swaps the last two axes of a 3-D tensor: [n, r, c] → [n, c, r]. */
function swapLast(tf: typeof TF, t: Tensor): Tensor {
  return tf.transpose(t, [0, 2, 1]);
}

let op: BinaryOp | undefined;

function makeOp(tf: typeof TF): BinaryOp {
  const product = (a: Tensor, b: Tensor): Tensor =>
    tf.getBackend() === 'wasm' ? slicewiseProduct(tf, a, b) : tf.matMul(a, b);
  return tf.customGrad((...args: (Tensor | TF.GradSaveFunc)[]) => {
    const [a, b, save] = args as [Tensor, Tensor, TF.GradSaveFunc];
    save([a, b]);
    return {
      value: product(a, b), // [n, m, p]
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sa, sb] = saved as [Tensor, Tensor];
        const da = product(dy, swapLast(tf, sb)); // [n, m, p]·[n, p, k] → [n, m, k]
        const db = product(swapLast(tf, sa), dy); // [n, k, m]·[n, m, p] → [n, k, p]
        return [da, db];
      },
    };
  });
}

/**
 * A·B for float32 A: [n, m, k], B: [n, k, p] → [n, m, p], differentiable,
 * computed with plain 2-D products (see the header).
 */
export function batchedMatMul(a: Tensor, b: Tensor): Tensor {
  const tf = tfNow();
  if (a.rank !== 3 || b.rank !== 3 || a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1]) {
    throw new Error(`batchedMatMul: expects a [n, m, k] and b [n, k, p], got ${JSON.stringify(a.shape)} · ${JSON.stringify(b.shape)}`);
  }
  op ??= makeOp(tf);
  return op(a, b);
}
