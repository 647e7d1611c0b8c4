/**
 * attentionDropout on the wasm backend: dropout on the attention
 * probabilities alone, only while training, seeded, independent of `dropout`.
 *
 * Oracles. With every value projection W_v (and b_v) at zero the attention
 * output is 0 whatever the probabilities, so dropping them can change
 * nothing: attentionDropout then leaves the training logits exactly as
 * without it (it touches neither embeddings nor residual branches), and a
 * model with `dropout` and attentionDropout gives the logits of the same
 * model with `dropout` alone (its masks are drawn as before, from their own
 * stream). With W_v left as initialised, the training logits move.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneHotFloat, selectBackend } from '../backend/index.js';
import { Transformer } from './Transformer.js';
import type { TransformerConfigInput } from './TransformerConfig.js';
import { maxAbsDiff, randomTokens } from './_internals/testData.testing.js';

const SMALL: TransformerConfigInput = { vocabSize: 11, contextLength: 12, dModel: 16, heads: 4, layers: 2, seed: 3 };
const TOKENS = randomTokens(2, 2, 10, 11);

function withModel<T>(config: TransformerConfigInput, body: (m: Transformer) => T): T {
  const m = new Transformer(config);
  try {
    return body(m);
  } finally {
    m.dispose();
  }
}

function logits(m: Transformer, training: boolean): Float32Array {
  return tf.tidy(() => m.forward(TOKENS, { training }).dataSync() as Float32Array);
}

/** W_v ← 0 in every block (b_v starts at 0): attention outputs 0 whatever its probabilities. */
function zeroValues(m: Transformer): void {
  for (const [name, v] of m.namedVariables()) if (/\.attn\.wv$/.test(name)) v.assign(tf.zerosLike(v));
}

/** Mean next-token cross-entropy in nats: position s predicts tokens[s + 1]. */
function nextTokenLoss(m: Transformer, tokens: tf.Tensor2D, vocab: number): tf.Scalar {
  const [batch = 0, seq = 0] = tokens.shape;
  const predicted = tf.slice(m.forward(tokens, { training: true }), [0, 0, 0], [batch, seq - 1, vocab]); // [B, t−1, V]
  const targets = oneHotFloat(tf.slice(tokens, [0, 1], [batch, seq - 1]), vocab); // [B, t−1, V]
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(predicted)), -1))) as tf.Scalar;
}

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

describe('Transformer attentionDropout', () => {
  it('at rate 0 changes nothing: training logits equal the eval logits (no dropout anywhere)', () => {
    withModel({ ...SMALL, attentionDropout: 0 }, (m) => {
      expect(Array.from(logits(m, true))).toEqual(Array.from(logits(m, false)));
    });
  });

  it('is ignored in eval mode: the logits of the same seed without it', () => {
    const plain = withModel(SMALL, (m) => logits(m, false));
    const dropped = withModel({ ...SMALL, attentionDropout: 0.5 }, (m) => [logits(m, false), logits(m, false)]);
    expect(Array.from(dropped[0]!)).toEqual(Array.from(plain));
    expect(Array.from(dropped[1]!)).toEqual(Array.from(plain));
  });

  it('changes the training logits, reproducibly by seed, with fresh masks every call', () => {
    const run = (seed: number): Float32Array[] =>
      withModel({ ...SMALL, attentionDropout: 0.3, seed }, (m) => [logits(m, false), logits(m, true), logits(m, true)]);
    const [evaluated, first, second] = run(3);
    const [, again] = run(3);
    expect(maxAbsDiff(first!, evaluated!)).toBeGreaterThan(1e-4);
    expect(Array.from(again!)).toEqual(Array.from(first!));
    expect(maxAbsDiff(second!, first!)).toBeGreaterThan(1e-4);
  });

  it('drops attention probabilities only: with W_v = 0 it cannot change the training logits', () => {
    withModel({ ...SMALL, attentionDropout: 0.5 }, (m) => {
      zeroValues(m);
      // Training takes the per-head path, eval the fused kernel: equal up to float rounding.
      expect(maxAbsDiff(logits(m, true), logits(m, false))).toBeLessThan(1e-6);
    });
    // `dropout` on the same model does change them (embeddings and residual branches).
    withModel({ ...SMALL, dropout: 0.5 }, (m) => {
      zeroValues(m);
      expect(maxAbsDiff(logits(m, true), logits(m, false))).toBeGreaterThan(1e-4);
    });
  });

  it("leaves `dropout`'s masks as they were: with W_v = 0, dropout + attentionDropout = dropout alone", () => {
    const training = (config: TransformerConfigInput): Float32Array[] =>
      withModel(config, (m) => {
        zeroValues(m);
        return [logits(m, true), logits(m, true)];
      });
    const alone = training({ ...SMALL, dropout: 0.3 });
    const both = training({ ...SMALL, dropout: 0.3, attentionDropout: 0.4 });
    expect(Array.from(both[0]!)).toEqual(Array.from(alone[0]!));
    expect(Array.from(both[1]!)).toEqual(Array.from(alone[1]!));
  });

  it('passes gradients through the dropped probabilities: SGD still learns a repeated sequence', () => {
    withModel({ vocabSize: 8, contextLength: 16, dModel: 32, heads: 4, layers: 2, seed: 11, attentionDropout: 0.2 }, (m) => {
      const before = tf.memory().numTensors;
      const row = Array.from({ length: 16 }, (_, j) => (j * 3) % 8);
      const tokens = tf.tensor2d([row, row, row, row], [4, 16], 'int32');
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => nextTokenLoss(m, tokens, 8), m.variables());
        for (const [name, variable] of m.namedVariables()) {
          const values = grads[variable.name]!.dataSync();
          expect(values.every(Number.isFinite), name).toBe(true);
          expect(Math.max(...Array.from(values, Math.abs)), name).toBeGreaterThan(0);
        }
      });
      const optimizer = tf.train.sgd(0.5);
      const losses: number[] = [];
      for (let step = 0; step < 25; step++) {
        const loss = optimizer.minimize(() => nextTokenLoss(m, tokens, 8), true, m.variables());
        losses.push(loss!.dataSync()[0]!);
        loss!.dispose();
      }
      optimizer.dispose();
      tokens.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(losses[0]).toBeGreaterThan(Math.log(8) - 0.2);
      expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
    });
  });
});
