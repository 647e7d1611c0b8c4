/**
 * The backend layer of src/models: choosing the tfjs backend (tensorflow →
 * wasm → cpu), the lazily loaded tfjs module, and the kernels and ops that
 * make training on wasm correct and fast.
 */
export { BackendUnavailableError } from './BackendUnavailableError.js';
export { selectBackend } from './selectBackend.js';
export type { BackendName, BackendPreference, SelectedBackend } from './selectBackend.js';
export { loadTf, tfNow } from './tfRuntime.js';
export {
  freshRight,
  geluSigmoid,
  matMulT,
  oneHotFloat,
  registerWasmKernels,
  segmentSumHost,
} from './wasmKernels.js';
