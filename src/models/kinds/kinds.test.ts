/**
 * The model kinds on wasm: the causal LM's masked next-token loss (equal to a
 * hand computation; blind to unmasked positions), greedy decoding, teacher-
 * forced evaluation, training on a toy answer-only task to held-out accuracy,
 * the tagged model's per-position loss and training, and no tensor leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Trainer } from '../training/index.js';
import { CausalLM, TaggedLM, type DecodeExample, type LMBatch, type TaggedBatch } from './index.js';
import { useWasmBackend } from '../_internals/wasmTestSetup.testing.js';

const PAD = 0;
const BOS = 1;
const ZERO = 2;
const ONE = 3;
const ANS = 4;
const EOS = 5;
const VOCAB = 6;

const track = useWasmBackend();

/** The 6 bits of n, most significant first. */
function bits(n: number): number[] {
  return [5, 4, 3, 2, 1, 0].map((k) => (n >> k) & 1);
}

/** "<bos> b0..b5 <ans> (b0 ⊕ b1 ⊕ b2) <eos>": bits b3..b5 are distractors; loss on the answer and <eos>. */
function xorExample(n: number): { tokens: number[]; targets: number[]; example: DecodeExample } {
  const b = bits(n);
  const answer = (b[0]! ^ b[1]! ^ b[2]!) === 1 ? ONE : ZERO;
  const prompt = [BOS, ...b.map((x) => (x === 1 ? ONE : ZERO)), ANS];
  const tokens = [...prompt, answer, EOS];
  const targets = tokens.map((_, j) => (j >= prompt.length ? 1 : 0));
  return { tokens, targets, example: { prompt, expected: [answer, EOS] } };
}

/** 48 training and 16 held-out inputs out of 64, split by a fixed permutation. */
const ORDER = Array.from({ length: 64 }, (_, i) => (i * 37 + 11) % 64);
const TRAIN = ORDER.slice(0, 48).map(xorExample);
const HELD_OUT = ORDER.slice(48).map(xorExample);

function lmBatch(examples: { tokens: number[]; targets: number[] }[]): LMBatch {
  return { tokens: examples.map((e) => e.tokens), targets: examples.map((e) => e.targets) };
}

const tiny = { vocabSize: VOCAB, contextLength: 16, layers: 2, dModel: 32, heads: 4, seed: 3 } as const;

