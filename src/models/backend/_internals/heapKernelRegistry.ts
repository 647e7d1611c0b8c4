/**
 * The heap kernels as tfjs kernels on the wasm backend, for the fused ops
 * (../fusedOps.ts): their names, their kernel functions (inputs read and
 * outputs written in place on tfjs-backend-wasm's heap, wasmHeap.ts), their
 * registration with tfjs on first use, and the process-wide on/off switch.
 *
 *   DepthlabTranspose2D     x [R, C] → xᵀ [C, R]
 *   DepthlabColSum          x [R, C] → Σ_r x[r, :] [C]
 *   DepthlabLayerNorm       x [R, d], γ, β [d] → y [R, d], μ [R], ρ = 1/√(σ² + ε) [R]   (attr epsilon)
 *   DepthlabLayerNormGrad   dy, x [R, d], γ [d], μ, ρ [R] → dx [R, d], dγ [d], dβ [d]
 *   DepthlabGelu            x → y = x·σ(z), σ(z) (same shape)
 *   DepthlabGeluGrad        x, σ(z), dy → dx
 *   DepthlabGatherRows      T [V, d], ids int32 [...] → [..., d]  (ids checked in [0, V))
 *   DepthlabAttention       qkv [B, t, 3d], M [t, t] → out [B, t, d], P [B, H, t, tp]   (attr heads)
 *   DepthlabAttentionGrad   dy [B, t, d], qkv, P → dqkv [B, t, 3d]                    (attr heads)
 *
 * tp = ⌈t/16⌉·16; attention's mask is copied padded to [t, tp] with −1e30
 * (probability exactly 0) into a scratch block malloc'ed on the heap.
 */
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../tfRuntime.js';
import { input, kernelOrThrow, kernelsOf, ptr, size, type KernelArgs, type WasmBackend } from './wasmHeap.js';

type Tensor = TF.Tensor;

/** The tfjs kernel names of the heap kernels. */
export const KERNELS = {
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

/** Padded row length of attention's probability rows: a multiple of 16 columns. */
const paddedLength = (t: number): number => Math.ceil(t / 16) * 16;

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

/** Runs the registered heap kernel `name` on `inputs` (and `attrs`) through the tfjs engine. */
export const runHeapKernel = (name: string, inputs: Record<string, Tensor>, attrs: Record<string, unknown> = {}): Tensor | Tensor[] =>
  tfNow().engine().runKernel(name, inputs as unknown as TF.NamedTensorMap, attrs as TF.NamedAttrMap) as Tensor | Tensor[];
