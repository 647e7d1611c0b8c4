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
 * products stay XNNPACK's plain 2-D matmul (bias fused into the forward
 * product), with the transposes of its gradient done by the SIMD transpose,
 * the bias gradient by the column-sum kernel, and for the weight gradient
 * the smaller of x and dy as the (fresh, copied) right operand:
 *   dx = dy·Wᵀ,   dW = xᵀ·dy  (k ≥ n)   or   dW = (dyᵀ·x)ᵀ  (k < n),   db = Σ_rows dy.
 * Every right operand of a product here is a variable under its one shape or
 * a tensor made for that product (XNNPACK pitfall (d) of wasmKernels.ts).
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
import type * as TF from '@tensorflow/tfjs';
import { instantiateHeapKernels, type HeapKernelExports } from './heapKernels.js';
import { tfNow } from './tfRuntime.js';
import { freshRight, geluSigmoid, matMulT } from './wasmKernels.js';

type Tensor = TF.Tensor;

/** The parts of tfjs-backend-wasm's BackendWasm used here (4.22). */
interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory }; _malloc(bytes: number): number; _free(ptr: number): void };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TF.TensorInfo;
}

const KERNELS = {
  transpose: 'DepthlabTranspose2D',
  colSum: 'DepthlabColSum',
  layerNorm: 'DepthlabLayerNorm',
  layerNormGrad: 'DepthlabLayerNormGrad',
  gelu: 'DepthlabGelu',
  geluGrad: 'DepthlabGeluGrad',
  gatherRows: 'DepthlabGatherRows',
  attention: 'DepthlabAttention',
  attentionGrad: 'DepthlabAttentionGrad',
} as const;

const instances = new WeakMap<object, HeapKernelExports | null>();

/** The heap kernels of this wasm backend instance, or null where WebAssembly SIMD (or the heap) is unavailable. */
function kernelsOf(backend: WasmBackend): HeapKernelExports | null {
  let k = instances.get(backend);
  if (k === undefined) {
    try {
      k = instantiateHeapKernels(backend.wasm.asm.memory);
    } catch {
      k = null;
    }
    instances.set(backend, k);
  }
  return k;
}

function ptr(backend: WasmBackend, t: TF.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('heap kernel: a tensor has no data on the wasm backend');
  return data.memoryOffset;
}

const size = (shape: readonly number[]): number => shape.reduce((p, s) => p * s, 1);
/** Padded row length of attention's probability rows: a multiple of 16 columns. */
const paddedLength = (t: number): number => Math.ceil(t / 16) * 16;

interface KernelArgs {
  inputs: Record<string, TF.TensorInfo | undefined>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

function input(args: KernelArgs, name: string): TF.TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`heap kernel: missing input ${name}`);
  return t;
}

function kernelOrThrow(backend: WasmBackend): HeapKernelExports {
  const k = kernelsOf(backend);
  if (!k) throw new Error('heap kernel: WebAssembly SIMD kernels are unavailable');
  return k;
}

