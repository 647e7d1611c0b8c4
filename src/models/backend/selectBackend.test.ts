/**
 * Backend selection: 'auto' takes the fastest backend that starts and says
 * why; a forced backend that cannot start throws a one-line error.
 */
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from './BackendUnavailableError.js';
import { selectBackend } from './selectBackend.js';
import { loadTf } from './tfRuntime.js';

/** Whether a native tfjs-node build is importable here (it is not on the reference machine). */
async function nativeInstalled(): Promise<boolean> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      import.meta.resolve(pkg);
      return true;
    } catch {
      // not resolvable: try the next one
    }
  }
  return false;
}

describe('selectBackend', () => {
  it("'auto' picks tensorflow when installed, else wasm, and says why", async () => {
    const native = await nativeInstalled();
    const selected = await selectBackend('auto');
    const tf = await loadTf();
    expect(selected.name).toBe(native ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(selected.name);
    expect(selected.reason).toMatch(/^auto: /);
    if (!native) expect(selected.reason).toContain('@tensorflow/tfjs-node is not installed');
    expect(selected.reason).not.toContain('\n');
  });

  it('a forced unavailable tensorflow throws a one-line BackendUnavailableError naming the fix', async () => {
    if (await nativeInstalled()) return;
    const error = await selectBackend('tensorflow').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackendUnavailableError);
    const e = error as BackendUnavailableError;
    expect(e.backend).toBe('tensorflow');
    expect(e.message).toMatch(/^backend tensorflow is not available: /);
    expect(e.message).toContain('@tensorflow/tfjs-node is not installed');
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
});
