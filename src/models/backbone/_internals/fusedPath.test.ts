/**
 * The Transformer's forward pass on wasm with the fused heap kernels
 * (backend/fusedOps.ts) against the same model with them switched off (plain
 * tfjs ops): same logits and same gradients for every variable, up to float32
 * rounding, across the configurations that take the fused attention (learned
 * positions, causal and bidirectional, tied, looped) and those that keep the
 * per-head path (RoPE, dropout or attentionDropout while training). No tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { oneHotFloat, selectBackend } from '../../backend/index.js';
import { setHeapKernelsEnabled } from '../../backend/fusedOps.js';
import { Transformer } from '../Transformer.js';
import type { TransformerConfigInput } from '../TransformerConfig.js';
import { randomTokens } from './testData.testing.js';

const BASE: TransformerConfigInput = { vocabSize: 13, contextLength: 24, dModel: 32, heads: 4, layers: 2, seed: 7 };

function tokens(batch: number, seq: number, vocab: number, seed: number): number[][] {
  return randomTokens(seed, batch, seq, vocab);
}

/** Logits and the gradient of a next-token loss for every named variable. */
function run(m: Transformer, rows: number[][], training: boolean): { logits: Float32Array; grads: Map<string, Float32Array> } {
  const vocab = m.config.vocabSize;
  const [batch, seq] = [rows.length, rows[0]!.length];
  let logits: Float32Array = new Float32Array(0);
  const grads = new Map<string, Float32Array>();
  tf.tidy(() => {
    const ids = tf.tensor2d(rows, [batch, seq], 'int32');
    const loss = (): tf.Scalar => {
      const z = m.forward(ids, { training });
      const predicted = tf.slice(z, [0, 0, 0], [batch, seq - 1, vocab]);
      const targets = oneHotFloat(tf.slice(ids, [0, 1], [batch, seq - 1]), vocab);
      return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(predicted)), -1))) as tf.Scalar;
    };
    const g = tf.variableGrads(loss, m.variables()).grads;
    for (const [name, v] of m.namedVariables()) grads.set(name, g[v.name]!.dataSync() as Float32Array);
    logits = m.forward(ids).dataSync() as Float32Array;
  });
  return { logits, grads };
}

function relDiff(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let scale = 1e-3;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return d / scale;
}

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

afterEach(() => setHeapKernelsEnabled(true));

describe('Transformer with the fused wasm kernels', () => {
  const configs: [string, Partial<TransformerConfigInput>, boolean][] = [
    ['causal, learned positions', {}, false],
    ['bidirectional', { attention: 'bidirectional' }, false],
    ['tied weights, head size 16, shorter sequence', { tieWeights: true, heads: 2 }, false],
    ['looped with input injection', { layers: 1, loops: 3, inputInjection: true }, false],
    ['RoPE (per-head path)', { positional: 'rope' }, false],
    ['dropout while training (per-head path)', { dropout: 0.2 }, true],
    ['attention dropout while training (per-head path)', { attentionDropout: 0.2 }, true],
  ];
  for (const [name, change, training] of configs) {
    it(`gives the plain ops' logits and gradients: ${name}`, () => {
      const config = { ...BASE, ...change };
      const rows = tokens(3, name.includes('shorter') ? 11 : 24, BASE.vocabSize, 5);
      const before = tf.memory().numTensors;
      const fused = (() => {
        const m = new Transformer(config);
        try {
          return run(m, rows, training);
        } finally {
          m.dispose();
        }
      })();
      setHeapKernelsEnabled(false);
      const plain = (() => {
        const m = new Transformer(config);
        try {
          return run(m, rows, training);
        } finally {
          m.dispose();
        }
      })();
      expect(tf.memory().numTensors).toBe(before);
      expect(relDiff(fused.logits, plain.logits)).toBeLessThan(1e-5);
      for (const [variable, g] of plain.grads) {
        expect(relDiff(fused.grads.get(variable)!, g), variable).toBeLessThan(1e-4);
      }
    });
  }
});
