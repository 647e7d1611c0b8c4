/**
 * Starting tfjs's 'webgpu' backend in this process, once an adapter is known
 * to exist (dawnProbe.ts): import Dawn (the 'webgpu' package), ask it for a
 * high-performance adapter, expose it as navigator.gpu with Dawn's GPU*
 * globals, import '@tensorflow/tfjs-backend-webgpu', build its backend (so a
 * failure comes back as a reason) and make it current. Once started, Dawn
 * keeps the event loop alive: exit explicitly.
 */
import { loadTf } from '../tfRuntime.js';
import { activate, importOptional, message, type Attempt } from './attempt.js';

/** The two packages of the webgpu backend. */
export const DAWN_PACKAGE = 'webgpu';
export const WEBGPU_BACKEND_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

/** The part of the 'webgpu' package (Dawn) used here. */
interface DawnModule {
  create(options: string[]): DawnGpu;
  globals: object;
}

interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<object | null>;
}

let ownNavigator = false;

/** Sets navigator.gpu (Node 20 has no navigator; Node ≥ 21 has one without gpu). */
function installNavigatorGpu(gpu: DawnGpu): void {
  const scope = globalThis as { navigator?: object };
  if (scope.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
    ownNavigator = true;
  }
  Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
}

/** Drops navigator.gpu again, so that Dawn no longer keeps the process alive. */
function removeNavigatorGpu(): void {
  const scope = globalThis as { navigator?: { gpu?: unknown } };
  if (ownNavigator) {
    delete scope.navigator;
    ownNavigator = false;
  } else if (scope.navigator !== undefined) {
    delete scope.navigator.gpu;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Makes 'webgpu' the tfjs backend, in this process; Dawn may take `timeoutMs` to answer. */
export async function startTfjsWebgpu(timeoutMs: number): Promise<Attempt> {
  const tf = await loadTf();
  if (tf.engine().registry['webgpu'] === undefined) {
    try {
      const dawn = (await importOptional(DAWN_PACKAGE)) as DawnModule;
      const gpu = dawn.create([]);
      const adapter = await withTimeout(gpu.requestAdapter({ powerPreference: 'high-performance' }), timeoutMs, 'Dawn');
      if (adapter === null) return { ok: false, detail: 'Dawn found no GPU adapter in this process' };
      // tfjs-backend-webgpu reads navigator.gpu when imported, and uses the GPU* constants.
      const scope = globalThis as Record<string, unknown>;
      for (const [key, value] of Object.entries(dawn.globals)) if (!(key in scope)) scope[key] = value;
      installNavigatorGpu(gpu);
      await importOptional(WEBGPU_BACKEND_PACKAGE);
      const factory = tf.findBackendFactory('webgpu');
      if (!factory) throw new Error(`${WEBGPU_BACKEND_PACKAGE} did not register its backend`);
      // Build the backend here, so that a failure comes back as a reason, not as tfjs's printed stack.
      const backend = await factory();
      tf.removeBackend('webgpu');
      tf.registerBackend('webgpu', () => backend, 3);
    } catch (error) {
      removeNavigatorGpu();
      return { ok: false, detail: `the GPU device did not start (${message(error)})` };
    }
  }
  try {
    if (!(await activate('webgpu'))) return { ok: false, detail: "tfjs refused its 'webgpu' backend" };
  } catch (error) {
    return { ok: false, detail: `the webgpu backend did not start (${message(error)})` };
  }
  return { ok: true, detail: 'WebGPU via Dawn' };
}
