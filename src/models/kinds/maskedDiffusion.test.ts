/**
 * The masked-diffusion kind on wasm: the MDLM loss equals a hand computation
 * (1/t-weighted masked cross-entropy summed per row, averaged over rows),
 * frozen positions are never masked, and on a toy conditional task (frozen
 * input bits b0..b3, answers b0 ⊕ b1 and b2 ⊕ b3) the loss decreases and
 * S-step unmasking fills every [MASK] and gets the answers right; no leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { Trainer } from '../training/index.js';
import { MaskedDiffusionLM, type DiffusionBatch, type Masking } from './index.js';
import { useWasmBackend } from '../_internals/wasmTestSetup.testing.js';

const ZERO = 0;
const ONE = 1;
const MASK = 2;
const VOCAB = 3;
const INPUTS = 4;

const track = useWasmBackend();

/** "b0 b1 b2 b3 (b0 ⊕ b1) (b2 ⊕ b3)" for n in [0, 16); the four bits are frozen. */
function example(n: number): { tokens: number[]; frozen: number[] } {
  const b = [3, 2, 1, 0].map((k) => (n >> k) & 1);
  const tokens = [...b, b[0]! ^ b[1]!, b[2]! ^ b[3]!].map((x) => (x === 1 ? ONE : ZERO));
  return { tokens, frozen: tokens.map((_, i) => (i < INPUTS ? 1 : 0)) };
}

/** All 16 inputs, each `copies` times. */
function batchOf(copies: number): DiffusionBatch {
  const ex = Array.from({ length: 16 * copies }, (_, k) => example(k % 16));
  return { tokens: ex.map((e) => e.tokens), frozen: ex.map((e) => e.frozen) };
}

const PROMPTS = Array.from({ length: 16 }, (_, n) => example(n));
const S = 2;

/** Fraction of the 32 answer positions that S-step unmasking of the 16 prompts gets right (checks every mask is filled). */
function answerAccuracy(lm: MaskedDiffusionLM, order: 'random' | 'confidence', decode: 'greedy' | 'sample'): number {
  const out = lm.sampleBatch(
    PROMPTS.map((p) => p.tokens.map((x, i) => (i < INPUTS ? x : MASK))),
    PROMPTS.map((p) => p.frozen),
    { steps: S, order, decode, seed: 3 },
  );
  let right = 0;
  out.forEach((row, n) => {
    expect(row).not.toContain(MASK);
    expect(row.slice(0, INPUTS)).toEqual(PROMPTS[n]!.tokens.slice(0, INPUTS));
    for (let i = INPUTS; i < 6; i++) if (row[i] === PROMPTS[n]!.tokens[i]) right += 1;
  });
  return right / (16 * 2);
}

const tiny = { vocabSize: VOCAB, contextLength: 8, layers: 2, dModel: 32, heads: 4, seed: 5 } as const;

