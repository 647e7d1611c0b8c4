/**
 * Backend selection: which tfjs backend trains the models, and why.
 *
 * Order of preference for 'auto' (fastest first):
 *   tensorflow  native libtensorflow, from '@tensorflow/tfjs-node-gpu' (CUDA)
 *               or '@tensorflow/tfjs-node' (CPU). Both are optional: their
 *               install downloads libtensorflow and fails offline, so they are
 *               usually absent; the import failure is caught.
 *   wasm        '@tensorflow/tfjs-backend-wasm', a dependency (the embedded
 *               default). Selecting it also registers the kernels tfjs 4.22
 *               lacks on wasm (see wasmKernels.ts).
 *   cpu         tfjs's plain-JavaScript backend, always present (slow).
 * A forced choice that cannot start throws BackendUnavailableError (one line:
 * the backend, the cause, the fix) instead of falling back silently.
 *
 * tfjs is imported lazily (tfRuntime.ts), so importing depthlab stays fast.
 * The tfjs backend is process-wide: selecting one switches every tfjs user of
 * the process.
 */
import { BackendUnavailableError, oneLine } from './BackendUnavailableError.js';
import { loadTf } from './tfRuntime.js';
import { registerWasmKernels } from './wasmKernels.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

export interface SelectedBackend {
  /** The backend now in use. */
  name: BackendName;
  /** One line saying why this one (forced, or what 'auto' skipped and why). */
  reason: string;
}

/** The native packages, in order of preference (GPU build first). */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

type Attempt = { ok: true; detail: string } | { ok: false; detail: string };

let wasmImport: Promise<unknown> | undefined;

function message(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** Makes `name` the tfjs backend; false when tfjs refuses it. */
async function activate(name: string): Promise<boolean> {
  const tf = await loadTf();
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) return false;
  await tf.ready();
  return tf.getBackend() === name;
}

async function tryTensorflow(): Promise<Attempt> {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    try {
      // A variable specifier: the packages are optional and have no types here.
      const specifier: string = pkg;
      await import(specifier); // registers the 'tensorflow' backend as a side effect
    } catch (error) {
      failures.push(isMissingModule(error) ? `${pkg} is not installed` : `${pkg} failed to load (${message(error)})`);
      continue;
    }
    try {
      if (await activate('tensorflow')) return { ok: true, detail: `native libtensorflow from ${pkg}` };
      failures.push(`${pkg} loaded but tfjs refused its 'tensorflow' backend`);
    } catch (error) {
      failures.push(`${pkg} loaded but its backend did not start (${message(error)})`);
    }
  }
  return { ok: false, detail: failures.join(', ') };
}

async function tryWasm(): Promise<Attempt> {
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

async function tryCpu(): Promise<Attempt> {
  try {
    if (await activate('cpu')) return { ok: true, detail: 'the plain-JavaScript backend of tfjs' };
    return { ok: false, detail: "tfjs refused its 'cpu' backend" };
  } catch (error) {
    return { ok: false, detail: `@tensorflow/tfjs failed to load (${message(error)})` };
  }
}

const FIXES: Record<BackendName, string> = {
  tensorflow:
    'install @tensorflow/tfjs-node (it downloads libtensorflow at install time; -gpu for CUDA) or use --backend wasm',
  wasm: 'reinstall @tensorflow/tfjs-backend-wasm or use --backend cpu',
  cpu: 'reinstall @tensorflow/tfjs',
};

const ATTEMPTS: Record<BackendName, () => Promise<Attempt>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: tryCpu,
};

/**
 * Makes the preferred backend current and says which one and why. 'auto'
 * takes the first of tensorflow → wasm → cpu that starts; a named backend is
 * used or a BackendUnavailableError is thrown.
 */
export async function selectBackend(preferred: BackendPreference = 'auto'): Promise<SelectedBackend> {
  if (preferred !== 'auto') {
    const attempt = await ATTEMPTS[preferred]();
    if (!attempt.ok) throw new BackendUnavailableError(preferred, attempt.detail, FIXES[preferred]);
    return { name: preferred, reason: `forced (--backend ${preferred}): ${attempt.detail}` };
  }
  const skipped: string[] = [];
  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    const attempt = await ATTEMPTS[name]();
    if (attempt.ok) {
      const before = skipped.length > 0 ? `; skipped ${skipped.join('; ')}` : '';
      return { name, reason: `auto: ${name} is the fastest available (${attempt.detail})${before}` };
    }
    skipped.push(`${name} (${attempt.detail})`);
  }
  throw new BackendUnavailableError('cpu', `no tfjs backend started: ${skipped.join('; ')}`, FIXES.cpu);
}
