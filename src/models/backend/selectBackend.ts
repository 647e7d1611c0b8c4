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
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BackendUnavailableError, oneLine } from './BackendUnavailableError.js';
import { loadTf } from './tfRuntime.js';
import { registerWasmKernels } from './wasmKernels.js';

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

/** The native packages, in order of preference (GPU build first). */
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/** The two packages of the webgpu backend. */
const DAWN_PACKAGE = 'webgpu';
const WEBGPU_BACKEND_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

/** How long Dawn may take to answer requestAdapter before we give up. */
const ADAPTER_TIMEOUT_MS = 30_000;

/** A failed attempt may carry a fix more precise than FIXES[name]. */
type Attempt = { ok: true; detail: string } | { ok: false; detail: string; fix?: string };

const requireHere = createRequire(import.meta.url);

let wasmImport: Promise<unknown> | undefined;

function message(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

function isMissingModule(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

/** Imports an optional package by a variable specifier (it has no types here, and may be absent). */
async function importOptional(pkg: string): Promise<unknown> {
  const specifier: string = pkg;
  return import(specifier);
}

/** Makes `name` the tfjs backend; false when tfjs refuses it. */
async function activate(name: string): Promise<boolean> {
  const tf = await loadTf();
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) return false;
  await tf.ready();
  return tf.getBackend() === name;
}

/**
 * Runs `fn` with tfjs's own warnings off (its PROD flag, restored after):
 * importing a second native package re-registers ~150 kernels, each with a
 * console warning.
 */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const env = (await loadTf()).env();
  const before = env.getBool('PROD');
  env.set('PROD', true);
  try {
    return await fn();
  } finally {
    env.set('PROD', before);
  }
}

// ---------------------------------------------------------------- tensorflow

/** Where a package is installed: its folder, or undefined when it is not resolvable. */
export type ResolvePackageDir = (pkg: string) => string | undefined;

const resolvePackageDir: ResolvePackageDir = (pkg) => {
  try {
    return dirname(requireHere.resolve(`${pkg}/package.json`));
  } catch (error) {
    if (isMissingModule(error)) return undefined;
    throw error;
  }
};

/** Whether `lib/napi-v*\/tfjs_binding.node` exists under a tfjs-node package folder. */
function hasNativeAddon(packageDir: string): boolean {
  try {
    const lib = join(packageDir, 'lib');
    return readdirSync(lib, { withFileTypes: true }).some(
      (entry) =>
        entry.isDirectory() &&
        entry.name.startsWith('napi-v') &&
        readdirSync(join(lib, entry.name)).includes('tfjs_binding.node'),
    );
  } catch {
    return false;
  }
}

/**
 * Whether a native tfjs-node package can be imported, without importing it:
 * not installed (npm drops an optional dependency whose install failed), or
 * installed without its native addon (install scripts skipped, or the
 * libtensorflow download failed). Exported for its tests.
 */
export function probeNativePackage(
  pkg: string,
  resolveDir: ResolvePackageDir = resolvePackageDir,
): { ok: true } | { ok: false; detail: string } {
  let dir: string | undefined;
  try {
    dir = resolveDir(pkg);
  } catch (error) {
    return { ok: false, detail: `${pkg} cannot be resolved (${message(error)})` };
  }
  if (dir === undefined) return { ok: false, detail: `${pkg} is not installed` };
  if (!hasNativeAddon(dir)) {
    return {
      ok: false,
      detail: `${pkg} is installed without its native addon (its install script did not download libtensorflow)`,
    };
  }
  return { ok: true };
}

