/**
 * Backend selection: which tfjs backend trains the models, and why.
 *
 * Order of preference for 'auto' (fastest first):
 *   tensorflow  native libtensorflow, from '@tensorflow/tfjs-node-gpu' (CUDA)
 *               or '@tensorflow/tfjs-node' (CPU). Both are optionalDependencies:
 *               their install script downloads libtensorflow, which fails
 *               offline; npm then drops them (not installed), or, with install
 *               scripts skipped, leaves them without their native addon. Both
 *               cases are detected before the import and skipped with a reason.
 *   wasm        '@tensorflow/tfjs-backend-wasm', a dependency (the embedded
 *               default). Selecting it also registers the kernels tfjs 4.22
 *               lacks on wasm (see wasmKernels.ts).
 *   cpu         tfjs's plain-JavaScript backend, always present (slow).
 * Opt-in only, never taken by 'auto':
 *   webgpu      '@tensorflow/tfjs-backend-webgpu' on Dawn (the 'webgpu'
 *               package), both optionalDependencies (Dawn is ~130 MB). It needs
 *               a GPU driver: on Linux the Vulkan loader (libvulkan1) and a
 *               Vulkan driver; Metal on macOS, D3D12 on Windows. The adapter is
 *               first asked for in a child process, so Dawn's native warnings,
 *               a crash or a hang cannot reach this one; without a GPU it fails
 *               (package missing / Vulkan loader missing / no adapter) before
 *               tfjs is touched, so wasm can be selected afterwards. Once it
 *               started, Dawn keeps the event loop alive: exit explicitly.
 * A forced choice that cannot start throws BackendUnavailableError (one line:
 * the backend, the cause, the fix) instead of falling back silently.
 *
 * tfjs and every backend package are imported lazily (tfRuntime.ts), so
 * importing depthlab stays fast. The tfjs backend is process-wide: selecting
 * one switches every tfjs user of the process.
 *
 * This file holds the names, the preferences and the selection; each backend's
 * attempt is in _internals/ (nativeBackend.ts, webgpuBackend.ts with
 * dawnProbe.ts, tfjsWebgpu.ts and vulkanLoader.ts, wasmBackend.ts,
 * cpuBackend.ts; the shared Attempt type in attempt.ts).
 */
import { BackendUnavailableError } from './BackendUnavailableError.js';
import type { Attempt } from './_internals/attempt.js';
import { tryCpu } from './_internals/cpuBackend.js';
import { tryTensorflow } from './_internals/nativeBackend.js';
import { tryWasm } from './_internals/wasmBackend.js';
import { tryWebgpu } from './_internals/webgpuBackend.js';

// The probes, exported from here for their tests (selectBackend.test.ts).
export { probeNativePackage } from './_internals/nativeBackend.js';
export type { ResolvePackageDir } from './_internals/packageDir.js';
export { probeDawnAdapter, type AdapterProbe } from './_internals/dawnProbe.js';
export { tryWebgpu, type WebgpuEnvironment } from './_internals/webgpuBackend.js';

/** Every backend selectBackend knows, fastest first. */
export const BACKEND_NAMES = ['tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
/** What `--backend` accepts: 'auto' or a backend to force. */
export const BACKEND_PREFERENCES = ['auto', ...BACKEND_NAMES] as const;
export type BackendPreference = (typeof BACKEND_PREFERENCES)[number];

export interface SelectedBackend {
  /** The backend now in use. */
  name: BackendName;
  /** One line saying why this one (forced, or what 'auto' skipped and why). */
  reason: string;
}

/** What 'auto' tries, fastest first ('webgpu' is opt-in only). */
const AUTO_ORDER = ['tensorflow', 'wasm', 'cpu'] as const satisfies readonly BackendName[];

/** The fix named when a forced backend cannot start (unless the attempt names a closer one). */
const FIXES: Record<BackendName, string> = {
  tensorflow:
    'install @tensorflow/tfjs-node (-gpu for CUDA) with internet access, its install script downloads libtensorflow (npm rebuild <package> retries it), or use --backend wasm',
  webgpu: 'install libvulkan1 and a GPU driver with Vulkan support, or use --backend wasm',
  wasm: 'reinstall @tensorflow/tfjs-backend-wasm or use --backend cpu',
  cpu: 'reinstall @tensorflow/tfjs',
};

const ATTEMPTS: Record<BackendName, () => Promise<Attempt>> = {
  tensorflow: tryTensorflow,
  webgpu: () => tryWebgpu(),
  wasm: tryWasm,
  cpu: tryCpu,
};

/**
 * Makes the preferred backend current and says which one and why. 'auto'
 * takes the first of tensorflow → wasm → cpu that starts (never webgpu); a
 * named backend is used or a BackendUnavailableError is thrown.
 */
export async function selectBackend(preferred: BackendPreference = 'auto'): Promise<SelectedBackend> {
  if (preferred !== 'auto') {
    const attempt = await ATTEMPTS[preferred]();
    if (!attempt.ok) throw new BackendUnavailableError(preferred, attempt.detail, attempt.fix ?? FIXES[preferred]);
    return { name: preferred, reason: `forced (--backend ${preferred}): ${attempt.detail}` };
  }
  const skipped: string[] = [];
  for (const name of AUTO_ORDER) {
    const attempt = await ATTEMPTS[name]();
    if (attempt.ok) {
      const before = skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : '';
      return { name, reason: `auto: ${name} is the fastest available (${attempt.detail})${before}` };
    }
    skipped.push(`${name} (${attempt.detail})`);
  }
  throw new BackendUnavailableError('cpu', `no tfjs backend started: ${skipped.join('; ')}`, FIXES.cpu);
}