describe('MaskedDiffusionLM', () => {
  it('loss is (1/B) Σ_b (1/t_b) Σ_masked cross-entropy (hand computation)', () => {
    const lm = track(new MaskedDiffusionLM({ backbone: tiny, maskToken: MASK }));
    const batch = batchOf(1);
    const batch3: DiffusionBatch = { tokens: batch.tokens.slice(0, 3), frozen: batch.frozen.slice(0, 3) };
    const masking: Masking = {
      times: [0.5, 0.25, 0.9],
      masked: [
        [0, 0, 0, 0, 1, 1],
        [0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0],
      ],
    };
    const noisy = batch3.tokens.map((row, b) => row.map((x, i) => (masking.masked[b]![i] === 1 ? MASK : x)));
    const z = lm.logits(noisy);
    const values = z.dataSync();
    z.dispose();
    let total = 0;
    batch3.tokens.forEach((row, b) => {
      let rowSum = 0;
      row.forEach((token, i) => {
        if (masking.masked[b]![i] !== 1) return;
        const logits = Array.from(values.subarray((b * 6 + i) * VOCAB, (b * 6 + i + 1) * VOCAB));
        const max = Math.max(...logits);
        rowSum += max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0)) - logits[token]!;
      });
      total += rowSum / masking.times[b]!;
    });
    const loss = tf.tidy(() => lm.lossWithMasking(batch3, masking).dataSync()[0]!);
    expect(loss).toBeCloseTo(total / 3, 4);
    // Everything frozen: nothing is ever masked and the loss is 0.
    const allFrozen = { ...batch3, frozen: batch3.tokens.map((r) => r.map(() => 1)) };
    expect(lm.evaluationLoss(allFrozen, 7)).toBe(0);
    expect(() => lm.loss({ ...batch3, tokens: [[MASK, 0, 0, 0, 0, 0], ...batch3.tokens.slice(1)] })).toThrow(/MASK/);
    expect(() => new MaskedDiffusionLM({ backbone: tiny, maskToken: VOCAB })).toThrow(/maskToken/);
    expect(() => new MaskedDiffusionLM({ backbone: { ...tiny, attention: 'causal' }, maskToken: MASK })).toThrow(/bidirectional/);
  });

  it('masks with rate 1 − α(t) and never masks frozen positions', () => {
    const lm = track(new MaskedDiffusionLM({ backbone: tiny, maskToken: MASK }));
    const batch = batchOf(64);
    const m = lm.drawMasking(batch);
    let expected = 0;
    let got = 0;
    m.masked.forEach((row, b) => {
      row.forEach((x, i) => {
        if (batch.frozen[b]![i] === 1) expect(x).toBe(0);
      });
      expected += 2 * (1 - 1e-3) * m.times[b]!;
      got += row[4]! + row[5]!;
    });
    expect(m.times.every((t) => t > 0 && t < 1)).toBe(true);
    expect(Math.abs(got - expected) / expected).toBeLessThan(0.1);
  });

  it('trains on the xor task: loss falls, frozen never masked, S-step sampling fills every mask and answers ≥ 0.9', async () => {
    const lm = track(new MaskedDiffusionLM({ backbone: tiny, maskToken: MASK }));
    const spy = vi.spyOn(lm, 'drawMasking');
    const train = batchOf(2);
    const evalBatch = batchOf(8);
    const trainer = track(
      new Trainer(lm, { next: () => ({ batch: train, tokens: 32 * 6 }) }, {
        schedule: { peakLr: 1e-2, warmupSteps: 20, minLr: 1e-3 },
        budget: { steps: 400 },
        evaluation: { every: 25, metric: () => Math.min(answerAccuracy(lm, 'confidence', 'greedy'), answerAccuracy(lm, 'random', 'sample')),
          threshold: 1,
        },
      }),
    );
    trainer.step();
    const start = tf.memory().numTensors;
    const lossBefore = lm.evaluationLoss(evalBatch, 11);
    const started = performance.now();
    const result = await trainer.run();
    const seconds = (performance.now() - started) / 1000;
    const lossAfter = lm.evaluationLoss(evalBatch, 11);

    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(result.steps);
    let maskedAnswers = 0;
    spy.mock.results.forEach((r, k) => {
      const batch = spy.mock.calls[k]![0];
      const masking = r.value as Masking;
      masking.masked.forEach((row, b) =>
        row.forEach((x, i) => {
          if (batch.frozen[b]![i] === 1) expect(x).toBe(0);
          else maskedAnswers += x;
        }),
      );
    });
    expect(maskedAnswers).toBeGreaterThan(0);
    spy.mockRestore();

    const greedyConfidence = answerAccuracy(lm, 'confidence', 'greedy');
    const greedyRandom = answerAccuracy(lm, 'random', 'greedy');
    const sampledRandom = answerAccuracy(lm, 'random', 'sample');
    console.info(
      `MaskedDiffusionLM xor: ${result.steps} steps in ${seconds.toFixed(1)} s, eval loss ${lossBefore.toFixed(3)} → ${lossAfter.toFixed(4)}, ` +
        `answer acc (S = ${S}) confidence/greedy ${greedyConfidence.toFixed(3)}, random/greedy ${greedyRandom.toFixed(3)}, random/sample ${sampledRandom.toFixed(3)}`,
    );
    expect(result.status).not.toBe('diverged');
    expect(lossAfter).toBeLessThan(0.3 * lossBefore);
    expect(greedyConfidence).toBeGreaterThanOrEqual(0.9);
    expect(greedyRandom).toBeGreaterThanOrEqual(0.9);
    expect(sampledRandom).toBeGreaterThanOrEqual(0.9);
    // Same seed, same samples; one-row sample() agrees with the batch.
    const row = lm.sample(PROMPTS[6]!.tokens, PROMPTS[6]!.frozen, { steps: S, order: 'random', decode: 'sample', seed: 9 });
    expect(row).toEqual(lm.sample(PROMPTS[6]!.tokens, PROMPTS[6]!.frozen, { steps: S, order: 'random', decode: 'sample', seed: 9 }));
    expect(row).not.toContain(MASK);

    lm.evaluationLoss(evalBatch, 1);
    tf.tidy(() => lm.loss(train)).dispose();
    trainer.step();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('sample with one step reveals every position at once; with more steps than masks it still fills all', () => {
    const lm = track(new MaskedDiffusionLM({ backbone: tiny, maskToken: MASK }));
    const start = tf.memory().numTensors;
    const p = example(9);
    const forwards = vi.spyOn(lm.transformer, 'forward');
    expect(lm.sample(p.tokens, p.frozen, { steps: 1 })).not.toContain(MASK);
    expect(forwards).toHaveBeenCalledTimes(1);
    forwards.mockClear();
    expect(lm.sample(p.tokens, p.frozen, { steps: 5, order: 'random' })).not.toContain(MASK);
    expect(forwards).toHaveBeenCalledTimes(2);
    forwards.mockRestore();
    expect(() => lm.sample(p.tokens, p.frozen, { steps: 0 })).toThrow(/steps/);
    expect(tf.memory().numTensors).toBe(start);
  });
});
