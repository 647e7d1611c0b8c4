/**
 * The training loop on the wasm backend: learning, clipping, AdamW decay,
 * divergence, early stopping, budgets, and flat memory over 2,000 steps.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { learningRate } from './schedule.js';
import { logisticProblem, snapshot, type ToyProblem } from './toyModels.testing.js';
import { Trainer, clipByGlobalNorm, type BatchSource, type TrainableModel } from './Trainer.js';
import { useWasmBackend } from '../_internals/wasmTestSetup.testing.js';

const track = useWasmBackend();

/** A one-variable model whose loss the test controls. */
function scalarModel(init: number[], loss: (w: tf.Variable, step: number) => tf.Scalar): {
  model: TrainableModel<number>;
  source: BatchSource<number>;
  w: tf.Variable;
} {
  const w = track(tf.variable(tf.tensor1d(init)));
  return { w, model: { variables: () => [w], loss: (step) => loss(w, step) }, source: { next: (step) => ({ batch: step, tokens: 1 }) } };
}

describe('Trainer', () => {
  it('runs on wasm and lowers the loss of a learnable problem', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const p: ToyProblem = track(logisticProblem());
    const trainer = track(new Trainer(p.model, p.source, { schedule: { peakLr: 0.05, warmupSteps: 10 }, budget: { steps: 300 } }));
    const accBefore = p.accuracy();
    const result = await trainer.run();
    expect(result.status).toBe('completed');
    expect(result.steps).toBe(300);
    expect(result.tokens).toBe(300 * 32);
    expect(result.history).toHaveLength(300);
    expect(result.lossLast).toBeLessThan(0.5 * result.lossFirst);
    expect(p.accuracy()).toBeGreaterThan(Math.max(0.9, accBefore));
    expect(result.history[0]!.lr).toBeCloseTo(0.005, 10);
    expect(result.history[9]!.lr).toBeCloseTo(0.05, 10);
  });

  it('clipByGlobalNorm bounds the global norm and keeps the direction', () => {
    const grads = [tf.tensor1d([3, 0]), tf.tensor2d([[0, 4]])]; // global norm 5
    const { clipped, norm } = clipByGlobalNorm(grads, 1);
    expect(norm).toBeCloseTo(5, 5);
    expect(Array.from(clipped[0]!.dataSync())).toEqual([expect.closeTo(0.6, 6), 0]);
    expect(Array.from(clipped[1]!.dataSync())).toEqual([0, expect.closeTo(0.8, 6)]);
    const loose = clipByGlobalNorm(grads, 10);
    expect(Array.from(loose.clipped[0]!.dataSync())).toEqual([3, 0]);
    tf.dispose([...grads, ...clipped, ...loose.clipped]);
  });

  it('clipping bounds the applied update', async () => {
    // Adam's first update is Δθ_i = η·g_i/(|g_i| + ε) (bias-corrected m̂ = g,
    // v̂ = g²), so |Δθ_i| ≤ η·|g_i|/ε and ‖Δθ‖ ≤ η·‖g‖/ε ≤ η·c/ε when clipping
    // at c; unclipped, a huge gradient moves each coordinate by ≈ η.
    const lr = 0.1;
    const eps = 10;
    const update = async (clipNorm: number): Promise<{ delta: number; gradNorm: number }> => {
      const { w, model, source } = scalarModel([1, -2, 3, 0.5], (v) => tf.mul(tf.sum(tf.square(v)), 1e4) as tf.Scalar);
      const before = snapshot([w])[0]!;
      const trainer = track(new Trainer(model, source, { epsilon: eps, clipNorm, schedule: { peakLr: lr }, budget: { steps: 1 } }));
      const result = await trainer.run();
      const after = snapshot([w])[0]!;
      return { delta: Math.hypot(...after.map((a, i) => a - before[i]!)), gradNorm: result.history[0]!.gradNorm };
    };
    const clipped = await update(1);
    const free = await update(Infinity);
    expect(clipped.gradNorm).toBeGreaterThan(1e4); // the raw gradient is large
    expect(clipped.delta).toBeLessThanOrEqual(((lr * 1) / eps) * 1.0001);
    expect(clipped.delta).toBeGreaterThan(0.5 * ((lr * 1) / eps));
    expect(free.gradNorm).toBeCloseTo(clipped.gradNorm, 0);
    expect(free.delta).toBeGreaterThan(10 * clipped.delta);
  });

  it('AdamW decay shrinks the weights when the gradients are zero; Adam leaves them', async () => {
    const zeroLoss = (v: tf.Variable) => tf.mul(tf.sum(v), 0) as tf.Scalar;
    const schedule = { peakLr: 0.1, warmupSteps: 2, minLr: 0.01 };
    const adamw = scalarModel([1, -2, 4], zeroLoss);
    const t1 = track(new Trainer(adamw.model, adamw.source, { optimizer: 'adamw', weightDecay: 0.5, schedule, budget: { steps: 20 } }));
    await t1.run();
    let factor = 1;
    for (let t = 0; t < 20; t++) factor *= 1 - 0.5 * learningRate(t, { ...schedule, totalSteps: 20 });
    const got = snapshot([adamw.w])[0]!;
    [1, -2, 4].forEach((v0, i) => expect(got[i]).toBeCloseTo(v0 * factor, 5));
    expect(factor).toBeLessThan(0.7);

    const adam = scalarModel([1, -2, 4], zeroLoss);
    const t2 = track(new Trainer(adam.model, adam.source, { optimizer: 'adam', schedule, budget: { steps: 20 } }));
    await t2.run();
    expect(Array.from(snapshot([adam.w])[0]!)).toEqual([1, -2, 4]);
  });

  it("stops with 'diverged' and the step on a NaN loss, without applying it", async () => {
    const { w, model, source } = scalarModel([1, 2], (v, step) =>
      tf.mul(tf.sum(tf.square(v)), step === 7 ? Number.NaN : 1) as tf.Scalar,
    );
    const trainer = track(new Trainer(model, source, { schedule: { peakLr: 0.01 }, budget: { steps: 100 } }));
    const result = await trainer.run();
    const before = snapshot([w])[0]!;
    expect(result.status).toBe('diverged');
    expect(result.steps).toBe(7);
    expect(result.divergence).toEqual({ step: 8, quantity: 'loss', value: Number.NaN });
    expect(Number.isFinite(result.lossLast)).toBe(true);
    expect(Array.from(before).every(Number.isFinite)).toBe(true);
  });

  it("stops with 'diverged' on an infinite gradient norm with a finite loss", async () => {
    // Value 0, gradient +Infinity everywhere.
    const infGrad = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
      save([x]);
      return { value: tf.mul(tf.sum(x), 0), gradFunc: (_dy: tf.Tensor, saved: tf.Tensor[]) => tf.fill(saved[0]!.shape, Infinity) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    const { model, source } = scalarModel([1, 2], (v, step) =>
      (step < 3 ? tf.sum(tf.square(v)) : (infGrad(v) as tf.Scalar)) as tf.Scalar,
    );
    const trainer = track(new Trainer(model, source, { schedule: { peakLr: 0.01 }, budget: { steps: 100 } }));
    const result = await trainer.run();
    expect(result.status).toBe('diverged');
    expect(result.steps).toBe(3);
    expect(result.divergence).toMatchObject({ step: 4, quantity: 'gradient norm' });
  });

  it('stops early once the validation metric reaches the threshold', async () => {
    const p = track(logisticProblem({ seed: 3 }));
    const seen: number[] = [];
    const trainer = track(
      new Trainer(p.model, p.source, {
        schedule: { peakLr: 0.05 },
        budget: { steps: 2000 },
        evaluation: {
          every: 10,
          threshold: 0.9,
          metric: (step) => {
            seen.push(step);
            return p.accuracy();
          },
        },
      }),
    );
    const result = await trainer.run();
    expect(result.status).toBe('early-stopped');
    expect(result.steps).toBeLessThan(2000);
    expect(result.steps % 10).toBe(0);
    const last = result.history[result.history.length - 1]!;
    expect(last.metric).toBeGreaterThanOrEqual(0.9);
    expect(seen).toEqual(Array.from({ length: result.steps / 10 }, (_, i) => 10 * (i + 1)));
    expect(result.history.filter((r) => r.metric !== undefined).slice(0, -1).every((r) => r.metric! < 0.9)).toBe(true);
  });

  it('respects a token budget (never exceeds it) and derives the schedule length from it', async () => {
    const p = track(logisticProblem({ batch: 32 }));
    const trainer = track(new Trainer(p.model, p.source, { schedule: { peakLr: 0.01 }, budget: { tokens: 1000 } }));
    const result = await trainer.run();
    expect(result.status).toBe('completed');
    expect(result.steps).toBe(31);
    expect(result.tokens).toBe(992);
    expect(result.history[30]!.lr).toBeCloseTo(learningRate(30, { peakLr: 0.01, warmupSteps: 0, minLr: 0, totalSteps: 31 }), 12);

    const sizes = [5, 7, 3, 9, 4];
    const { model, source: _unused } = scalarModel([1], (v) => tf.sum(tf.square(v)) as tf.Scalar);
    const uneven: BatchSource<number> = { next: (step) => ({ batch: step, tokens: sizes[step % sizes.length]! }) };
    const t2 = track(new Trainer(model, uneven, { schedule: { peakLr: 0.01, totalSteps: 10 }, budget: { tokens: 20 } }));
    const r2 = await t2.run();
    expect(r2.tokens).toBe(15); // 5 + 7 + 3; the next batch (9) would exceed 20
    expect(r2.steps).toBe(3);
  });

  it('keeps tf.memory().numTensors flat over 2,000 steps (AdamW, clipping, evaluation)', async () => {
    const p = track(logisticProblem({ seed: 5 }));
    const trainer = track(
      new Trainer(p.model, p.source, {
        optimizer: 'adamw',
        clipNorm: 0.05, // small enough that the clipping path runs
        schedule: { peakLr: 0.02, warmupSteps: 50, minLr: 0.001 },
        budget: { steps: 2000 },
        evaluation: { every: 100, threshold: 2, metric: () => p.accuracy() },
      }),
    );
    trainer.step(); // the first step creates Adam's moments
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    const result = await trainer.run();
    expect(result.status).toBe('completed');
    expect(result.steps).toBe(2000);
    expect(result.history.some((r) => r.gradNorm > 0.05)).toBe(true);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.memory().numBytes).toBe(bytes);
  });

  it('releases everything it owns on dispose', () => {
    const p = logisticProblem();
    const before = tf.memory().numTensors;
    const trainer = new Trainer(p.model, p.source, { schedule: { peakLr: 0.01 }, budget: { steps: 5 } });
    for (let i = 0; i < 3; i++) trainer.step();
    trainer.dispose();
    p.dispose();
    expect(tf.memory().numTensors).toBe(before - 4);
  });
});
