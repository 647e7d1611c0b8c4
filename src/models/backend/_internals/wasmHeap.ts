/**
 * Access to tfjs-backend-wasm's heap for the fused ops (../fusedOps.ts): the
 * parts of the backend used, the heap kernels (../heapKernels.ts) instantiated
 * once per backend instance on its WebAssembly.Memory, and a tensor's data as
 * a byte offset into that heap (a kernel reads and writes tensors in place).
 *
 *   kernelsOf(backend)      the instance's HeapKernelExports, or null (no SIMD, no heap)
 *   ptr(backend, t)         byte offset of t's float32/int32 data on the heap
 *   input(args, name)       a named input of a tfjs kernel call (throws if missing)
 *   size(shape)             Π shape, the element count
 */
import type * as TF from '@tensorflow/tfjs';
import { instantiateHeapKernels, type HeapKernelExports } from '../heapKernels.js';

/** The parts of tfjs-backend-wasm's BackendWasm used here (4.22). */
export interface WasmBackend {
  wasm: { asm: { memory: WebAssembly.Memory }; _malloc(bytes: number): number; _free(ptr: number): void };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TF.TensorInfo;
}

const instances = new WeakMap<object, HeapKernelExports | null>();

/** The heap kernels of this wasm backend instance, or null where WebAssembly SIMD (or the heap) is unavailable. */
export function kernelsOf(backend: WasmBackend): HeapKernelExports | null {
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

/** Byte offset of a tensor's data on the wasm heap. */
export function ptr(backend: WasmBackend, t: TF.TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('heap kernel: a tensor has no data on the wasm backend');
  return data.memoryOffset;
}

/** Π shape: the element count of a tensor of that shape. */
export const size = (shape: readonly number[]): number => shape.reduce((p, s) => p * s, 1);

/** What tfjs passes a kernel function. */
export interface KernelArgs {
  inputs: Record<string, TF.TensorInfo | undefined>;
  backend: unknown;
  attrs?: Record<string, unknown>;
}

/** The input `name` of a kernel call; throws where it is missing. */
export function input(args: KernelArgs, name: string): TF.TensorInfo {
  const t = args.inputs[name];
  if (!t) throw new Error(`heap kernel: missing input ${name}`);
  return t;
}

/** The heap kernels of this backend; throws where they are unavailable. */
export function kernelOrThrow(backend: WasmBackend): HeapKernelExports {
  const k = kernelsOf(backend);
  if (!k) throw new Error('heap kernel: WebAssembly SIMD kernels are unavailable');
  return k;
}
