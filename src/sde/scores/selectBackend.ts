/**
 * The tfjs backend of the learned score (learnedScore.ts): 'wasm' when its
 * WebAssembly binary starts, else 'cpu' — the two backends whose gradient
 * kernels cover the ops of the DSM loss ‖net_θ(x_t, t) − z‖².
 */
import { loadTf } from './_internals/loadTf.js';

export type LearnedScoreBackend = 'wasm' | 'cpu';

let wasmImport: Promise<unknown> | undefined;

/**
 * Makes `preferred` the tfjs backend, falling back to 'cpu' when the
 * WebAssembly one cannot start; returns the backend in use. The tfjs backend is
 * process-wide, so this also switches any other tfjs user of the process.
 */
export async function selectBackend(preferred: LearnedScoreBackend = 'wasm'): Promise<LearnedScoreBackend> {
  const tf = await loadTf();
  if (preferred === 'wasm') {
    try {
      // Registers the 'wasm' backend with tfjs-core as a side effect (once per process).
      wasmImport ??= import('@tensorflow/tfjs-backend-wasm');
      await wasmImport;
      if (tf.getBackend() === 'wasm' || (await tf.setBackend('wasm'))) {
        await tf.ready();
        if (tf.getBackend() === 'wasm') return 'wasm';
      }
    } catch {
      // The .wasm binary could not be found or compiled: fall through to 'cpu'.
    }
  }
  if (tf.getBackend() !== 'cpu' && !(await tf.setBackend('cpu'))) {
    throw new Error('learnScore: neither the wasm nor the cpu tfjs backend could be started');
  }
  await tf.ready();
  return 'cpu';
}
