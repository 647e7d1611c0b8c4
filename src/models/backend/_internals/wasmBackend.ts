/**
 * The 'wasm' backend: '@tensorflow/tfjs-backend-wasm', a dependency (the
 * embedded default). Selecting it also registers the kernels tfjs 4.22 lacks
 * on wasm (wasmKernels.ts).
 */
import { loadTf } from '../tfRuntime.js';
import { registerWasmKernels } from '../wasmKernels.js';
import { activate, message, type Attempt } from './attempt.js';

let wasmImport: Promise<unknown> | undefined;

/** The 'wasm' attempt. */
export async function tryWasm(): Promise<Attempt> {
  try {
    await loadTf();
    // Registers the 'wasm' backend with tfjs-core as a side effect (once per process).
    wasmImport ??= import('@tensorflow/tfjs-backend-wasm');
    await wasmImport;
    if (!(await activate('wasm'))) {
      return { ok: false, detail: 'the WebAssembly binary of @tensorflow/tfjs-backend-wasm did not initialise' };
    }
    registerWasmKernels();
    return { ok: true, detail: 'WebAssembly (XNNPACK), single-threaded under Node' };
  } catch (error) {
    return { ok: false, detail: `@tensorflow/tfjs-backend-wasm failed to load (${message(error)})` };
  }
}
