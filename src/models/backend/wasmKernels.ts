/**
 * Kernels and safe ops that make training on the wasm backend work, and be
 * correct, with tfjs 4.22. Each answers one measured pitfall (issue 5,
 * "Backends"); each has a regression test in wasmKernels.test.ts.
 *
 *  (a) `UnsortedSegmentSum` — the gradient of `gather` (embedding lookups) —
 *      has no wasm kernel: `registerWasmKernels()` registers one that computes
 *      on the JavaScript side. Cost: one synchronous copy of the incoming
 *      gradient out of the wasm heap (readSync), one scalar loop over it, and
 *      one copy of the [numSegments, …] result back in (write). That is
 *      O(size of the gathered gradient), negligible next to the matmuls of a
 *      step at depthlab's sizes (a [batch·seq, dModel] gradient per lookup),
 *      but it blocks and is not vectorised: keep it to embedding lookups.
 *  (b) `oneHot(x, depth, 1, 0, 'float32')` on wasm returns a float32 tensor
 *      holding int32 bit patterns (1 reads back as 1.4e-45): `oneHotFloat`
 *      builds it as int32 and casts.
 *  (c) autodiff's matmul gradients use transposeA/transposeB, which on wasm
 *      leave XNNPACK's fast path (measured 0.5–1.6 GFLOP/s against 15–20 for a plain 2-D
 *      matMul; 10–35× here): `matMulT` is a matMul whose custom gradient materialises the
 *      transposes with tf.transpose and multiplies plainly.
 *  (d) XNNPACK caches its prepared matmul operator by the right operand's
 *      tensor id, not its shape: the same data used as the right operand under
 *      a different reshape (which keeps the id) silently returns wrong values
 *      and later corrupts the wasm heap. `freshRight(t)` clones it, so the
 *      product gets a new id. Use it whenever a tensor (or a reshape of one)
 *      that has been, or may be, a right operand under another shape is
 *      multiplied again.
 *  (e) Tanh is ≈ 20× slower than Sigmoid on wasm, and 0.5(1 + tanh z) =
 *      sigmoid(2z) exactly, so the tanh-approximated GELU is computed as
 *      `geluSigmoid(x) = x·sigmoid(2√(2/π)(x + 0.044715x³))`.
 *
 * Everything here is backend-agnostic (correct on cpu and tensorflow too); it
 * uses the tfjs module loaded by selectBackend (tfRuntime.ts).
 */
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from './tfRuntime.js';

type Tensor = TF.Tensor;

/** The kernel name of tfjs-core's unsortedSegmentSum. */
const UNSORTED_SEGMENT_SUM = 'UnsortedSegmentSum';

/**
 * unsortedSegmentSum on the JavaScript side: out[s, …] = Σ_{i : ids[i] = s} x[i, …].
 * `x` has shape ids.shape ++ inner; ids outside [0, numSegments) are dropped
 * (TensorFlow's semantics). Exported for its test; use it through tfjs.
 */
export function segmentSumHost(
  x: ArrayLike<number>,
  ids: ArrayLike<number>,
  numSegments: number,
  inner: number,
): Float32Array {
  const out = new Float32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i] ?? -1;
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) out[to + j]! += x[from + j] ?? 0;
  }
  return out;
}

const unsortedSegmentSumKernel: TF.KernelFunc = ({ inputs, backend, attrs }) => {
  const tf = tfNow();
  const x = inputs['x'];
  const segmentIds = inputs['segmentIds'];
  const numSegments = attrs?.['numSegments'];
  if (!x || !segmentIds || typeof numSegments !== 'number') {
    throw new Error('UnsortedSegmentSum (wasm, host-side): expects inputs x, segmentIds and attr numSegments');
  }
  const kernelBackend = backend as TF.KernelBackend;
  const idCount = tf.util.sizeFromShape(segmentIds.shape);
  const inner = idCount === 0 ? 0 : tf.util.sizeFromShape(x.shape) / idCount;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const values = segmentSumHost(
    kernelBackend.readSync(x.dataId) as ArrayLike<number>,
    kernelBackend.readSync(segmentIds.dataId) as ArrayLike<number>,
    numSegments,
    inner,
  );
  const out = x.dtype === 'int32' ? Int32Array.from(values) : values;
  return { dataId: kernelBackend.write(out, outShape, x.dtype), shape: outShape, dtype: x.dtype };
};

/**
 * Registers the kernels tfjs 4.22 lacks on wasm (today: UnsortedSegmentSum).
 * Idempotent; a kernel the installed tfjs already has is left alone. Returns
 * the names it registered on this call.
 */
export function registerWasmKernels(): string[] {
  const tf = tfNow();
  if (tf.getKernel(UNSORTED_SEGMENT_SUM, 'wasm') !== undefined) return [];
  tf.registerKernel({ kernelName: UNSORTED_SEGMENT_SUM, backendName: 'wasm', kernelFunc: unsortedSegmentSumKernel });
  return [UNSORTED_SEGMENT_SUM];
}

