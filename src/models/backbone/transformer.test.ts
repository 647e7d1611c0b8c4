/**
 * The transformer backbone on the wasm backend: configuration, shapes,
 * parameter count, masking, seeding, gradients (every variable, and a loss
 * that goes down under SGD), and tensor hygiene.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneHotFloat, selectBackend } from '../backend/index.js';
import { batchedMatMul } from './batchedMatMul.js';
import { Transformer } from './Transformer.js';
import { TransformerConfigError, parameterCount, transformerConfig } from './TransformerConfig.js';
import type { TransformerConfigInput } from './TransformerConfig.js';
import { maxAbsDiff, randomTokens } from './_internals/testData.testing.js';

const SMALL: TransformerConfigInput = { vocabSize: 11, contextLength: 12, dModel: 16, heads: 4, layers: 2, seed: 3 };

/** Builds a model, runs `body`, disposes the model. */
function withModel<T>(config: TransformerConfigInput, body: (m: Transformer) => T): T {
  const m = new Transformer(config);
  try {
    return body(m);
  } finally {
    m.dispose();
  }
}

function logitsOf(m: Transformer, tokens: number[][]): Float32Array {
  return tf.tidy(() => m.forward(tokens).dataSync() as Float32Array);
}

/** Mean next-token cross-entropy: position s predicts tokens[s + 1]. */
function nextTokenLoss(m: Transformer, tokens: tf.Tensor2D, vocab: number): tf.Scalar {
  const [batch = 0, seq = 0] = tokens.shape;
  const logits = m.forward(tokens, { training: true }); // [B, t, V]
  const predicted = tf.slice(logits, [0, 0, 0], [batch, seq - 1, vocab]); // [B, t−1, V]
  const targets = oneHotFloat(tf.slice(tokens, [0, 1], [batch, seq - 1]), vocab); // [B, t−1, V]
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(predicted)), -1))) as tf.Scalar;
}

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

