/**
 * Backend selection: 'auto' takes the fastest backend that starts and says
 * why; a forced backend that cannot start throws a one-line error; the
 * optional backends (native tensorflow, webgpu) fail cleanly when absent or
 * broken, and leave wasm selectable.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BackendUnavailableError } from './BackendUnavailableError.js';
import {
  probeDawnAdapter,
  probeNativePackage,
  selectBackend,
  tryWebgpu,
  type WebgpuEnvironment,
} from './selectBackend.js';
import { loadTf } from './tfRuntime.js';

const NATIVE = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

/** Whether a native tfjs-node build is usable here (it is not on the reference machine). */
function nativeInstalled(): boolean {
  return NATIVE.some((pkg) => probeNativePackage(pkg).ok);
}

/** The rejection of a promise that must reject. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('selectBackend', () => {
  it("'auto' picks tensorflow when installed, else wasm (never webgpu), and says why", async () => {
    const native = nativeInstalled();
    const selected = await selectBackend('auto');
    const tf = await loadTf();
    expect(selected.name).toBe(native ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(selected.name);
    expect(selected.reason).toMatch(/^auto: /);
    if (!native) {
      expect(selected.reason).toMatch(/@tensorflow\/tfjs-node (is not installed|is installed without its native addon)/);
    }
    expect(selected.reason).not.toContain('webgpu');
    expect(selected.reason).not.toContain('\n');
  });

  it('a forced unavailable tensorflow throws a one-line BackendUnavailableError naming the fix', async () => {
    if (nativeInstalled()) return;
    const error = await rejection(selectBackend('tensorflow'));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const e = error as BackendUnavailableError;
    expect(e.backend).toBe('tensorflow');
    expect(e.message).toMatch(/^backend tensorflow is not available: /);
    expect(e.message).toMatch(/@tensorflow\/tfjs-node (is not installed|is installed without its native addon)/);
    expect(e.message).toContain('--backend wasm');
    expect(e.message).not.toContain('\n');
  });

  it('forces cpu and wasm, switching the process-wide backend', async () => {
    const tf = await loadTf();
    const cpu = await selectBackend('cpu');
    expect(cpu).toEqual({ name: 'cpu', reason: expect.stringMatching(/^forced \(--backend cpu\)/) });
    expect(tf.getBackend()).toBe('cpu');
    const wasm = await selectBackend('wasm');
    expect(wasm.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
  });

  it('a forced webgpu without a usable GPU fails in one line naming the fix, quietly, and wasm is selectable after', async () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    const consoleError = vi.spyOn(console, 'error');
    try {
      const outcome = await selectBackend('webgpu').then(
        (selected) => ({ selected }),
        (error: unknown) => ({ error }),
      );
      if ('selected' in outcome) {
        // A machine with a GPU (and Vulkan): webgpu is a real backend here.
        expect(outcome.selected.name).toBe('webgpu');
        expect((await loadTf()).getBackend()).toBe('webgpu');
      } else {
        expect(outcome.error).toBeInstanceOf(BackendUnavailableError);
        const e = outcome.error as BackendUnavailableError;
        expect(e.backend).toBe('webgpu');
        expect(e.message).toMatch(/^backend webgpu is not available: /);
        expect(e.message).not.toContain('\n');
        expect(e.message).not.toMatch(/\bat .+:\d+:\d+/); // no stack frame
        expect(e.message).toMatch(/is not installed|Vulkan loader libvulkan\.so\.1|no GPU adapter|Dawn|GPU device/);
        expect(e.message).toMatch(/libvulkan1|npm install/);
        expect(e.message).toContain('--backend wasm');
        if (process.platform === 'linux' && !/is not installed/.test(e.message)) {
          expect(e.message).toContain('install libvulkan1 and a GPU driver');
        }
        expect(warn).not.toHaveBeenCalled();
        expect(log).not.toHaveBeenCalled();
        expect(consoleError).not.toHaveBeenCalled();
      }
    } finally {
      warn.mockRestore();
      log.mockRestore();
      consoleError.mockRestore();
    }
    const wasm = await selectBackend('wasm');
    expect(wasm.name).toBe('wasm');
    const tf = await loadTf();
    expect(tf.getBackend()).toBe('wasm');
    expect(Array.from(await tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).data())).toEqual([3, 3, 3, 3]);
  });
});

describe('probeNativePackage (the optional native packages)', () => {
  const root = mkdtempSync(join(tmpdir(), 'depthlab-native-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('says "not installed" when npm dropped the failed optional dependency', () => {
    expect(probeNativePackage('@tensorflow/tfjs-node', () => undefined)).toEqual({
      ok: false,
      detail: '@tensorflow/tfjs-node is not installed',
    });
  });

  it('says "installed without its native addon" when the install script did not run or failed', () => {
    const dir = join(root, 'half');
    mkdirSync(join(dir, 'lib', 'napi-v8'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{}');
    const probe = probeNativePackage('@tensorflow/tfjs-node-gpu', () => dir);
    expect(probe).toEqual({
      ok: false,
      detail:
        '@tensorflow/tfjs-node-gpu is installed without its native addon (its install script did not download libtensorflow)',
    });
  });

  it('accepts a package whose addon is in place, and reports a resolver failure in one line', () => {
    const dir = join(root, 'whole');
    mkdirSync(join(dir, 'lib', 'napi-v8'), { recursive: true });
    writeFileSync(join(dir, 'lib', 'napi-v8', 'tfjs_binding.node'), '');
    expect(probeNativePackage('@tensorflow/tfjs-node', () => dir)).toEqual({ ok: true });
    const broken = probeNativePackage('@tensorflow/tfjs-node', () => {
      throw new Error('EACCES: permission denied\n    at somewhere (file.js:1:1)');
    });
    expect(broken).toEqual({
      ok: false,
      detail: '@tensorflow/tfjs-node cannot be resolved (EACCES: permission denied)',
    });
  });

  it('this machine: each native package is usable, or skipped with a one-line reason', () => {
    for (const pkg of NATIVE) {
      const probe = probeNativePackage(pkg);
      if (!probe.ok) expect(probe.detail).toMatch(new RegExp(`^${pkg} (is not installed|is installed without)`));
    }
  });
});

describe('tryWebgpu (each cause of failure, on a fake machine)', () => {
  /** A machine with everything in place and a GPU; each test breaks one part. */
  function machine(overrides: Partial<WebgpuEnvironment> = {}): WebgpuEnvironment {
    return {
      platform: 'linux',
      isInstalled: () => true,
      vulkanLoaderProblem: () => undefined,
      probeAdapter: async () => ({ kind: 'adapter', description: 'nvidia hopper' }),
      startTfjsBackend: async () => ({ ok: true, detail: 'WebGPU via Dawn' }),
      ...overrides,
    };
  }

  it('names the missing package and the npm fix', async () => {
    const attempt = await tryWebgpu(machine({ isInstalled: (pkg) => pkg !== 'webgpu' }));
    expect(attempt).toEqual({
      ok: false,
      detail: 'webgpu is not installed',
      fix: expect.stringMatching(/npm install.*--backend wasm$/),
    });
    const backendMissing = await tryWebgpu(machine({ isInstalled: (pkg) => pkg === 'webgpu' }));
    expect(backendMissing).toMatchObject({ ok: false, detail: '@tensorflow/tfjs-backend-webgpu is not installed' });
  });

  it('checks the Vulkan loader on Linux only, before asking Dawn for an adapter', async () => {
    const probeAdapter = vi.fn();
    const noVulkan = machine({ vulkanLoaderProblem: () => 'the Vulkan loader libvulkan.so.1 is missing', probeAdapter });
    expect(await tryWebgpu(noVulkan)).toEqual({ ok: false, detail: 'the Vulkan loader libvulkan.so.1 is missing' });
    expect(probeAdapter).not.toHaveBeenCalled();
    const mac = await tryWebgpu(machine({ platform: 'darwin', vulkanLoaderProblem: () => 'never asked' }));
    expect(mac.ok).toBe(true);
  });

  it("says when Dawn finds no adapter (in Dawn's words) or fails, and then starts nothing", async () => {
    const startTfjsBackend = vi.fn();
    const none = machine({ probeAdapter: async () => ({ kind: 'none', dawnLog: 'vkCreateInstance: Found no drivers!' }), startTfjsBackend });
    expect(await tryWebgpu(none)).toEqual({ ok: false, detail: 'Dawn found no GPU adapter (vkCreateInstance: Found no drivers!)' });
    const silent = machine({ probeAdapter: async () => ({ kind: 'none', dawnLog: '' }), startTfjsBackend });
    expect(await tryWebgpu(silent)).toEqual({
      ok: false,
      detail: 'Dawn found no GPU adapter (no GPU, or no Vulkan driver for it)',
    });
    const failed = machine({ probeAdapter: async () => ({ kind: 'failed', detail: 'Dawn did not answer within 30 s' }), startTfjsBackend });
    expect(await tryWebgpu(failed)).toEqual({ ok: false, detail: 'Dawn did not answer within 30 s' });
    expect(startTfjsBackend).not.toHaveBeenCalled();
  });

  it('starts the tfjs backend once an adapter exists, and names the adapter', async () => {
    expect(await tryWebgpu(machine())).toEqual({ ok: true, detail: 'WebGPU via Dawn on nvidia hopper' });
    const refused = await tryWebgpu(machine({ startTfjsBackend: async () => ({ ok: false, detail: 'no device' }) }));
    expect(refused).toEqual({ ok: false, detail: 'no device' });
  });
});

