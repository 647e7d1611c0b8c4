/**
 * Regression tests for the wasm pitfalls of tfjs 4.22 (issue 5, "Backends"),
 * run on the wasm backend itself. Each test checks that no tensor leaks.
 */
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './selectBackend.js';
import { freshRight, geluSigmoid, matMulT, oneHotFloat, registerWasmKernels, segmentSumHost } from './wasmKernels.js';

/** Runs `body` and asserts it leaves tf.memory().numTensors unchanged. */
function noLeak(body: () => void): void {
  const before = tf.memory().numTensors;
  body();
  expect(tf.memory().numTensors).toBe(before);
}

/** Row-major [m, k]·[k, n] in float64. */
function hostMatMul(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[i * k + p] ?? 0) * (b[p * n + j] ?? 0);
      out[i * n + j] = s;
    }
  }
  return out;
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  expect(x.length).toBe(y.length);
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs((x[i] ?? 0) - (y[i] ?? 0)));
  return d;
}

beforeAll(async () => {
  const selected = await selectBackend('wasm');
  expect(selected.name).toBe('wasm');
});

describe('wasm backend', () => {
  it('is the backend these tests run on', () => {
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('(a) UnsortedSegmentSum, the gradient of gather', () => {
  it('is registered on wasm, once', () => {
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
    expect(registerWasmKernels()).toEqual([]);
  });

  it('gives the scatter-add gradient of gather(embedding, ids)', () => {
    noLeak(() => {
      const vocab = 5;
      const dim = 3;
      const ids = [0, 3, 3, 1, 0, 3, 4]; // 2 never appears, 3 appears three times
      const upstream = Array.from({ length: ids.length * dim }, (_, i) => Math.sin(i + 1));
      const grad = tf.tidy(() => {
        const embedding = tf.randomNormal([vocab, dim], 0, 1, 'float32', 7);
        const idsT = tf.tensor1d(ids, 'int32');
        const dy = tf.tensor2d(upstream, [ids.length, dim]);
        const g = tf.grad((e: tf.Tensor) => tf.sum(tf.mul(tf.gather(e, idsT), dy)))(embedding);
        expect(g.shape).toEqual([vocab, dim]);
        return Array.from(g.dataSync());
      });
      const byHand = new Array<number>(vocab * dim).fill(0);
      ids.forEach((id, i) => {
        for (let j = 0; j < dim; j++) byHand[id * dim + j]! += upstream[i * dim + j]!;
      });
      expect(maxAbsDiff(grad, byHand)).toBeLessThan(1e-6);
      expect(grad.slice(2 * dim, 3 * dim)).toEqual([0, 0, 0]);
    });
  });

  it('handles [batch, seq] ids (an embedding lookup) and drops out-of-range ids on the host side', () => {
    noLeak(() => {
      const grad = tf.tidy(() => {
        const embedding = tf.ones([4, 2]);
        const ids = tf.tensor2d([[0, 1, 1], [3, 1, 0]], [2, 3], 'int32'); // [batch, seq]
        return Array.from(tf.grad((e: tf.Tensor) => tf.sum(tf.gather(e, ids)))(embedding).dataSync());
      });
      expect(grad).toEqual([2, 2, 3, 3, 0, 0, 1, 1]);
    });
    expect(Array.from(segmentSumHost([1, 2, 3], [0, 5, -1], 2, 1))).toEqual([1, 0]);
  });
});

describe('(b) oneHotFloat', () => {
  it('reads back exactly 1 and 0 on wasm, whatever a float32 oneHot gives', () => {
    noLeak(() => {
      const indices = [0, 2, 1];
      const [plain, safe, dtype] = tf.tidy(() => {
        const idx = tf.tensor1d(indices, 'int32');
        const p = Array.from(tf.oneHot(idx, 3, 1, 0, 'float32').dataSync());
        const s = oneHotFloat(idx, 3);
        return [p, Array.from(s.dataSync()), s.dtype] as const;
      });
      const expected = [1, 0, 0, 0, 0, 1, 0, 1, 0];
      // The pitfall as measured on tfjs 4.22: int32 bit patterns (1 → 1.4e-45).
      // If a later tfjs fixes it, the plain values become exact and only this note is stale.
      const pitfall = plain.every((v, i) => (expected[i] === 1 ? Math.abs(v - 1.401298464324817e-45) < 1e-50 : v === 0));
      expect(pitfall || maxAbsDiff(plain, expected) === 0).toBe(true);
      expect(dtype).toBe('float32');
      expect(safe).toEqual(expected);
    });
  });
});

describe('(c) matMulT', () => {
  it('equals tf.matMul in value and gradient, 2-D and with leading axes', () => {
    noLeak(() => {
      for (const aShape of [[5, 4], [2, 3, 4]]) {
        const diffs = tf.tidy(() => {
          const a = tf.randomNormal(aShape, 0, 1, 'float32', 1);
          const b = tf.randomNormal([4, 6], 0, 1, 'float32', 2);
          const w = tf.randomNormal([...aShape.slice(0, -1), 6], 0, 1, 'float32', 3);
          const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
            tf.sum(tf.mul(f(x, y), w));
          const ref = (x: tf.Tensor, y: tf.Tensor) =>
            x.rank === 2 ? tf.matMul(x, y) : tf.reshape(tf.matMul(tf.reshape(x, [-1, 4]), y), [...x.shape.slice(0, -1), 6]);
          const [ga, gb] = tf.grads(loss(matMulT))([a, b]);
          const [ra, rb] = tf.grads(loss(ref))([a, b]);
          return [
            maxAbsDiff(matMulT(a, b).dataSync(), ref(a, b).dataSync()),
            maxAbsDiff(ga!.dataSync(), ra!.dataSync()),
            maxAbsDiff(gb!.dataSync(), rb!.dataSync()),
          ];
        });
        for (const d of diffs) expect(d).toBeLessThan(1e-4);
      }
    });
  });

  it('equals tf.matMul in value and gradient for batched 3-D products', () => {
    noLeak(() => {
      const diffs = tf.tidy(() => {
        const a = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 4);
        const b = tf.randomNormal([3, 4, 2], 0, 1, 'float32', 5);
        const w = tf.randomNormal([3, 5, 2], 0, 1, 'float32', 6);
        const loss = (f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
          tf.sum(tf.mul(f(x, y), w));
        const [ga, gb] = tf.grads(loss(matMulT))([a, b]);
        const [ra, rb] = tf.grads(loss((x, y) => tf.matMul(x, y)))([a, b]);
        return [
          maxAbsDiff(matMulT(a, b).dataSync(), tf.matMul(a, b).dataSync()),
          maxAbsDiff(ga!.dataSync(), ra!.dataSync()),
          maxAbsDiff(gb!.dataSync(), rb!.dataSync()),
        ];
      });
      for (const d of diffs) expect(d).toBeLessThan(1e-4);
    });
  });

  it('matches central finite differences of a scalar loss', () => {
    noLeak(() => {
      const m = 3;
      const k = 4;
      const n = 2;
      const a0 = Array.from({ length: m * k }, (_, i) => Math.cos(i));
      const b0 = Array.from({ length: k * n }, (_, i) => Math.sin(2 * i + 1));
      const w0 = Array.from({ length: m * n }, (_, i) => (i % 3) - 1);
      const lossAt = (a: number[], b: number[]) =>
        hostMatMul(a, b, m, k, n).reduce((s, v, i) => s + v * v * (w0[i] ?? 0), 0); // Σ w·(ab)²
      const [ga, gb] = tf.tidy(() => {
        const w = tf.tensor2d(w0, [m, n]);
        const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.square(matMulT(x, y)), w));
        const g = tf.grads(f)([tf.tensor2d(a0, [m, k]), tf.tensor2d(b0, [k, n])]);
        return [Array.from(g[0]!.dataSync()), Array.from(g[1]!.dataSync())];
      });
      const h = 1e-5;
      const fd = (which: 'a' | 'b', i: number) => {
        const plus = which === 'a' ? [...a0] : [...b0];
        const minus = [...plus];
        plus[i]! += h;
        minus[i]! -= h;
        return which === 'a'
          ? (lossAt(plus, b0) - lossAt(minus, b0)) / (2 * h)
          : (lossAt(a0, plus) - lossAt(a0, minus)) / (2 * h);
      };
      a0.forEach((_, i) => expect(Math.abs(ga![i]! - fd('a', i))).toBeLessThan(1e-3));
      b0.forEach((_, i) => expect(Math.abs(gb![i]! - fd('b', i))).toBeLessThan(1e-3));
    });
  });
});

describe('(d) freshRight: XNNPACK caches the right operand by tensor id', () => {
  it('gives the right products when one tensor is the right operand under two reshapes', () => {
    noLeak(() => {
      const w0 = Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) - 5);
      const a0 = Array.from({ length: 12 }, (_, i) => (i % 5) - 2); // [3, 4]
      const b0 = Array.from({ length: 18 }, (_, i) => (i % 4) - 1.5); // [3, 6]
      const c0 = Array.from({ length: 16 }, (_, i) => (i % 3) - 1); // [2, 8]
      const [r1, r2, r3] = tf.tidy(() => {
        const w = tf.tensor2d(w0, [4, 6]);
        const first = tf.matMul(tf.tensor2d(a0, [3, 4]), w); // w as a right operand, [4, 6]
        const second = tf.matMul(tf.tensor2d(b0, [3, 6]), freshRight(tf.reshape(w, [6, 4])));
        const third = tf.matMul(tf.tensor2d(c0, [2, 8]), freshRight(tf.reshape(w, [8, 3])));
        return [first, second, third].map((t) => Array.from(t.dataSync()));
      });
      expect(r1).toEqual(hostMatMul(a0, w0, 3, 4, 6));
      expect(r2).toEqual(hostMatMul(b0, w0, 3, 6, 4));
      expect(r3).toEqual(hostMatMul(c0, w0, 2, 8, 3));
    });
  });

  it('is still needed: without it the installed tfjs-backend-wasm returns wrong values or crashes (child process)', () => {
    // The unsafe pattern corrupts the wasm heap, so it runs in a throw-away process.
    const script = `
      import * as tf from '@tensorflow/tfjs';
      import '@tensorflow/tfjs-backend-wasm';
      await tf.setBackend('wasm'); await tf.ready();
      const w = tf.tensor2d(Array.from({ length: 24 }, (_, i) => ((i * 7) % 11) - 5), [4, 6]);
      tf.matMul(tf.ones([3, 4]), w).dataSync();
      const bad = tf.matMul(tf.ones([3, 6]), tf.reshape(w, [6, 4])).dataSync();
      const good = tf.matMul(tf.ones([3, 6]), tf.reshape(tf.clone(w), [6, 4])).dataSync();
      console.log(bad.every((v, i) => v === good[i]) ? 'CORRECT' : 'WRONG');`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: process.cwd(),
      encoding: 'utf8',
      timeout: 15_000,
    });
    // Measured with tfjs-backend-wasm 4.22: the unsafe product aborts with a wasm RuntimeError.
    // When this fails with CORRECT printed, tfjs fixed the pitfall and freshRight may become a no-op.
    const wrong = child.stdout.includes('WRONG');
    const crashed = child.status !== 0 && /RuntimeError|Aborted/.test(child.stderr);
    expect(child.stdout.includes('CORRECT')).toBe(false);
    expect(wrong || crashed).toBe(true);
  });
});

describe('(e) geluSigmoid', () => {
  it('equals the tanh form of GELU to 1e-6', () => {
    noLeak(() => {
      const xs = Array.from({ length: 161 }, (_, i) => -4 + i * 0.05);
      const [viaSigmoid, viaTanh] = tf.tidy(() => {
        const x = tf.tensor1d(xs);
        const c = Math.sqrt(2 / Math.PI);
        const tanhForm = tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(c, tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
        return [Array.from(geluSigmoid(x).dataSync()), Array.from(tanhForm.dataSync())];
      });
      const exact = xs.map((x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))));
      expect(maxAbsDiff(viaSigmoid, viaTanh)).toBeLessThan(1e-6);
      expect(maxAbsDiff(viaSigmoid, exact)).toBeLessThan(1e-6);
    });
  });
});
