/**
 * Held-out bits per token of a causal model on wasm: equal to a hand sum of
 * the read-back log-softmax, to the exact bits of a bigram model whose
 * probabilities are known, log₂ V for a model with a zero unembedding (all
 * logits 0), independent of batching and of row order; no leaks.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { CausalLM, causalBitsPerToken, type CausalScorer } from './index.js';
import { useWasmBackend } from '../_internals/wasmTestSetup.testing.js';

const VOCAB = 5;
const BOS = 0;
const tiny = { vocabSize: VOCAB, contextLength: 12, layers: 2, dModel: 16, heads: 2, seed: 7 } as const;

const track = useWasmBackend();

/** Rows of varied lengths, each starting with <bos>. */
const ROWS: number[][] = [
  [BOS, 1, 2, 3, 4, 1, 2],
  [BOS, 4, 4, 3],
  [BOS, 2, 1, 2, 1, 3, 3],
  [BOS, 3],
  [BOS, 1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 1],
  [BOS, 4, 3, 2],
];

/** − Σ log₂ softmax(z[j−1])[x_j] over j ≥ given, from the logits read back one row at a time. */
function handBits(lm: CausalLM, rows: number[][], given: number): number[] {
  return rows.map((row) => {
    const z = lm.logits([row]);
    const values = z.dataSync();
    z.dispose();
    let nats = 0;
    for (let j = given; j < row.length; j++) {
      const logits = Array.from(values.subarray((j - 1) * VOCAB, j * VOCAB));
      const max = Math.max(...logits);
      const logSum = max + Math.log(logits.reduce((s, v) => s + Math.exp(v - max), 0));
      nats += logSum - logits[row[j]!]!;
    }
    return nats / Math.LN2;
  });
}

describe('causalBitsPerToken', () => {
  it('equals the hand sum of −log₂ p(x_j | x_<j) over the read-back log-softmax, for given = 1 and 2', () => {
    const lm = track(new CausalLM(tiny));
    for (const given of [1, 2]) {
      const expected = handBits(lm, ROWS, given);
      const tokens = ROWS.reduce((s, r) => s + r.length - given, 0);
      const got = causalBitsPerToken(lm, ROWS, { given, batchSize: 2 });
      expect(got.tokens).toBe(tokens);
      expect(got.sequences).toBe(ROWS.length);
      expect(got.standardError).toBe(0);
      got.perSequence.forEach((b, r) => expect(b).toBeCloseTo(expected[r]!, 4));
      expect(got.bitsPerToken).toBeCloseTo(expected.reduce((s, b) => s + b, 0) / tokens, 5);
    }
  });

  it('does not depend on batch size or on the order of the rows', () => {
    const lm = track(new CausalLM(tiny));
    const a = causalBitsPerToken(lm, ROWS, { batchSize: 1 });
    const b = causalBitsPerToken(lm, ROWS, { batchSize: 64 });
    const reversed = causalBitsPerToken(lm, [...ROWS].reverse(), { batchSize: 3 });
    expect(b.bitsPerToken).toBeCloseTo(a.bitsPerToken, 5);
    expect(reversed.bitsPerToken).toBeCloseTo(a.bitsPerToken, 5);
    expect([...reversed.perSequence].reverse().map((x) => x.toFixed(4))).toEqual(a.perSequence.map((x) => x.toFixed(4)));
  });

  it('is log₂ V per token exactly when every logit is 0 (zero unembedding)', () => {
    const lm = track(new CausalLM(tiny));
    const unembedding = lm.transformer.namedVariables().find(([name]) => name === 'unembedding')?.[1];
    expect(unembedding).toBeDefined();
    tf.tidy(() => unembedding!.assign(tf.zerosLike(unembedding!)));
    const got = causalBitsPerToken(lm, ROWS);
    expect(got.bitsPerToken).toBeCloseTo(Math.log2(VOCAB), 6);
    got.perSequence.forEach((b, r) => expect(b).toBeCloseTo((ROWS[r]!.length - 1) * Math.log2(VOCAB), 5));
  });

  it('gives the exact bits of a bigram model with known probabilities', () => {
    // P[a][b] = p(next = b | current = a), a random row-stochastic table.
    const P = Array.from({ length: VOCAB }, (_, a) => {
      const raw = Array.from({ length: VOCAB }, (_, b) => 1 + ((a * 7 + b * 3) % 5) + 0.25 * b);
      const sum = raw.reduce((s, v) => s + v, 0);
      return raw.map((v) => v / sum);
    });
    const bigram: CausalScorer = {
      transformer: { config: { vocabSize: VOCAB, contextLength: 16 } },
      // logits z[b, i] = log P[x_i] (any additive constant per position would do).
      logits: (tokens) => tf.tensor3d(tokens.map((row) => row.map((x) => P[x]!.map((p) => Math.log(p) + 3)))),
    };
    let bits = 0;
    let count = 0;
    for (const row of ROWS) {
      for (let j = 1; j < row.length; j++) {
        bits -= Math.log2(P[row[j - 1]!]![row[j]!]!);
        count += 1;
      }
    }
    const start = tf.memory().numTensors;
    const got = causalBitsPerToken(bigram, ROWS, { batchSize: 4 });
    expect(tf.memory().numTensors).toBe(start);
    expect(got.totalBits).toBeCloseTo(bits, 4);
    expect(got.bitsPerToken).toBeCloseTo(bits / count, 6);
  });

  it('rejects out-of-range tokens, rows longer than the context or shorter than given, and given < 1; leaks nothing', () => {
    const lm = track(new CausalLM(tiny));
    expect(() => causalBitsPerToken(lm, [[BOS, VOCAB]])).toThrow(/outside/);
    expect(() => causalBitsPerToken(lm, [new Array<number>(13).fill(1)])).toThrow(/contextLength/);
    expect(() => causalBitsPerToken(lm, [[BOS]], { given: 2 })).toThrow(/fewer than given/);
    expect(() => causalBitsPerToken(lm, ROWS, { given: 0 })).toThrow(/given/);
    expect(causalBitsPerToken(lm, []).bitsPerToken).toBeNaN();
    const start = tf.memory().numTensors;
    causalBitsPerToken(lm, ROWS, { batchSize: 2 });
    expect(tf.memory().numTensors).toBe(start);
  });
});
