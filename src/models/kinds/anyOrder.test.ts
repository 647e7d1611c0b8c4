/**
 * The any-order AR kind (σ-GPT) on wasm: its orders are permutations (order 0
 * left to right), the targets follow the order, attention is causal in the
 * order, held-out bits are the exact log-loss, and it learns in any order.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/index.js';
import { Trainer } from '../training/index.js';
import { AnyOrderLM } from './AnyOrderLM.js';

const T = 6;
const V = 5;
const BACKBONE = { vocabSize: V, contextLength: T, layers: 1, dModel: 16, heads: 2, seed: 1 };

beforeAll(async () => {
  await selectBackend('wasm');
});

function logitsAt(lm: AnyOrderLM, row: number[], order: number): number[][] {
  const p = lm.permute({ tokens: [row], orders: [order] });
  const values = tf.tidy(() => lm.transformer.forward(p.tokens, { positions: p.positions, nextPositions: p.nextPositions }).arraySync() as number[][][]);
  return values[0]!;
}

describe('AnyOrderLM', () => {
  it('has N seeded orders, each a permutation, order 0 left to right', () => {
    const lm = new AnyOrderLM({ backbone: BACKBONE, orders: 8 });
    const again = new AnyOrderLM({ backbone: BACKBONE, orders: 8 });
    const other = new AnyOrderLM({ backbone: { ...BACKBONE, seed: 2 }, orders: 8 });
    try {
      expect(lm.orders[0]).toEqual([0, 1, 2, 3, 4, 5]);
      for (const o of lm.orders) expect([...o].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(new Set(lm.orders.map((o) => o.join())).size).toBeGreaterThan(4);
      expect(again.orders).toEqual(lm.orders);
      expect(other.orders).not.toEqual(lm.orders);
    } finally {
      [lm, again, other].forEach((m) => m.dispose());
    }
  });

  it("targets follow the row's order: slot i predicts the token at σ(i+1), told its position", () => {
    const lm = new AnyOrderLM({ backbone: BACKBONE, orders: 3 });
    try {
      const row = [4, 3, 2, 1, 0, 4];
      for (const k of [0, 1, 2]) {
        const sigma = lm.orders[k]!;
        const p = lm.permute({ tokens: [row], orders: [k] });
        for (let i = 0; i < T; i++) {
          expect(p.tokens[0]![i]).toBe(row[sigma[i]!]);
          expect(p.positions[0]![i]).toBe(sigma[i]);
          if (i + 1 < T) {
            expect(p.targets[0]![i]).toBe(row[sigma[i + 1]!]);
            expect(p.nextPositions[0]![i]).toBe(sigma[i + 1]);
          }
        }
        expect(p.mask[0]).toEqual([1, 1, 1, 1, 1, 0]);
      }
      expect(() => lm.permute({ tokens: [row], orders: [3] })).toThrow(/order 3/);
    } finally {
      lm.dispose();
    }
  });

  it('is causal in the order: changing the token at σ(j) leaves slots before j unchanged', () => {
    const lm = new AnyOrderLM({ backbone: BACKBONE, orders: 2 });
    try {
      const sigma = lm.orders[1]!;
      const row = [1, 2, 3, 4, 0, 1];
      const j = 3;
      const changed = [...row];
      changed[sigma[j]!] = (row[sigma[j]!]! + 1) % V;
      const a = logitsAt(lm, row, 1);
      const b = logitsAt(lm, changed, 1);
      for (let i = 0; i < j; i++) expect(Math.max(...a[i]!.map((x, v) => Math.abs(x - b[i]![v]!)))).toBeLessThan(1e-6);
      expect(Math.max(...a[j]!.map((x, v) => Math.abs(x - b[j]![v]!)))).toBeGreaterThan(1e-6);
    } finally {
      lm.dispose();
    }
  });

  it('held-out bits per token are the exact log-loss of the order', () => {
    const lm = new AnyOrderLM({ backbone: BACKBONE, orders: 2 });
    try {
      const rows = [[1, 2, 3, 4, 0, 1], [0, 0, 1, 1, 2, 2]];
      for (const k of [0, 1]) {
        let nats = 0;
        for (const row of rows) {
          const z = logitsAt(lm, row, k);
          const p = lm.permute({ tokens: [row], orders: [k] });
          for (let i = 0; i + 1 < T; i++) {
            const logits = z[i]!;
            const max = Math.max(...logits);
            const lse = max + Math.log(logits.reduce((s, x) => s + Math.exp(x - max), 0));
            nats += lse - logits[p.targets[0]![i]!]!;
          }
        }
        expect(lm.bitsPerToken(rows, k)).toBeCloseTo(nats / (rows.length * (T - 1)) / Math.LN2, 4);
      }
    } finally {
      lm.dispose();
    }
  });

  it('learns sequences that repeat their first token, in every order it trains on', async () => {
    const lm = new AnyOrderLM({ backbone: { ...BACKBONE, dModel: 32 }, orders: 4 });
    try {
      const rows = (step: number) => Array.from({ length: 16 }, (_, b) => Array<number>(T).fill((step + b) % V));
      const trainer = new Trainer(lm, { next: (step) => ({ batch: { tokens: rows(step), orders: rows(step).map((_, b) => (step + b) % 4) }, tokens: 16 * T }) }, {
        schedule: { peakLr: 1e-2 },
        budget: { steps: 150 },
      });
      const result = await trainer.run();
      trainer.dispose();
      expect(result.lossLast).toBeLessThan(0.1 * result.lossFirst);
      const heldOut = Array.from({ length: V }, (_, v) => Array<number>(T).fill(v));
      for (const k of [0, 1, 2, 3]) expect(lm.bitsPerToken(heldOut, k)).toBeLessThan(0.3);
    } finally {
      lm.dispose();
    }
  }, 60_000);
});