describe('CausalLM', () => {
  it('loss is the mean next-token cross-entropy over masked positions (hand computation)', () => {
    const lm = track(new CausalLM(tiny));
    const batch: LMBatch = {
      tokens: [
        [BOS, ONE, ZERO, ANS, ONE, EOS, PAD],
        [BOS, ZERO, ANS, ZERO, EOS, PAD, PAD],
      ],
      targets: [
        [0, 0, 0, 0, 1, 1, 0],
        [0, 0, 0, 1, 1, 0, 0],
      ],
    };
    const z = lm.logits(batch.tokens);
    const values = z.dataSync();
    z.dispose();
    let total = 0;
    let count = 0;
    batch.tokens.forEach((row, b) =>
      row.forEach((token, j) => {
        if (batch.targets[b]![j] !== 1) return;
        const base = (b * 7 + (j - 1)) * VOCAB;
        const logits = Array.from(values.subarray(base, base + VOCAB));
        const max = Math.max(...logits);
        const logSum = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
        total += logSum - logits[token]!;
        count += 1;
      }),
    );
    const loss = tf.tidy(() => lm.loss(batch).dataSync()[0]!);
    expect(loss).toBeCloseTo(total / count, 5);
    expect(lm.evaluationLoss(batch)).toBeCloseTo(total / count, 5);
  });

  it('unmasked target positions do not change the loss; masked ones do', () => {
    const lm = track(new CausalLM(tiny));
    const base: LMBatch = {
      tokens: [[BOS, ONE, ZERO, ANS, ONE, EOS, PAD, PAD]],
      targets: [[0, 0, 0, 0, 1, 1, 0, 0]],
    };
    const value = (b: LMBatch): number => tf.tidy(() => lm.loss(b).dataSync()[0]!);
    const reference = value(base);
    // Positions 6 and 7 are unmasked targets after every masked one: change them freely.
    const changedTail: LMBatch = { ...base, tokens: [[BOS, ONE, ZERO, ANS, ONE, EOS, ONE, ANS]] };
    expect(value(changedTail)).toBe(reference);
    // Unmask the answer and the loss moves; so does changing a masked token.
    expect(value({ ...base, targets: [[0, 0, 0, 0, 0, 1, 0, 0]] })).not.toBe(reference);
    expect(value({ ...base, tokens: [[BOS, ONE, ZERO, ANS, ZERO, EOS, PAD, PAD]] })).not.toBe(reference);
  });

  it('rejects a mask on position 0, non-0/1 masks, ragged rows and bidirectional attention', () => {
    const lm = track(new CausalLM(tiny));
    expect(() => lm.loss({ tokens: [[BOS, ONE]], targets: [[1, 1]] })).toThrow(/position 0/);
    expect(() => lm.loss({ tokens: [[BOS, ONE]], targets: [[0, 2]] })).toThrow(/0 or 1/);
    expect(() => lm.loss({ tokens: [[BOS, ONE]], targets: [[0, 1, 1]] })).toThrow(/entries/);
    expect(() => new CausalLM({ ...tiny, attention: 'bidirectional' })).toThrow(/causal/);
  });

  it('greedyDecode stops at the stop token, at maxNew and at the context length', () => {
    const lm = track(new CausalLM({ ...tiny, contextLength: 8 }));
    const out = lm.greedyDecode([BOS, ONE], 3, EOS);
    expect(out.length).toBeGreaterThan(0);
    expect(out.length).toBeLessThanOrEqual(3);
    if (out.includes(EOS)) expect(out.indexOf(EOS)).toBe(out.length - 1);
    expect(lm.greedyDecode([BOS, ONE, ONE, ONE, ONE, ONE, ONE], 10, EOS).length).toBeLessThanOrEqual(1);
    expect(() => lm.greedyDecode([], 3, EOS)).toThrow(/prompt length/);
  });

  it('greedyDecodeBatch gives, row by row, what greedyDecode gives', () => {
    // Random weights produce varied continuations, some hitting EOS early.
    for (const seed of [1, 2, 3]) {
      const lm = track(new CausalLM({ ...tiny, contextLength: 10, seed }));
      const prompts = [[BOS, ONE, ONE], [BOS, ONE, BOS], [BOS, BOS, ONE], [ONE, ONE, ONE]];
      const batch = lm.greedyDecodeBatch(prompts, 5, EOS);
      prompts.forEach((p, i) => expect(batch[i]).toEqual(lm.greedyDecode(p, 5, EOS)));
    }
  });

  it('trains on <bos> bits <ans> xor <eos> with the Trainer and decodes held-out answers', async () => {
    const lm = track(new CausalLM(tiny));
    const train = lmBatch(TRAIN);
    const trainer = track(
      new Trainer(lm, { next: () => ({ batch: train, tokens: 48 * 10 }) }, {
        schedule: { peakLr: 3e-3, warmupSteps: 20, minLr: 3e-4 },
        budget: { steps: 400 },
        evaluation: {
          every: 50,
          metric: () => lm.evaluate(train).sequenceAccuracy,
          threshold: 1,
        },
      }),
    );
    const before = lm.evaluate(lmBatch(HELD_OUT));
    const started = performance.now();
    const result = await trainer.run();
    const seconds = (performance.now() - started) / 1000;
    const heldOut = lm.evaluate(lmBatch(HELD_OUT));
    const decoded = lm.decodeAccuracy(
      HELD_OUT.map((e) => e.example),
      EOS,
    );
    console.info(
      `CausalLM xor: ${result.steps} steps in ${seconds.toFixed(1)} s (${result.status}), loss ${result.lossFirst.toFixed(3)} → ${result.lossLast.toFixed(4)}, ` +
        `held-out token acc ${before.tokenAccuracy.toFixed(2)} → ${heldOut.tokenAccuracy.toFixed(3)}, greedy answer acc ${decoded.toFixed(3)}`,
    );
    expect(result.status).not.toBe('diverged');
    expect(result.lossLast).toBeLessThan(0.2 * result.lossFirst);
    expect(heldOut.positions).toBe(32);
    expect(heldOut.tokenAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(decoded).toBeGreaterThanOrEqual(0.95);
  });

  it('evaluate counts masked positions and whole sequences', () => {
    const lm = track(new CausalLM(tiny));
    const e = lm.evaluate(lmBatch(HELD_OUT.slice(0, 4)));
    expect(e.positions).toBe(8);
    expect(e.sequences).toBe(4);
    expect(e.tokenAccuracy).toBeGreaterThanOrEqual(0);
    expect(e.tokenAccuracy).toBeLessThanOrEqual(1);
    expect(e.sequenceAccuracy).toBeLessThanOrEqual(e.tokenAccuracy + 1e-9);
  });

  it('leaks no tensors in loss, evaluate, greedyDecode or training steps', () => {
    const lm = track(new CausalLM(tiny));
    const batch = lmBatch(TRAIN.slice(0, 8));
    const trainer = track(new Trainer(lm, { next: () => ({ batch, tokens: 80 }) }, { schedule: { peakLr: 1e-3 }, budget: { steps: 10 } }));
    trainer.step();
    const start = tf.memory().numTensors;
    tf.tidy(() => lm.loss(batch)).dispose();
    lm.evaluate(batch);
    lm.evaluationLoss(batch);
    lm.greedyDecode(TRAIN[0]!.example.prompt, 2, EOS);
    lm.decodeAccuracy([TRAIN[0]!.example], EOS);
    trainer.step();
    trainer.step();
    expect(tf.memory().numTensors).toBe(start);
  });
});

/** Tagging: label[i] = bit[i] ⊕ bit[i−1] over "<bos> b0..b5" (label 0 at <bos>, bit[−1] = 0). */
function tagExample(n: number): { tokens: number[]; labels: number[] } {
  const b = bits(n);
  return { tokens: [BOS, ...b.map((x) => (x === 1 ? ONE : ZERO))], labels: [0, ...b.map((x, i) => x ^ (i === 0 ? 0 : b[i - 1]!))] };
}

function tagBatch(ns: number[]): TaggedBatch {
  const ex = ns.map(tagExample);
  return { tokens: ex.map((e) => e.tokens), labels: ex.map((e) => e.labels) };
}

describe('TaggedLM', () => {
  it('averages the per-position loss over the mask and ignores unmasked labels', () => {
    const tagger = track(new TaggedLM({ backbone: tiny, labels: 2 }));
    const batch = tagBatch([5, 9]);
    const value = (b: TaggedBatch): number => tf.tidy(() => tagger.loss(b).dataSync()[0]!);
    const z = tagger.labelLogits(batch.tokens);
    expect(z.shape).toEqual([2, 7, 2]);
    const values = z.dataSync();
    z.dispose();
    let total = 0;
    batch.labels.forEach((row, b) =>
      row.forEach((y, i) => {
        const [z0 = 0, z1 = 0] = values.subarray((b * 7 + i) * 2, (b * 7 + i) * 2 + 2);
        const max = Math.max(z0, z1);
        total += max + Math.log(Math.exp(z0 - max) + Math.exp(z1 - max)) - (y === 0 ? z0 : z1);
      }),
    );
    expect(value(batch)).toBeCloseTo(total / 14, 5);
    const mask = batch.tokens.map((row) => row.map((_, i) => (i < 3 ? 1 : 0)));
    const flipped = batch.labels.map((row) => row.map((y, i) => (i < 3 ? y : 1 - y)));
    expect(value({ ...batch, mask, labels: flipped })).toBe(value({ ...batch, mask }));
    expect(() => tagger.loss({ ...batch, labels: batch.labels.map((r) => r.map(() => 2)) })).toThrow(/outside/);
    expect(() => new TaggedLM({ backbone: { ...tiny, tieWeights: true }, labels: 2 })).toThrow(/untied/);
  });

  it('builds a bidirectional tagger whose label vocabulary exceeds the input vocabulary', () => {
    const tagger = track(new TaggedLM({ backbone: { ...tiny, attention: 'bidirectional' }, labels: 9 }));
    expect(tagger.transformer.config.attention).toBe('bidirectional');
    const predicted = tagger.predict([[BOS, ONE, ZERO]]);
    expect(predicted[0]).toHaveLength(3);
    expect(predicted[0]!.every((y) => y >= 0 && y < 9)).toBe(true);
    expect(() => tagger.predict([[BOS, 7]])).toThrow(/outside/);
  });

  it('trains a causal tagger to held-out per-position accuracy ≥ 0.95 without leaks', async () => {
    const tagger = track(new TaggedLM({ backbone: tiny, labels: 2 }));
    const train = tagBatch(ORDER.slice(0, 48));
    const heldOut = tagBatch(ORDER.slice(48));
    const trainer = track(
      new Trainer(tagger, { next: () => ({ batch: train, tokens: 48 * 7 }) }, {
        schedule: { peakLr: 3e-3, warmupSteps: 20, minLr: 3e-4 },
        budget: { steps: 300 },
        evaluation: { every: 50, metric: () => tagger.evaluate(train).sequenceAccuracy, threshold: 1 },
      }),
    );
    trainer.step();
    const start = tf.memory().numTensors;
    const started = performance.now();
    const result = await trainer.run();
    const seconds = (performance.now() - started) / 1000;
    const e = tagger.evaluate(heldOut);
    console.info(
      `TaggedLM xor-neighbour: ${result.steps} steps in ${seconds.toFixed(1)} s (${result.status}), ` +
        `held-out position acc ${e.positionAccuracy.toFixed(3)}, sequence acc ${e.sequenceAccuracy.toFixed(3)}`,
    );
    expect(tf.memory().numTensors).toBe(start);
    expect(e.positions).toBe(16 * 7);
    expect(e.positionAccuracy).toBeGreaterThanOrEqual(0.95);
  });
});