const kernelFuncs: Record<(typeof KERNELS)[keyof typeof KERNELS], (args: KernelArgs) => TF.TensorInfo | TF.TensorInfo[]> = {
  [KERNELS.transpose]: (args) => {
    const backend = args.backend as WasmBackend;
    const x = input(args, 'x');
    const [rows = 0, cols = 0] = x.shape;
    const out = backend.makeOutput([cols, rows], 'float32');
    kernelOrThrow(backend).transpose(ptr(backend, x), ptr(backend, out), rows, cols);
    return out;
  },
  [KERNELS.colSum]: (args) => {
    const backend = args.backend as WasmBackend;
    const x = input(args, 'x');
    const [rows = 0, cols = 0] = x.shape;
    const out = backend.makeOutput([cols], 'float32');
    kernelOrThrow(backend).colSum(ptr(backend, x), ptr(backend, out), rows, cols);
    return out;
  },
  [KERNELS.layerNorm]: (args) => {
    const backend = args.backend as WasmBackend;
    const [x, g, b] = [input(args, 'x'), input(args, 'gamma'), input(args, 'beta')];
    const [rows = 0, d = 0] = x.shape;
    const y = backend.makeOutput([rows, d], 'float32');
    const mean = backend.makeOutput([rows], 'float32');
    const rstd = backend.makeOutput([rows], 'float32');
    const eps = Number(args.attrs?.['epsilon']);
    kernelOrThrow(backend).lnForward(ptr(backend, x), ptr(backend, g), ptr(backend, b), ptr(backend, y), ptr(backend, mean), ptr(backend, rstd), rows, d, eps);
    return [y, mean, rstd];
  },
  [KERNELS.layerNormGrad]: (args) => {
    const backend = args.backend as WasmBackend;
    const [dy, x, g, mean, rstd] = ['dy', 'x', 'gamma', 'mean', 'rstd'].map((n) => input(args, n)) as TF.TensorInfo[];
    const [rows = 0, d = 0] = x!.shape;
    const dx = backend.makeOutput([rows, d], 'float32');
    const dg = backend.makeOutput([d], 'float32');
    const db = backend.makeOutput([d], 'float32');
    kernelOrThrow(backend).lnBackward(
      ptr(backend, dy!), ptr(backend, x!), ptr(backend, g!), ptr(backend, mean!), ptr(backend, rstd!),
      ptr(backend, dx), ptr(backend, dg), ptr(backend, db), rows, d,
    );
    return [dx, dg, db];
  },
  [KERNELS.gelu]: (args) => {
    const backend = args.backend as WasmBackend;
    const x = input(args, 'x');
    const y = backend.makeOutput([...x.shape], 'float32');
    const sigma = backend.makeOutput([...x.shape], 'float32');
    kernelOrThrow(backend).gelu(ptr(backend, x), ptr(backend, y), ptr(backend, sigma), size(x.shape));
    return [y, sigma];
  },
  [KERNELS.geluGrad]: (args) => {
    const backend = args.backend as WasmBackend;
    const [x, sigma, dy] = [input(args, 'x'), input(args, 'sigma'), input(args, 'dy')];
    const dx = backend.makeOutput([...x.shape], 'float32');
    kernelOrThrow(backend).geluGrad(ptr(backend, x), ptr(backend, sigma), ptr(backend, dy), ptr(backend, dx), size(x.shape));
    return dx;
  },
  [KERNELS.gatherRows]: (args) => {
    const backend = args.backend as WasmBackend;
    const [table, ids] = [input(args, 'table'), input(args, 'ids')];
    const [rows = 0, d = 0] = table.shape;
    const n = size(ids.shape);
    const out = backend.makeOutput([...ids.shape, d], 'float32');
    const at = ptr(backend, ids);
    const view = new Int32Array(backend.wasm.asm.memory.buffer, at, n);
    for (let i = 0; i < n; i++) {
      const id = view[i]!;
      if (!(id >= 0 && id < rows)) throw new Error(`embedding: index ${id} at ${i} is outside [0, ${rows})`);
    }
    kernelOrThrow(backend).gatherRows(ptr(backend, table), at, ptr(backend, out), n, d);
    return out;
  },
  [KERNELS.attention]: (args) => {
    const backend = args.backend as WasmBackend;
    const k = kernelOrThrow(backend);
    const [qkv, mask] = [input(args, 'qkv'), input(args, 'mask')];
    const heads = Number(args.attrs?.['heads']);
    const [batch = 0, t = 0, width = 0] = qkv.shape;
    const d = width / 3;
    const e = d / heads;
    const tp = paddedLength(t);
    const out = backend.makeOutput([batch, t, d], 'float32');
    const probs = backend.makeOutput([batch, heads, t, tp], 'float32');
    const scratch = backend.wasm._malloc(4 * (t * tp + e * tp));
    try {
      // The mask padded to tp columns with −1e30 (probability exactly 0).
      const heap = new Float32Array(backend.wasm.asm.memory.buffer);
      const m0 = ptr(backend, mask) >> 2;
      const s0 = scratch >> 2;
      for (let i = 0; i < t; i++) {
        for (let j = 0; j < tp; j++) heap[s0 + i * tp + j] = j < t ? heap[m0 + i * t + j]! : -1e30;
      }
      const base = ptr(backend, qkv);
      const run = e % 16 === 0 ? k.attnForward4 : k.attnForward1;
      run(base, base + 4 * d, base + 8 * d, 12 * d, ptr(backend, out), 4 * d, ptr(backend, probs), scratch, scratch + 4 * t * tp,
        batch, heads, t, tp, e, 1 / Math.sqrt(e));
    } finally {
      backend.wasm._free(scratch);
    }
    return [out, probs];
  },
  [KERNELS.attentionGrad]: (args) => {
    const backend = args.backend as WasmBackend;
    const k = kernelOrThrow(backend);
    const [dy, qkv, probs] = [input(args, 'dy'), input(args, 'qkv'), input(args, 'probs')];
    const heads = Number(args.attrs?.['heads']);
    const [batch = 0, t = 0, width = 0] = qkv.shape;
    const d = width / 3;
    const e = d / heads;
    const tp = paddedLength(t);
    const dqkv = backend.makeOutput([batch, t, width], 'float32');
    const scratch = backend.wasm._malloc(4 * (e * tp + tp));
    try {
      const base = ptr(backend, qkv);
      const dbase = ptr(backend, dqkv);
      const run = e % 16 === 0 ? k.attnBackward4 : k.attnBackward1;
      run(base, base + 4 * d, base + 8 * d, 12 * d, ptr(backend, dy), 4 * d, ptr(backend, probs), scratch, scratch + 4 * e * tp,
        dbase, dbase + 4 * d, dbase + 8 * d, batch, heads, t, tp, e, 1 / Math.sqrt(e));
    } finally {
      backend.wasm._free(scratch);
    }
    return dqkv;
  },
};

