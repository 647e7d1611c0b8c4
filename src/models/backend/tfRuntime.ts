/**
 * The lazily loaded tfjs module of src/models.
 *
 * tfjs costs about a second to start, so nothing in depthlab imports it
 * statically: `loadTf()` imports it on first use (selectBackend calls it), and
 * `tfNow()` hands the loaded module to synchronous code (the kernels and ops of
 * wasmKernels.ts, the models built on them), which only runs after a backend
 * has been selected. Both return the one process-wide module instance, the
 * same one a static `import * as tf from '@tensorflow/tfjs'` would give.
 */
import type * as TF from '@tensorflow/tfjs';

let loaded: typeof TF | undefined;
let loading: Promise<typeof TF> | undefined;

/** Imports tfjs once per process and returns it. */
export async function loadTf(): Promise<typeof TF> {
  if (loaded) return loaded;
  loading ??= import('@tensorflow/tfjs');
  loaded = await loading;
  return loaded;
}

/** The tfjs module, once `loadTf()` (or `selectBackend()`) has resolved; throws before. */
export function tfNow(): typeof TF {
  if (!loaded) {
    throw new Error('tfjs is not loaded yet: await selectBackend() (or loadTf()) before building tensors');
  }
  return loaded;
}

/**
 * The values of the tensor `compute` builds, with every intermediate freed.
 * Use this instead of returning `t.dataSync()` from tf.tidy: tidy walks what
 * its callback returns key by key, and on a typed array of n values that walk
 * costs O(n) property visits — seconds for a logits tensor.
 */
export function readTidy(compute: () => TF.Tensor): Float32Array | Int32Array | Uint8Array {
  const t = tfNow().tidy(compute);
  try {
    return t.dataSync();
  } finally {
    t.dispose();
  }
}

/** The current tfjs backend's name, or undefined when tfjs has not been loaded (nothing is loaded by asking). */
export function currentBackendName(): string | undefined {
  return loaded?.getBackend();
}
