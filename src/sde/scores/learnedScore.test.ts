/**
 * learnScore on a 2-D Gaussian p0 = N(μ, σ² I) under VP-linear (0.1, 20),
 * whose diffused score is exact:
 *
 *   p_t = N(a μ, (a² σ² + s²) I),   ∇log p_t(x) = −(x − a μ) / (a² σ² + s²).
 *
 * The error E_{x~p_t} ‖ŝ − ∇log p_t‖² of the learned score is measured on
 * fresh exact samples of p_t and compared with that of the zero score,
 * E ‖∇log p_t‖² = dim / (a² σ² + s²).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { NormalSampler, rngFromSeed } from '../_internals/random.js';
import { vpLinear } from '../schedules/vpLinear.js';
import { measureScoreError } from './approximateScores.js';
import { learnScore, type LearnScoreResult } from './learnedScore.js';
import type { Score } from './Score.js';

const schedule = vpLinear({ betaMin: 0.1, betaMax: 20 });
const dim = 2;
const mu = [1.5, -1];
const sigma = 0.5;

const sampleP0 = (n: number, seed: number): Float64Array => {
  const out = new NormalSampler(rngFromSeed(seed)).fill(new Float64Array(n * dim)); // [n, dim]
  for (let i = 0; i < n * dim; i++) out[i] = (mu[i % dim] ?? 0) + sigma * (out[i] ?? 0);
  return out;
};

const exactScore: Score = {
  dim,
  evaluate(x, n, t, out) {
    const a = schedule.mean(t);
    const variance = a * a * sigma * sigma + schedule.std(t) ** 2;
    for (let i = 0; i < n * dim; i++) out[i] = -((x[i] ?? 0) - a * (mu[i % dim] ?? 0)) / variance;
  },
};

/** m exact samples of p_t, [m, dim]. */
function samplesAt(t: number, m: number, seed: number): Float64Array {
  const a = schedule.mean(t);
  const sd = Math.sqrt(a * a * sigma * sigma + schedule.std(t) ** 2);
  const out = new NormalSampler(rngFromSeed(seed)).fill(new Float64Array(m * dim));
  for (let i = 0; i < m * dim; i++) out[i] = a * (mu[i % dim] ?? 0) + sd * (out[i] ?? 0);
  return out;
}

const zeroScore: Score = { dim, evaluate: (_x, n, _t, out) => out.fill(0, 0, n * dim) };

describe('learnScore (DSM, tfjs)', () => {
  let trained: LearnScoreResult;

  beforeAll(async () => {
    trained = await learnScore({ schedule, sampleP0, dim, steps: 1500, batch: 256, learningRate: 2e-3, seed: 7 });
  }, 120_000);

  it('trains on the wasm backend and the loss decreases', () => {
    expect(trained.backend).toBe('wasm');
    expect(trained.score.backend).toBe('wasm');
    const { first, last, history } = trained.losses;
    expect(history).toHaveLength(15);
    expect(Number.isFinite(first) && Number.isFinite(last)).toBe(true);
    // The first batch sees the initial weights (loss ≈ 2.9); the DSM optimum for this target is ≈ 0.345.
    expect(last).toBeLessThan(0.8 * first);
    // Input [x, t, sin/cos of 4 frequencies] = dim + 9 features; layers (dim + 9)→64→64→dim.
    expect(trained.params.inputDim).toBe(dim + 9);
    expect(trained.params.count).toBe((dim + 9) * 64 + 64 + 64 * 64 + 64 + 64 * dim + dim);
  });

  it('learns the score: error well below the zero score at t = 0.3 and 0.7', () => {
    for (const [t, seed] of [[0.3, 101], [0.7, 202]] as const) {
      const xs = samplesAt(t, 4000, seed);
      const learned = measureScoreError(trained.score, exactScore, xs, t);
      const zero = measureScoreError(zeroScore, exactScore, xs, t);
      // zero ≈ dim / (a²σ² + s²): 2.8 at t = 0.3, 2.0 at t = 0.7.
      expect(zero).toBeGreaterThan(1.5);
      expect(learned).toBeLessThan(0.05);
      expect(learned).toBeLessThan(0.02 * zero);
    }
  });

  it('evaluate leaks no tensors', () => {
    const xs = samplesAt(0.5, 300, 3);
    const out = new Float64Array(xs.length);
    const before = tf.memory().numTensors;
    trained.score.evaluate(xs, 300, 0.5, out);
    trained.score.evaluate(xs, 300, 0.2, out);
    expect(tf.memory().numTensors).toBe(before);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('same seed gives identical losses; another seed differs; training leaks nothing', async () => {
    const before = tf.memory().numTensors;
    const run = (seed: number) => learnScore({ schedule, sampleP0, dim, steps: 20, batch: 64, seed, lossEvery: 5 });
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b.losses.first).toBe(a.losses.first);
    expect(b.losses.history).toEqual(a.losses.history);
    expect(b.params.layers[0]?.weight).toEqual(a.params.layers[0]?.weight);
    expect(c.losses.first).not.toBe(a.losses.first);
    for (const r of [a, b, c]) r.score.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