let registered = false;
let enabled = true;

/**
 * Turns the heap kernels off (false) or back on (true) for this process; off,
 * every op here runs as plain tfjs ops. For tests and A/B measurements.
 */
export function setHeapKernelsEnabled(on: boolean): void {
  enabled = on;
}

/**
 * True when the heap kernels run here: the current backend is wasm and its
 * WebAssembly SIMD kernels instantiated. Registers them with tfjs on first use.
 */
export function heapKernelsAvailable(): boolean {
  const tf = tfNow();
  if (!enabled || tf.getBackend() !== 'wasm') return false;
  if (kernelsOf(tf.backend() as unknown as WasmBackend) === null) return false;
  if (!registered) {
    for (const [name, kernelFunc] of Object.entries(kernelFuncs)) {
      if (tf.getKernel(name, 'wasm') === undefined) {
        tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as TF.KernelFunc });
      }
    }
    registered = true;
  }
  return true;
}

const run = (name: string, inputs: Record<string, Tensor>, attrs: Record<string, unknown> = {}): Tensor | Tensor[] =>
  tfNow().engine().runKernel(name, inputs as unknown as TF.NamedTensorMap, attrs as TF.NamedAttrMap) as Tensor | Tensor[];

/** xᵀ of a 2-D tensor, as a new tensor (the SIMD kernel on wasm when both sizes are multiples of 4). Not differentiable. */
export function transpose2d(x: Tensor): Tensor {
  const tf = tfNow();
  const [rows = 0, cols = 0] = x.shape;
  if (x.rank === 2 && rows % 4 === 0 && cols % 4 === 0 && rows > 0 && cols > 0 && x.dtype === 'float32' && heapKernelsAvailable()) {
    return run(KERNELS.transpose, { x }) as Tensor;
  }
  return tf.transpose(x);
}

/** Σ over the rows of a 2-D tensor, [rows, cols] → [cols]. Not differentiable. */
function columnSum(x: Tensor): Tensor {
  const [rows = 0, cols = 0] = x.shape;
  if (cols % 4 === 0 && rows > 0 && cols > 0 && heapKernelsAvailable()) return run(KERNELS.colSum, { x }) as Tensor;
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
    const [y, mean, rstd] = run(KERNELS.layerNorm, { x: x2, gamma, beta }, { epsilon }) as [Tensor, Tensor, Tensor];
    save([x2, gamma, mean, rstd]);
    return {
      value: tf.reshape(y, x.shape),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sx2, sg, smean, srstd] = saved as [Tensor, Tensor, Tensor, Tensor];
        const dy2 = tf.reshape(dy, [-1, d]);
        const [dx, dg, db] = run(KERNELS.layerNormGrad, { dy: dy2, x: sx2, gamma: sg, mean: smean, rstd: srstd }) as [Tensor, Tensor, Tensor];
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
    const [y, sigma] = run(KERNELS.gelu, { x: xi }) as [Tensor, Tensor];
    save([xi, sigma]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => run(KERNELS.geluGrad, { x: saved[0]!, sigma: saved[1]!, dy }) as Tensor,
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
      value: run(KERNELS.gatherRows, { table: t, ids: i }) as Tensor,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const si = saved[0]!;
        const [rows = 0, width = 0] = t.shape;
        return [tf.unsortedSegmentSum(tf.reshape(dy, [-1, width]), tf.reshape(si, [-1]), rows), tf.zeros(si.shape)];
      },
    };
  }) as (table: Tensor, ids: Tensor) => Tensor;
  return embeddingOp(table, ids);
}

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
    const [out, probs] = run(KERNELS.attention, { qkv, mask }, { heads }) as [Tensor, Tensor];
    save([qkv, probs]);
    return {
      value: out,
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [sqkv, sprobs] = saved as [Tensor, Tensor];
        return [run(KERNELS.attentionGrad, { dy, qkv: sqkv, probs: sprobs }, { heads }) as Tensor, tf.zerosLike(mask)];
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
