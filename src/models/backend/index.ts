/**
 * The backend layer of src/models: choosing the tfjs backend ('auto':
 * tensorflow → wasm → cpu; webgpu opt-in), the lazily loaded tfjs module, and
 * the kernels and ops that make training on wasm correct and fast.
 */
export { BackendUnavailableError } from './BackendUnavailableError.js';
export { BACKEND_NAMES, BACKEND_PREFERENCES, selectBackend } from './selectBackend.js';
export type { BackendName, BackendPreference, SelectedBackend } from './selectBackend.js';
export { currentBackendName, loadTf, readTidy, tfNow } from './tfRuntime.js';
export {
  freshRight,
  geluSigmoid,
  matMulT,
  oneHotFloat,
  registerWasmKernels,
  segmentSumHost,
} from './wasmKernels.js';
export { attention, attentionFused, embedding, gelu, heapKernelsAvailable, layerNorm, linear, setHeapKernelsEnabled, transpose2d } from './fusedOps.js';