/** One-hot rows as float32 1/0: built as int32, then cast (safe on wasm). */
export function oneHotFloat(indices: Tensor, depth: number): Tensor {
  const tf = tfNow();
  return tf.tidy(() => tf.oneHot(indices, depth, 1, 0, 'int32').cast('float32'));
}

/** A copy of `t` with a new tensor id: safe as a matmul right operand under any reshape. */
export function freshRight<T extends Tensor>(t: T): T {
  return tfNow().clone(t);
}

/** Swaps the last two axes. */
function transposeLast(t: Tensor): Tensor {
  const tf = tfNow();
  const perm = t.shape.map((_, i) => i);
  const r = perm.length;
  perm[r - 1] = r - 2;
  perm[r - 2] = r - 1;
  return tf.transpose(t, perm);
}

type BinaryOp = (a: Tensor, b: Tensor) => Tensor;
let rowsOp: BinaryOp | undefined;
let batchedOp: BinaryOp | undefined;

/** `a·b` for a: [..., m, k], b: [k, n] — the rows of `a` flattened into one plain 2-D product. */
const matMulRows = (tf: typeof TF): BinaryOp =>
  tf.customGrad((...args: (Tensor | TF.GradSaveFunc)[]) => {
    const [a, b, save] = args as [Tensor, Tensor, TF.GradSaveFunc];
    const k = b.shape[0] ?? 0;
    const n = b.shape[1] ?? 0;
    const a2 = tf.reshape(a, [-1, k]); // [rows, k]
    const value = tf.reshape(tf.matMul(a2, b), [...a.shape.slice(0, -1), n]); // [..., m, n]
    save([a2, b]);
    return {
      value,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sa2, sb] = saved as [Tensor, Tensor];
        // The incoming gradient may be another consumer's right operand under
        // another shape (pitfall d): clone before using it as one.
        const dy2 = freshRight(tf.reshape(dy, [-1, n])); // [rows, n]
        const da = tf.reshape(tf.matMul(dy2, tf.transpose(sb)), a.shape); // [..., m, k]
        const db = tf.matMul(tf.transpose(sa2), dy2); // [k, n]
        return [da, db];
      },
    };
  });

/** `a·b` for a: [...batch, m, k], b: [...batch, k, n] (same batch shape). */
const matMulBatched = (tf: typeof TF): BinaryOp =>
  tf.customGrad((...args: (Tensor | TF.GradSaveFunc)[]) => {
    const [a, b, save] = args as [Tensor, Tensor, TF.GradSaveFunc];
    save([a, b]);
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sa, sb] = saved as [Tensor, Tensor];
        const fresh = freshRight(dy);
        return [tf.matMul(fresh, transposeLast(sb)), tf.matMul(transposeLast(sa), fresh)];
      },
    };
  });

/**
 * matMul(a, b) whose gradient multiplies explicit transposes plainly instead
 * of using the transposeA/transposeB flags (slow on wasm). Shapes: either
 * b: [k, n] and a: [..., k] (a linear layer on any number of leading axes),
 * or a: [...batch, m, k], b: [...batch, k, n] with equal batch shapes.
 * Values and gradients equal tf.matMul's.
 */
export function matMulT(a: Tensor, b: Tensor): Tensor {
  const tf = tfNow();
  if (b.rank === 2 && a.rank >= 2) {
    if (a.shape[a.rank - 1] !== b.shape[0]) {
      throw new Error(`matMulT: inner sizes differ, a ${JSON.stringify(a.shape)} · b ${JSON.stringify(b.shape)}`);
    }
    rowsOp ??= matMulRows(tf);
    return rowsOp(a, b);
  }
  const sameBatch = a.rank === b.rank && a.rank >= 3 && a.shape.slice(0, -2).every((d, i) => d === b.shape[i]);
  if (!sameBatch || a.shape[a.rank - 1] !== b.shape[b.rank - 2]) {
    throw new Error(`matMulT: unsupported shapes a ${JSON.stringify(a.shape)} · b ${JSON.stringify(b.shape)}`);
  }
  batchedOp ??= matMulBatched(tf);
  return batchedOp(a, b);
}

/** √(2/π)·2, the slope that turns GELU's tanh into a sigmoid. */
const TWO_SQRT_2_OVER_PI = 2 * Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation, computed with a sigmoid:
 *   0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) = x·sigmoid(2√(2/π)(x + 0.044715x³)),
 * exact since 0.5(1 + tanh z) = sigmoid(2z).
 */
export function geluSigmoid(x: Tensor): Tensor {
  const tf = tfNow();
  return tf.tidy(() => {
    const cubic = tf.add(x, tf.mul(0.044715, tf.mul(x, tf.mul(x, x))));
    return tf.mul(x, tf.sigmoid(tf.mul(TWO_SQRT_2_OVER_PI, cubic)));
  });
}