describe('probeDawnAdapter (the child process that asks Dawn for an adapter)', () => {
  const root = mkdtempSync(join(tmpdir(), 'depthlab-dawn-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** A fake 'webgpu' module whose requestAdapter runs `body`. */
  function fakeDawn(name: string, body: string): string {
    const file = join(root, `${name}.mjs`);
    writeFileSync(file, `export const globals = {};\nexport function create() { return { requestAdapter: async () => { ${body} } }; }\n`);
    return pathToFileURL(file).href;
  }

  it("reports no adapter with Dawn's warnings as one line, without stack frames", async () => {
    const url = fakeDawn(
      'none',
      `process.stderr.write('Warning: vkCreateInstance: Found no drivers!\\nWarning: vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER\\n    at CheckVkSuccessImpl (VulkanError.cpp:106)\\n'); return null;`,
    );
    expect(await probeDawnAdapter(url, 20_000)).toEqual({
      kind: 'none',
      dawnLog: 'vkCreateInstance: Found no drivers!; vkCreateInstance failed with VK_ERROR_INCOMPATIBLE_DRIVER',
    });
  });

  it('describes an adapter', async () => {
    const url = fakeDawn('adapter', `return { info: { vendor: 'nvidia', architecture: 'hopper', device: '', description: '' } };`);
    expect(await probeDawnAdapter(url, 20_000)).toEqual({ kind: 'adapter', description: 'nvidia hopper' });
  });

  it('turns a throw, a crash and a hang into one-line failures', async () => {
    const thrown = fakeDawn('throws', `throw new Error('no suitable backends found\\nAvailable adapters: none');`);
    expect(await probeDawnAdapter(thrown, 20_000)).toEqual({
      kind: 'failed',
      detail: 'the webgpu package (Dawn) failed (no suitable backends found)',
    });
    const crash = fakeDawn('crash', `process.kill(process.pid, 'SIGSEGV'); await new Promise(() => {});`);
    expect(await probeDawnAdapter(crash, 20_000)).toEqual({
      kind: 'failed',
      detail: 'Dawn crashed looking for an adapter (SIGSEGV)',
    });
    const hang = fakeDawn('hang', `await new Promise(() => setInterval(() => {}, 1000));`);
    expect(await probeDawnAdapter(hang, 1_500)).toEqual({ kind: 'failed', detail: 'Dawn did not answer within 1.5 s' });
    const missing = pathToFileURL(join(root, 'absent.mjs')).href;
    const absent = await probeDawnAdapter(missing, 20_000);
    expect(absent).toMatchObject({ kind: 'failed', detail: expect.stringMatching(/^the webgpu package \(Dawn\) failed \(Cannot find module/) });
  });
});