async function tryTensorflow(): Promise<Attempt> {
  const failures: string[] = [];
  for (const pkg of NATIVE_PACKAGES) {
    const probe = probeNativePackage(pkg);
    if (!probe.ok) {
      failures.push(probe.detail);
      continue;
    }
    try {
      // Registers the 'tensorflow' backend as a side effect.
      await quietly(() => importOptional(pkg));
    } catch (error) {
      failures.push(`${pkg} failed to load (${message(error)})`);
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

// -------------------------------------------------------------------- webgpu

/** The part of the 'webgpu' package (Dawn) used here. */
interface DawnModule {
  create(options: string[]): DawnGpu;
  globals: object;
}

interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<object | null>;
}

/** What a look for an adapter found: one (described), none (with Dawn's own words), or a failure. */
export type AdapterProbe =
  | { kind: 'adapter'; description: string }
  | { kind: 'none'; dawnLog: string }
  | { kind: 'failed'; detail: string };

/** What tryWebgpu needs from the machine; tests replace parts of it. */
export interface WebgpuEnvironment {
  platform: NodeJS.Platform;
  /** Whether a package is installed (without importing it). */
  isInstalled(pkg: string): boolean;
  /** Linux only: undefined when the Vulkan loader loads, else why not (one line). */
  vulkanLoaderProblem(): string | undefined;
  /** Asks Dawn for a high-performance adapter, within `timeoutMs`. */
  probeAdapter(timeoutMs: number): Promise<AdapterProbe>;
  /** Makes 'webgpu' the tfjs backend, in this process; an adapter is known to exist. */
  startTfjsBackend(timeoutMs: number): Promise<Attempt>;
  /** How long Dawn may take to answer (default 30 s). */
  adapterTimeoutMs?: number;
}

/**
 * Loads libvulkan.so.1 through the dynamic loader (process.dlopen searches
 * the same paths Dawn's dlopen does); "did not self-register" means it was
 * found (it is not a Node addon).
 */
function vulkanLoaderProblem(): string | undefined {
  try {
    process.dlopen({ exports: {} }, 'libvulkan.so.1');
    return undefined;
  } catch (error) {
    const text = message(error);
    if (/did not self-register/i.test(text)) return undefined;
    return /cannot open shared object file/i.test(text)
      ? 'the Vulkan loader libvulkan.so.1 is missing'
      : `the Vulkan loader libvulkan.so.1 does not load (${text})`;
  }
}

/** The marker of the probe's answer on its stdout (Dawn may print too). */
const PROBE_MARK = 'depthlab-dawn-probe ';

/** The probe, run by `node --input-type=module -e`: import Dawn, ask for an adapter, print one marked JSON line. */
function probeScript(dawnUrl: string): string {
  return `
let out;
try {
  const { create } = await import(${JSON.stringify(dawnUrl)});
  const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
  const info = (adapter && adapter.info) || {};
  const words = [info.vendor, info.architecture, info.device, info.description].filter((w) => typeof w === 'string' && w.length > 0);
  out = adapter ? { adapter: words.join(' ') || 'an unnamed adapter' } : { adapter: null };
} catch (error) {
  out = { error: String((error && error.message) || error).split('\\n')[0] };
}
process.stdout.write('\\n${PROBE_MARK}' + JSON.stringify(out) + '\\n');
process.exit(0);
`;
}

/** Dawn's warnings (stderr) as one short line: the 'Warning:'/'Error:' lines, without stack frames. */
function summariseDawnLog(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !/^at /.test(line))
    .map((line) => line.replace(/^(Warning|Error):\s*/i, '').replace(/^-\s+/, ''))
    .filter((line) => line.length > 0);
  const summary = [...new Set(lines)].slice(0, 2).join('; ');
  return summary.length > 200 ? `${summary.slice(0, 197)}...` : summary;
}

/**
 * Asks Dawn for an adapter in a child process, so that Dawn's native
 * warnings (stderr), a crash or a hang stay out of this process: the child's
 * stderr becomes a one-line reason, a crash a signal name, a hang a timeout.
 * `dawnUrl` is the module to import (the 'webgpu' package; tests pass fakes).
 * Exported for its tests.
 */
export function probeDawnAdapter(dawnUrl: string, timeoutMs: number): Promise<AdapterProbe> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', probeScript(dawnUrl)],
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 1 << 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const dawnLog = summariseDawnLog(stderr);
        const marked = stdout.split('\n').find((line) => line.startsWith(PROBE_MARK));
        if (marked === undefined) {
          const killed = (error as { killed?: boolean } | null)?.killed === true;
          const signal = (error as { signal?: string | null } | null)?.signal;
          const code = (error as { code?: unknown } | null)?.code;
          const why = killed
            ? `Dawn did not answer within ${timeoutMs / 1000} s`
            : signal
              ? `Dawn crashed looking for an adapter (${signal})`
              : `the Dawn probe gave no answer (exit code ${String(code ?? 0)})`;
          resolve({ kind: 'failed', detail: dawnLog ? `${why}: ${dawnLog}` : why });
          return;
        }
        try {
          const answer = JSON.parse(marked.slice(PROBE_MARK.length)) as { adapter?: string | null; error?: string };
          if (typeof answer.error === 'string') {
            resolve({ kind: 'failed', detail: `the webgpu package (Dawn) failed (${oneLine(answer.error)})` });
          } else if (typeof answer.adapter === 'string') {
            resolve({ kind: 'adapter', description: oneLine(answer.adapter) });
          } else {
            resolve({ kind: 'none', dawnLog });
          }
        } catch {
          resolve({ kind: 'failed', detail: 'the Dawn probe answered garbage' });
        }
      },
    );
  });
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

async function startTfjsWebgpu(timeoutMs: number): Promise<Attempt> {
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

const machineWebgpu: WebgpuEnvironment = {
  platform: process.platform,
  isInstalled: (pkg) => resolvePackageDir(pkg) !== undefined,
  vulkanLoaderProblem,
  probeAdapter: (timeoutMs) => {
    const dawnUrl = pathToFileURL(requireHere.resolve(DAWN_PACKAGE)).href;
    return probeDawnAdapter(dawnUrl, timeoutMs);
  },
  startTfjsBackend: startTfjsWebgpu,
};

const PACKAGES_FIX = `install the optional packages ${DAWN_PACKAGE} and ${WEBGPU_BACKEND_PACKAGE} (npm install without --omit=optional), or use --backend wasm`;

/**
 * The webgpu attempt, step by step, each failure a one-line cause: packages,
 * Vulkan loader (Linux), an adapter (asked in a child process), then tfjs's
 * backend in this process. Nothing in this process changes until an adapter
 * is known to exist. Exported for its tests (they pass a fake machine).
 */
export async function tryWebgpu(machine: WebgpuEnvironment = machineWebgpu): Promise<Attempt> {
  for (const pkg of [DAWN_PACKAGE, WEBGPU_BACKEND_PACKAGE]) {
    if (!machine.isInstalled(pkg)) return { ok: false, detail: `${pkg} is not installed`, fix: PACKAGES_FIX };
  }
  if (machine.platform === 'linux') {
    const problem = machine.vulkanLoaderProblem();
    if (problem !== undefined) return { ok: false, detail: problem };
  }
  const timeoutMs = machine.adapterTimeoutMs ?? ADAPTER_TIMEOUT_MS;
  const probe = await machine.probeAdapter(timeoutMs);
  if (probe.kind === 'failed') return { ok: false, detail: probe.detail };
  if (probe.kind === 'none') {
    return { ok: false, detail: `Dawn found no GPU adapter (${probe.dawnLog || 'no GPU, or no Vulkan driver for it'})` };
  }
  const started = await machine.startTfjsBackend(timeoutMs);
  return started.ok ? { ok: true, detail: `${started.detail} on ${probe.description}` } : started;
}

// ---------------------------------------------------------------- wasm, cpu

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
