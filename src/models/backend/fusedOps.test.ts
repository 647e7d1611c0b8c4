/**
 * The fused ops and their WebAssembly heap kernels (fusedOps.ts,
 * heapKernels.ts) on the wasm backend: each equals tfjs's plain ops in value
 * and gradient (up to float32 rounding), on the kernel's shapes and on the
 * shapes that fall back, and leaves no tensor behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attention, embedding, gelu, heapKernelsAvailable, layerNorm, linear, setHeapKernelsEnabled, transpose2d } from './fusedOps.js';
import { selectBackend } from './selectBackend.js';
import { geluSigmoid } from './wasmKernels.js';

/** Runs `body` and asserts it leaves tf.memory().numTensors unchanged. */
function noLeak(body: () => void): void {
  const before = tf.memory().numTensors;
  body();
  expect(tf.memory().numTensors).toBe(before);
}

/** max |a − b| / max(1, max |b|). */
function relDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let d = 0;
  let scale = 1;
  for (let i = 0; i < x.length; i++) {
    d = Math.max(d, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return d / scale;
}

/** Value and gradients of Σ w ⊙ f(inputs) for f and its reference g, compared. */
function compare(f: (...xs: tf.Tensor[]) => tf.Tensor, g: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], tolerance: number, seed = 9): void {
  tf.tidy(() => {
    const shape = g(...inputs).shape;
    const w = tf.randomNormal(shape, 0, 1, 'float32', seed);
    const loss = (h: (...xs: tf.Tensor[]) => tf.Tensor) => (...xs: tf.Tensor[]) => tf.sum(tf.mul(h(...xs), w));
    expect(relDiff(f(...inputs), g(...inputs))).toBeLessThan(tolerance);
    const gf = tf.grads(loss(f))(inputs);
    const gg = tf.grads(loss(g))(inputs);
    gf.forEach((t, i) => expect(relDiff(t, gg[i]!), `gradient ${i}`).toBeLessThan(tolerance));
  });
}

const normal = (shape: number[], seed: number, scale = 1): tf.Tensor => tf.mul(tf.randomNormal(shape, 0, 1, 'float32', seed), scale);

/** The additive mask: −1e9 above the diagonal (causal) or 0 everywhere. */
function maskOf(t: number, causal: boolean): tf.Tensor2D {
  const m = new Float32Array(t * t);
  if (causal) for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) m[i * t + j] = -1e9;
  return tf.tensor2d(m, [t, t]);
}

/** softmax(QKᵀ/√e + M)·V per head with tf.matMul on 3-D tensors; qkv [B, t, 3d]. */
function plainAttention(qkv: tf.Tensor, mask: tf.Tensor, heads: number): tf.Tensor {
  const [batch = 0, t = 0, width = 0] = qkv.shape;
  const d = width / 3;
  const e = d / heads;
  const split = (y: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(y, [batch, t, heads, e]), [0, 2, 1, 3]), [batch * heads, t, e]);
  const [q, k, v] = tf.split(qkv, 3, 2) as [tf.Tensor, tf.Tensor, tf.Tensor];
  const scores = tf.add(tf.matMul(tf.mul(split(q), 1 / Math.sqrt(e)), split(k), false, true), mask);
  const out = tf.matMul(tf.softmax(scores), split(v));
  return tf.reshape(tf.transpose(tf.reshape(out, [batch, heads, t, e]), [0, 2, 1, 3]), [batch, t, d]);
}

function plainLayerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const mean = tf.mean(x, -1, true);
  const centered = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centered), -1, true);
  return tf.add(tf.mul(tf.mul(centered, tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
}

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

afterEach(() => setHeapKernelsEnabled(true));

describe('heap kernels', () => {
  it('instantiate on the wasm backend and can be switched off', () => {
    expect(heapKernelsAvailable()).toBe(true);
    setHeapKernelsEnabled(false);
    expect(heapKernelsAvailable()).toBe(false);
  });
});

describe('transpose2d', () => {
  it('equals tf.transpose on kernel shapes (strips of 4 and 16 rows) and fallback shapes', () => {
    noLeak(() => {
      for (const shape of [[4, 4], [8, 12], [32, 16], [48, 20], [64, 128], [5, 7], [3, 8]]) {
        tf.tidy(() => {
          const x = normal(shape, shape[0]!);
          expect(Array.from(transpose2d(x).dataSync())).toEqual(Array.from(tf.transpose(x).dataSync()));
          expect(transpose2d(x).shape).toEqual([shape[1], shape[0]]);
        });
      }
    });
  });
});

describe('linear', () => {
  it('equals matMul + add in value and gradient, for k < n, k > n, k = n, odd sizes, 2-D and 3-D inputs', () => {
    noLeak(() => {
      for (const [k, n, lead] of [[16, 48, [2, 5]], [48, 16, [7]], [12, 12, [3, 4]], [5, 3, [2, 3]], [32, 4, [64]]] as const) {
        tf.tidy(() => {
          const x = normal([...lead, k], k);
          const w = normal([k, n], n);
          const b = normal([n], 1);
          const ref = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
            tf.add(tf.reshape(tf.matMul(tf.reshape(xi, [-1, k]), wi), [...lead, n]), bi);
          compare(linear, ref, [x, w, b], 1e-5);
          compare((xi, wi) => linear(xi, wi), (xi, wi) => tf.reshape(tf.matMul(tf.reshape(xi, [-1, k]), wi), [...lead, n]), [x, w], 1e-5);
        });
      }
    });
  });

  it('stays right when its weight and input were right operands of another product under another shape (XNNPACK pitfall d)', () => {
    noLeak(() => {
      tf.tidy(() => {
        // k ≤ n, so the weight gradient multiplies by (a copy of) x on the right.
        const x = normal([6, 4], 1);
        const w = normal([4, 8], 2);
        const expected = tf.matMul(x, tf.clone(w));
        const gwExpected = tf.matMul(tf.transpose(x), tf.ones([6, 8]));
        // Each used once as a right operand under another shape (once is safe for tfjs itself).
        tf.matMul(tf.ones([2, 8]), tf.reshape(w, [8, 4])).dataSync();
        tf.matMul(tf.ones([3, 8]), tf.reshape(x, [8, 3])).dataSync();
        expect(relDiff(linear(x, w), expected)).toBeLessThan(1e-6);
        const [gw] = tf.grads((wi: tf.Tensor) => tf.sum(linear(x, wi)))([w]);
        expect(relDiff(gw!, gwExpected)).toBeLessThan(1e-6);
      });
    });
  });

  it('rejects mismatched shapes with one line', () => {
    tf.tidy(() => {
      expect(() => linear(tf.ones([2, 3]), tf.ones([4, 5]))).toThrow(/linear: expects x \[\.\.\., k\]/);
    });
  });
});

describe('layerNorm', () => {
  it('equals the plain formula in value and gradient (kernel d, fallback d)', () => {
    noLeak(() => {
      for (const [lead, d] of [[[3, 7], 16], [[64], 128], [[2, 3], 6]] as const) {
        tf.tidy(() => {
          const x = tf.add(normal([...lead, d], d, 3), 1.5);
          const gamma = normal([d], 2);
          const beta = normal([d], 3);
          compare((a, g, b) => layerNorm(a, g, b, 1e-5), plainLayerNorm, [x, gamma, beta], 2e-5);
        });
      }
    });
  });
});

describe('gelu', () => {
  it('equals geluSigmoid in value and gradient over [−20, 20] (and falls back for odd sizes)', () => {
    noLeak(() => {
      tf.tidy(() => {
        const grid = tf.linspace(-20, 20, 4001);
        compare(gelu, geluSigmoid, [grid], 2e-6);
        compare(gelu, geluSigmoid, [normal([4, 64, 12], 5, 2)], 2e-6);
        compare(gelu, geluSigmoid, [normal([3, 3], 6)], 1e-7);
      });
    });
  });
});

describe('embedding', () => {
  it('equals tf.gather in value and gradient, and throws on an id outside the table', () => {
    noLeak(() => {
      tf.tidy(() => {
        const table = normal([11, 16], 7);
        const ids = tf.tensor2d([[0, 3, 3, 10], [1, 0, 9, 3]], [2, 4], 'int32');
        expect(Array.from(embedding(table, ids).dataSync())).toEqual(Array.from(tf.gather(table, ids).dataSync()));
        compare((t) => embedding(t, ids), (t) => tf.gather(t, ids), [table], 1e-6);
        expect(() => embedding(table, tf.tensor1d([0, 11], 'int32')).dataSync()).toThrow(/outside \[0, 11\)/);
      });
    });
  });
});

describe('attention', () => {
  const cases: [number, number, number, number, boolean][] = [
    // batch, t, d, heads, causal: head sizes 4 and 8 (one-vector kernel), 16 and 32 (four-vector kernel); t below, at and above 16
    [2, 12, 16, 4, true],
    [2, 5, 32, 4, false],
    [3, 16, 64, 4, true],
    [2, 33, 32, 1, false],
    [2, 20, 64, 2, true],
    [1, 64, 128, 4, true],
  ];
  for (const [batch, t, d, heads, causal] of cases) {
    it(`equals plain softmax attention in value and gradient: B ${batch}, t ${t}, d ${d}, ${heads} heads, ${causal ? 'causal' : 'bidirectional'}`, () => {
      noLeak(() => {
        tf.tidy(() => {
          const qkv = normal([batch, t, 3 * d], t + d, 1.5);
          const mask = maskOf(t, causal);
          compare((x) => attention(x, mask, heads), (x) => plainAttention(x, mask, heads), [qkv], 2e-5);
        });
      });
    });
  }

  it('falls back to plain ops where the head size is not a multiple of 4, with the same result', () => {
    noLeak(() => {
      tf.tidy(() => {
        const qkv = normal([2, 7, 18], 3);
        const mask = maskOf(7, true);
        compare((x) => attention(x, mask, 3), (x) => plainAttention(x, mask, 3), [qkv], 2e-5);
      });
    });
  });

  it('under a causal mask, position i is exactly unchanged when keys after i change', () => {
    noLeak(() => {
      tf.tidy(() => {
        const t = 20;
        const base = normal([2, t, 48], 4);
        const later = tf.concat([tf.slice(base, [0, 0, 0], [2, 9, 48]), normal([2, t - 9, 48], 5)], 1);
        const mask = maskOf(t, true);
        const a = tf.slice(attention(base, mask, 2), [0, 0, 0], [2, 9, 16]).dataSync();
        const b = tf.slice(attention(later, mask, 2), [0, 0, 0], [2, 9, 16]).dataSync();
        expect(Array.from(b)).toEqual(Array.from(a));
      });
    });
  });

  it('gives the mask a zero gradient and rejects bad shapes', () => {
    tf.tidy(() => {
      const qkv = normal([1, 8, 24], 1);
      const mask = maskOf(8, false);
      const [gm] = tf.grads((m: tf.Tensor) => tf.sum(attention(qkv, m, 2)))([mask]);
      expect(Array.from(gm!.dataSync()).every((v) => v === 0)).toBe(true);
      expect(() => attention(qkv, maskOf(7, false), 2)).toThrow(/attention: expects qkv/);
    });
  });
});

describe('plain path', () => {
  it('gives the same values with the kernels switched off', () => {
    noLeak(() => {
      tf.tidy(() => {
        const qkv = normal([2, 12, 48], 8);
        const mask = maskOf(12, true);
        const x = normal([2, 12, 16], 9);
        const g = normal([16], 10);
        const b = normal([16], 11);
        const w = normal([16, 32], 12);
        const on = [attention(qkv, mask, 2), layerNorm(x, g, b, 1e-5), gelu(x), linear(x, w, tf.zeros([32]))];
        setHeapKernelsEnabled(false);
        const off = [attention(qkv, mask, 2), layerNorm(x, g, b, 1e-5), gelu(x), linear(x, w, tf.zeros([32]))];
        on.forEach((t, i) => expect(relDiff(t, off[i]!), `op ${i}`).toBeLessThan(2e-6));
      });
    });
  });
});