describe('TransformerConfig', () => {
  it('fills in the defaults', () => {
    expect(transformerConfig({ vocabSize: 32, contextLength: 64 })).toEqual({
      vocabSize: 32,
      contextLength: 64,
      layers: 2,
      dModel: 128,
      heads: 4,
      mlpRatio: 4,
      positional: 'learned',
      tieWeights: false,
      dropout: 0,
      attentionDropout: 0,
      attention: 'causal',
      loops: 1,
      inputInjection: false,
      orderEmbedding: false,
      seed: 0,
    });
  });

  it('rejects bad fields with one line naming the field, the value and the fix', () => {
    const cases: [TransformerConfigInput, string][] = [
      [{ vocabSize: 32, contextLength: 64, heads: 5 }, 'heads'],
      [{ vocabSize: 32, contextLength: 0 }, 'contextLength'],
      [{ vocabSize: 32, contextLength: 8, dropout: 1 }, 'dropout'],
      [{ vocabSize: 32, contextLength: 8, attentionDropout: 1 }, 'attentionDropout'],
      [{ vocabSize: 32, contextLength: 8, attentionDropout: -0.1 }, 'attentionDropout'],
      [{ vocabSize: 32, contextLength: 8, loops: 0 }, 'loops'],
      [{ vocabSize: 32, contextLength: 8, orderEmbedding: true, positional: 'rope' }, 'orderEmbedding'],
      [{ vocabSize: 32, contextLength: 8, dModel: 12, heads: 4, positional: 'rope' }, 'positional'],
      [{ vocabSize: 32, contextLength: 8, attention: 'sideways' as never }, 'attention'],
    ];
    for (const [config, field] of cases) {
      let caught: unknown;
      try {
        transformerConfig(config);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(TransformerConfigError);
      const message = (caught as Error).message;
      expect(message).toMatch(new RegExp(`^TransformerConfig\\.${field} = `));
      expect(message).not.toContain('\n');
    }
  });

  it('counts the reference model in closed form', () => {
    // d = 128, f = 512: per layer 2d + 4(d² + d) + 2d + 2df + f + d = 198,272.
    const perLayer = 2 * 128 + 4 * (128 * 128 + 128) + 2 * 128 + 2 * 128 * 512 + 512 + 128;
    const expected = 32 * 128 + 64 * 128 + 2 * perLayer + 2 * 128 + 128 * 32;
    expect(parameterCount({ vocabSize: 32, contextLength: 64 })).toBe(expected);
  });
});

describe('Transformer', () => {
  it('gives logits [batch, seq, vocab] for arrays and int32 tensors, shorter sequences included', () => {
    withModel(SMALL, (m) => {
      tf.tidy(() => {
        expect(m.forward(randomTokens(1, 3, 12, 11)).shape).toEqual([3, 12, 11]);
        expect(m.forward(tf.tensor2d(randomTokens(2, 2, 5, 11), [2, 5], 'int32')).shape).toEqual([2, 5, 11]);
      });
      expect(() => m.forward([[0, 11]])).toThrow(/outside \[0, vocabSize = 11\)/);
      expect(() => m.forward([Array.from({ length: 13 }, () => 0)])).toThrow(/contextLength = 12/);
    });
  });

  it('has exactly parameterCount(config) parameters, tied or untied, learned or rope', () => {
    const variants: Partial<TransformerConfigInput>[] = [
      {},
      { tieWeights: true },
      { positional: 'rope' },
      { positional: 'rope', tieWeights: true, layers: 3, mlpRatio: 2 },
      { dModel: 24, heads: 3, layers: 1, attention: 'bidirectional' },
    ];
    for (const v of variants) {
      const config = { ...SMALL, ...v };
      withModel(config, (m) => {
        const counted = m.variables().reduce((s, x) => s + x.size, 0);
        expect(counted).toBe(parameterCount(config));
        expect(m.parameterCount).toBe(counted);
        expect(new Set(m.namedVariables().map(([n]) => n)).size).toBe(m.variables().length);
      });
    }
  });

  for (const positional of ['learned', 'rope'] as const) {
    it(`masks the future under causal attention and not under bidirectional (${positional})`, () => {
      const base = randomTokens(5, 2, 10, 11);
      const i = 4;
      const changed = base.map((row) => row.map((t, j) => (j > i ? (t + 3) % 11 : t)));
      const seqVocab = 10 * 11;
      for (const attention of ['causal', 'bidirectional'] as const) {
        withModel({ ...SMALL, positional, attention }, (m) => {
          const a = logitsOf(m, base);
          const b = logitsOf(m, changed);
          let upTo = 0;
          let after = 0;
          for (let r = 0; r < 2; r++) {
            const row = r * seqVocab;
            upTo = Math.max(upTo, maxAbsDiff(a.subarray(row, row + (i + 1) * 11), b.subarray(row, row + (i + 1) * 11)));
            after = Math.max(after, maxAbsDiff(a.subarray(row + (i + 1) * 11, row + seqVocab), b.subarray(row + (i + 1) * 11, row + seqVocab)));
          }
          expect(after).toBeGreaterThan(1e-4);
          if (attention === 'causal') expect(upTo).toBe(0);
          else expect(upTo).toBeGreaterThan(1e-4);
        });
      }
    });
  }

  it('is a function of its seed: same seed, same logits; another seed, other logits', () => {
    const tokens = randomTokens(9, 2, 8, 11);
    const a = withModel(SMALL, (m) => logitsOf(m, tokens));
    const b = withModel(SMALL, (m) => logitsOf(m, tokens));
    const c = withModel({ ...SMALL, seed: 4 }, (m) => logitsOf(m, tokens));
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-4);
  });

  it('applies seeded dropout only when training', () => {
    const tokens = randomTokens(2, 2, 8, 11);
    const run = (): [Float32Array, Float32Array, Float32Array] =>
      withModel({ ...SMALL, dropout: 0.3 }, (m) => [
        logitsOf(m, tokens),
        tf.tidy(() => m.forward(tokens, { training: true }).dataSync() as Float32Array),
        logitsOf(m, tokens),
      ]);
    const [evalA, trainA, evalB] = run();
    const [, trainAgain] = run();
    expect(Array.from(evalB)).toEqual(Array.from(evalA));
    expect(maxAbsDiff(trainA, evalA)).toBeGreaterThan(1e-4);
    expect(Array.from(trainAgain)).toEqual(Array.from(trainA));
  });

  it('passes a finite, non-zero gradient to every variable on wasm (tied + rope, and untied + learned)', () => {
    for (const v of [{ tieWeights: true, positional: 'rope' as const }, { dropout: 0.1 }]) {
      withModel({ ...SMALL, ...v }, (m) => {
        const before = tf.memory().numTensors;
        tf.tidy(() => {
          const tokens = tf.tensor2d(randomTokens(3, 2, 12, 11), [2, 12], 'int32');
          const { grads } = tf.variableGrads(() => nextTokenLoss(m, tokens, 11), m.variables());
          for (const [name, variable] of m.namedVariables()) {
            const g = grads[variable.name];
            expect(g, name).toBeDefined();
            const values = g!.dataSync();
            expect(values.every(Number.isFinite), name).toBe(true);
            expect(Math.max(...Array.from(values, Math.abs)), name).toBeGreaterThan(0);
          }
        });
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  });

  it('learns a repeated sequence with plain SGD on wasm', () => {
    withModel({ vocabSize: 8, contextLength: 16, dModel: 32, heads: 4, layers: 2, seed: 11 }, (m) => {
      const row = Array.from({ length: 16 }, (_, j) => (j * 3) % 8);
      const tokens = tf.tensor2d([row, row, row, row], [4, 16], 'int32');
      const optimizer = tf.train.sgd(0.5);
      const losses: number[] = [];
      for (let step = 0; step < 25; step++) {
        const loss = optimizer.minimize(() => nextTokenLoss(m, tokens, 8), true, m.variables());
        losses.push(loss!.dataSync()[0]!);
        loss!.dispose();
      }
      optimizer.dispose();
      tokens.dispose();
      expect(losses[0]).toBeGreaterThan(Math.log(8) - 0.2);
      expect(losses.at(-1)!).toBeLessThan(0.5 * losses[0]!);
    });
  });

  it('loops: one block applied R times equals R stacked copies of that block, with the same parameter count', () => {
    const looped = { ...SMALL, layers: 1, loops: 3 };
    const stacked = { ...SMALL, layers: 3 };
    expect(parameterCount(looped)).toBe(parameterCount({ ...SMALL, layers: 1 }));
    withModel(looped, (l) =>
      withModel(stacked, (s) => {
        // Copy the looped model's weights into every block of the stacked one.
        const source = new Map(l.namedVariables());
        for (const [name, v] of s.namedVariables()) {
          const w = source.get(name.replace(/^block\d+\./, 'block0.'));
          if (!w) throw new Error(`no looped weight for ${name}`);
          v.assign(w);
        }
        const tokens = randomTokens(4, 2, 9, SMALL.vocabSize);
        const a = logitsOf(l, tokens);
        expect(maxAbsDiff(a, logitsOf(s, tokens))).toBeLessThan(1e-5);
        // Input injection (x ← x + x₀ between passes) is a different function.
        withModel({ ...looped, inputInjection: true }, (inj) => {
          expect(maxAbsDiff(a, logitsOf(inj, tokens))).toBeGreaterThan(1e-3);
        });
      }),
    );
  });

  it('explicit positions 0..t−1 give the default logits; permuted positions and the order embedding change them', () => {
    const tokens = randomTokens(9, 2, 7, SMALL.vocabSize);
    const natural = tokens.map((r) => r.map((_, j) => j));
    withModel(SMALL, (m) => {
      const a = logitsOf(m, tokens);
      const b = tf.tidy(() => m.forward(tokens, { positions: natural }).dataSync() as Float32Array);
      expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
      const reversed = tokens.map((r) => r.map((_, j) => r.length - 1 - j));
      const c = tf.tidy(() => m.forward(tokens, { positions: reversed }).dataSync() as Float32Array);
      expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-4);
      expect(() => m.forward(tokens, { positions: [[0, 1]] })).toThrow(/positions has 1 rows/);
    });
    const ordered = { ...SMALL, orderEmbedding: true };
    expect(parameterCount(ordered) - parameterCount(SMALL)).toBe(SMALL.contextLength * (SMALL.dModel ?? 0));
    withModel(ordered, (m) => {
      expect(m.variables().reduce((n, v) => n + v.size, 0)).toBe(parameterCount(ordered));
      expect(() => m.forward(tokens)).toThrow(/needs nextPositions/);
      const next = natural.map((r) => r.map((j) => Math.min(j + 1, 6)));
      // The next-position table is trained: it gets a non-zero gradient.
      const table = m.namedVariables().find(([n]) => n === 'nextPositionEmbedding')![1];
      const norm = tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.mean(tf.square(m.forward(tokens, { positions: natural, nextPositions: next }))) as tf.Scalar, [table]);
        return tf.sum(tf.abs(grads[table.name]!)).dataSync()[0]!;
      });
      expect(norm).toBeGreaterThan(0);
    });
  });

  it('leaks no tensor across forward calls inside tf.tidy', () => {
    withModel({ ...SMALL, positional: 'rope', dropout: 0.2 }, (m) => {
      const tokens = randomTokens(7, 2, 12, 11);
      tf.tidy(() => m.forward(tokens)); // warm-up
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        tf.tidy(() => {
          m.forward(tokens);
          m.forward(tokens, { training: true });
        });
      }
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});

describe('batchedMatMul on wasm', () => {
  it('equals tf.matMul in value and gradient, with no leak', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const a = tf.randomNormal([6, 5, 4], 0, 1, 'float32', 1);
      const b = tf.randomNormal([6, 4, 3], 0, 1, 'float32', 2);
      const w = tf.randomNormal([6, 5, 3], 0, 1, 'float32', 3);
      const f = (mm: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) => (x: tf.Tensor, y: tf.Tensor) =>
        tf.sum(tf.mul(mm(x, y), w));
      expect(maxAbsDiff(batchedMatMul(a, b).dataSync(), tf.matMul(a, b).dataSync())).toBeLessThan(1e-5);
      const [ga, gb] = tf.grads(f(batchedMatMul))([a, b]);
      const [ra, rb] = tf.grads(f((x, y) => tf.matMul(x, y)))([a, b]);
      expect(maxAbsDiff(ga!.dataSync(), ra!.dataSync())).toBeLessThan(1e-5);
      expect(maxAbsDiff(gb!.dataSync(), rb!.dataSync())).toBeLessThan(1e-5);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
