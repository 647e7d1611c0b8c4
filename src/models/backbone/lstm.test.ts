/**
 * The LSTM control backbone on the wasm backend, against oracles: a scalar
 * float64 reference LSTM (forward logits), central finite differences of
 * that reference (gradients), the closed-form parameter count, the
 * transformer's count (comparable size), causality, seeding, training as a
 * CausalLM with the project's Trainer, tensor hygiene and config errors.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { useWasmBackend } from '../_internals/wasmTestSetup.testing.js';
import { CausalLM, type DecodeExample, type LMBatch } from '../kinds/index.js';
import { Trainer } from '../training/index.js';
import { Lstm } from './Lstm.js';
import { LstmConfigError, lstmConfig, lstmHiddenForParameters, lstmParameterCount } from './LstmConfig.js';
import type { LstmConfig, LstmConfigInput } from './LstmConfig.js';
import { parameterCount } from './TransformerConfig.js';
import { maxAbsDiff, randomTokens } from './_internals/testData.testing.js';

const track = useWasmBackend();

/** Small enough for loops and finite differences; E ≠ H exercises the layer-0 shapes. */
const SMALL: LstmConfigInput = { vocabSize: 7, contextLength: 8, layers: 2, hidden: 6, embeddingSize: 5, seed: 3 };

function logitsOf(m: Lstm, tokens: number[][]): Float32Array {
  return tf.tidy(() => m.forward(tokens).dataSync() as Float32Array);
}

type Weights = Map<string, Float64Array>;

function weightsOf(m: Lstm): Weights {
  return new Map(m.namedVariables().map(([n, v]) => [n, Float64Array.from(v.dataSync())]));
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The header's equations with plain loops in float64: logits [B·t·V], row-major. */
function referenceLogits(w: Weights, c: LstmConfig, tokens: number[][]): Float64Array {
  const { hidden: H, vocabSize: V, embeddingSize: E } = c;
  const get = (name: string): Float64Array => w.get(name) ?? Float64Array.of();
  const emb = get('tokenEmbedding');
  const seq = tokens[0]!.length;
  const out = new Float64Array(tokens.length * seq * V);
  tokens.forEach((row, b) => {
    let inputs = row.map((id) => emb.slice(id * E, (id + 1) * E));
    for (let l = 0; l < c.layers; l++) {
      const W = get(`lstm${l}.wInput`);
      const R = get(`lstm${l}.wRecurrent`);
      const bias = get(`lstm${l}.bias`);
      const n = l === 0 ? E : H;
      let h = new Float64Array(H);
      const cell = new Float64Array(H);
      inputs = inputs.map((u) => {
        const z = Float64Array.from(bias);
        for (let k = 0; k < 4 * H; k++) {
          for (let a = 0; a < n; a++) z[k]! += u[a]! * W[a * 4 * H + k]!;
          for (let a = 0; a < H; a++) z[k]! += h[a]! * R[a * 4 * H + k]!;
        }
        const next = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          const gi = sigmoid(z[j]!);
          const gf = sigmoid(z[H + j]!);
          const gg = Math.tanh(z[2 * H + j]!);
          const go = sigmoid(z[3 * H + j]!);
          cell[j] = gf * cell[j]! + gi * gg;
          next[j] = go * Math.tanh(cell[j]!);
        }
        h = next;
        return next;
      });
    }
    const U = w.get('unembedding');
    inputs.forEach((h, s) => {
      for (let v = 0; v < V; v++) {
        let sum = 0;
        // Tied: U[a, v] = Emb[v, a].
        for (let a = 0; a < H; a++) sum += h[a]! * (U ? U[a * V + v]! : emb[v * E + a]!);
        out[(b * seq + s) * V + v] = sum;
      }
    });
  });
  return out;
}

/** Mean next-token cross-entropy of logits [B·t·V]: position s predicts token s + 1. */
function referenceLoss(logits: Float64Array, tokens: number[][], V: number): number {
  const seq = tokens[0]!.length;
  let total = 0;
  tokens.forEach((row, b) => {
    for (let s = 0; s + 1 < seq; s++) {
      const z = logits.subarray((b * seq + s) * V, (b * seq + s + 1) * V);
      const max = Math.max(...z);
      const logSum = max + Math.log(z.reduce((acc, x) => acc + Math.exp(x - max), 0));
      total += logSum - z[row[s + 1]!]!;
    }
  });
  return total / (tokens.length * (seq - 1));
}

function tfLoss(m: Lstm, tokens: number[][]): tf.Scalar {
  const [batch, seq, V] = [tokens.length, tokens[0]!.length, m.config.vocabSize];
  const logits = m.forward(tokens, { training: true }); // [B, t, V]
  const predicted = tf.slice(logits, [0, 0, 0], [batch, seq - 1, V]);
  const targets = tf.oneHot(tf.tensor2d(tokens.map((r) => r.slice(1)), [batch, seq - 1], 'int32'), V, 1, 0, 'int32').cast('float32');
  return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(predicted)), -1))) as tf.Scalar;
}

/** The model's gradient of `loss` against central differences (float64) of `reference` ∘ referenceLogits, 4 entries per variable. */
function checkGradients(
  model: Lstm,
  tokens: number[][],
  loss: (m: Lstm, x: number[][]) => tf.Scalar,
  reference: (logits: Float64Array, x: number[][]) => number,
): void {
  const m = track(model);
  const grads = new Map<string, Float32Array>();
  tf.tidy(() => {
    const { grads: byId } = tf.variableGrads(() => loss(m, tokens), m.variables());
    for (const [n, v] of m.namedVariables()) grads.set(n, byId[v.name]!.dataSync() as Float32Array);
  });
  const w = weightsOf(m);
  const eps = 1e-5;
  for (const [name, values] of w) {
    const g = grads.get(name)!;
    // Both ends, the middle, and the largest gradient.
    const largest = Array.from(g).reduce((best, x, i) => (Math.abs(x) > Math.abs(g[best]!) ? i : best), 0);
    for (const k of [0, Math.floor(values.length / 2), values.length - 1, largest]) {
      const at = (delta: number): number => {
        const copy = Float64Array.from(values);
        copy[k] = copy[k]! + delta;
        return reference(referenceLogits(new Map(w).set(name, copy), m.config, tokens), tokens);
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      expect(Math.abs(g[k]! - numeric), `${name}[${k}]`).toBeLessThan(2e-5 + 1e-3 * Math.abs(numeric));
    }
    // One step never uses R (h₋₁ = 0): its gradient is exactly 0 there.
    const largestMagnitude = Math.abs(g[largest]!);
    if (tokens[0]!.length === 1 && name.endsWith('wRecurrent')) expect(largestMagnitude, name).toBe(0);
    else expect(largestMagnitude, name).toBeGreaterThan(1e-4);
  }
  expect(grads.size).toBe(m.variables().length);
}

describe('LstmConfig', () => {
  it('fills in the defaults; the embedding follows hidden', () => {
    expect(lstmConfig({ vocabSize: 32, contextLength: 64 })).toEqual({
      vocabSize: 32,
      contextLength: 64,
      layers: 2,
      hidden: 128,
      embeddingSize: 128,
      tieWeights: false,
      forgetBias: 1,
      dropout: 0,
      attention: 'causal',
      seed: 0,
    });
    expect(lstmConfig({ vocabSize: 32, contextLength: 64, hidden: 40 }).embeddingSize).toBe(40);
  });

  it('rejects bad fields with one line naming the field, the value and the fix', () => {
    const cases: [LstmConfigInput, string][] = [
      [{ vocabSize: 1, contextLength: 8 }, 'vocabSize'],
      [{ vocabSize: 8, contextLength: 0 }, 'contextLength'],
      [{ vocabSize: 8, contextLength: 8, layers: 1.5 }, 'layers'],
      [{ vocabSize: 8, contextLength: 8, hidden: -3 }, 'hidden'],
      [{ vocabSize: 8, contextLength: 8, hidden: 16, embeddingSize: 8, tieWeights: true }, 'embeddingSize'],
      [{ vocabSize: 8, contextLength: 8, forgetBias: Number.NaN }, 'forgetBias'],
      [{ vocabSize: 8, contextLength: 8, dropout: 1 }, 'dropout'],
      [{ vocabSize: 8, contextLength: 8, attention: 'bidirectional' as never }, 'attention'],
      [{ vocabSize: 8, contextLength: 8, seed: 0.5 }, 'seed'],
    ];
    for (const [config, field] of cases) {
      const error = (() => {
        try {
          lstmConfig(config);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, field).toBeInstanceOf(LstmConfigError);
      expect((error as LstmConfigError).field).toBe(field);
      expect((error as Error).message).toMatch(new RegExp(`^LstmConfig\\.${field} = .+: .+`));
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('lstmParameterCount equals the sum of the variable sizes', () => {
    const variants: Partial<LstmConfigInput>[] = [{}, { layers: 1 }, { layers: 3, embeddingSize: 9 }, { tieWeights: true, embeddingSize: undefined }];
    for (const v of variants) {
      const config = { ...SMALL, ...v };
      const m = track(new Lstm(config));
      const counted = m.variables().reduce((s, x) => s + x.size, 0);
      expect(counted).toBe(lstmParameterCount(config));
      expect(m.parameterCount).toBe(counted);
      expect(new Set(m.namedVariables().map(([n]) => n)).size).toBe(m.variables().length);
    }
    // V = 32, E = H = 158, L = 2, untied: 16H² + 72H.
    expect(lstmParameterCount({ vocabSize: 32, contextLength: 64, hidden: 158 })).toBe(16 * 158 ** 2 + 72 * 158);
  });

  it('lstmHiddenForParameters matches the reference transformer within a few % and is the closest H', () => {
    const target = parameterCount({ vocabSize: 32, contextLength: 64, dModel: 128, layers: 2 });
    const cases: Omit<LstmConfigInput, 'hidden'>[] = [
      { vocabSize: 32, contextLength: 64 },
      { vocabSize: 32, contextLength: 64, layers: 1, embeddingSize: 64 },
      { vocabSize: 32, contextLength: 64, layers: 3, tieWeights: true },
    ];
    for (const base of cases) {
      const h = lstmHiddenForParameters(target, base);
      const miss = (x: number): number => Math.abs(lstmParameterCount({ ...base, hidden: x }) - target);
      expect(miss(h) / target).toBeLessThan(0.02);
      expect(miss(h)).toBeLessThanOrEqual(miss(h - 1));
      expect(miss(h)).toBeLessThanOrEqual(miss(h + 1));
    }
    expect(lstmHiddenForParameters(target, { vocabSize: 32, contextLength: 64 })).toBe(158);
    expect(lstmHiddenForParameters(1, { vocabSize: 32, contextLength: 64 })).toBe(1);
    expect(() => lstmHiddenForParameters(0, { vocabSize: 32, contextLength: 64 })).toThrow(LstmConfigError);
  });
});

describe('Lstm', () => {
  it('equals a scalar float64 reference LSTM, untied (E ≠ H) and tied, arrays and tensors', () => {
    for (const config of [SMALL, { ...SMALL, tieWeights: true, embeddingSize: undefined, layers: 1, forgetBias: 0.5 }]) {
      const m = track(new Lstm(config));
      const tokens = randomTokens(4, 3, 8, 7);
      const got = logitsOf(m, tokens);
      const want = referenceLogits(weightsOf(m), m.config, tokens);
      expect(got.length).toBe(3 * 8 * 7);
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-5 * Math.max(1, ...Array.from(want, Math.abs)));
      const short = randomTokens(5, 2, 3, 7);
      const fromTensor = tf.tidy(() => m.forward(tf.tensor2d(short, [2, 3], 'int32')).dataSync());
      expect(maxAbsDiff(fromTensor, referenceLogits(weightsOf(m), m.config, short))).toBeLessThan(1e-5);
    }
    const m = track(new Lstm(SMALL));
    expect(() => m.forward([[0, 7]])).toThrow(/outside \[0, vocabSize = 7\)/);
    expect(() => m.forward([Array.from({ length: 9 }, () => 0)])).toThrow(/contextLength = 8/);
  });

  it('has the gradient of the reference loss (central differences in float64) on every variable', () => {
    // Next-token cross-entropy over 6 steps (E ≠ H), and a fixed weighted sum of the logits of 1 step (tied).
    const weight = (k: number): number => Math.cos(k);
    checkGradients(new Lstm(SMALL), randomTokens(6, 2, 6, 7), (m, x) => tfLoss(m, x), (z, x) => referenceLoss(z, x, 7));
    checkGradients(
      new Lstm({ ...SMALL, tieWeights: true, embeddingSize: undefined }),
      randomTokens(2, 3, 1, 7),
      (m, x) => tf.sum(tf.mul(m.forward(x), tf.tensor(Float32Array.from({ length: 3 * 7 }, (_, k) => weight(k)), [3, 1, 7]))) as tf.Scalar,
      (z) => z.reduce((acc, v, k) => acc + v * weight(k), 0),
    );
  });

  it('is causal: changing token j leaves positions < j unchanged and moves j onwards', () => {
    const m = track(new Lstm(SMALL));
    const base = randomTokens(8, 2, 8, 7);
    for (const j of [1, 4, 7]) {
      const changed = base.map((row) => row.map((t, s) => (s === j ? (t + 3) % 7 : t)));
      const a = logitsOf(m, base);
      const b = logitsOf(m, changed);
      for (let r = 0; r < 2; r++) {
        const row = r * 8 * 7;
        expect(maxAbsDiff(a.subarray(row, row + j * 7), b.subarray(row, row + j * 7))).toBe(0);
        expect(maxAbsDiff(a.subarray(row + j * 7, row + 8 * 7), b.subarray(row + j * 7, row + 8 * 7))).toBeGreaterThan(1e-4);
      }
    }
  });

  it('is a function of its seed: same seed, same logits; another seed, other logits', () => {
    const tokens = randomTokens(9, 2, 8, 7);
    const a = logitsOf(track(new Lstm(SMALL)), tokens);
    const b = logitsOf(track(new Lstm(SMALL)), tokens);
    const c = logitsOf(track(new Lstm({ ...SMALL, seed: 4 })), tokens);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(maxAbsDiff(a, c)).toBeGreaterThan(1e-3);
  });

  it('applies seeded non-recurrent dropout only when training', () => {
    const config = { ...SMALL, dropout: 0.5 };
    const a = new Lstm(config);
    const b = new Lstm(config);
    const none = new Lstm(SMALL);
    try {
      const tokens = randomTokens(5, 2, 6, SMALL.vocabSize);
      const plain = logitsOf(a, tokens);
      expect(maxAbsDiff(plain, logitsOf(none, tokens))).toBeLessThan(1e-6); // no dropout at evaluation
      const train = (m: Lstm) => tf.tidy(() => m.forward(tokens, { training: true }).dataSync() as Float32Array);
      const first = train(a);
      expect(maxAbsDiff(first, plain)).toBeGreaterThan(1e-4);
      expect(maxAbsDiff(first, train(b))).toBeLessThan(1e-6); // same seed, same masks
      expect(maxAbsDiff(first, train(a))).toBeGreaterThan(1e-6); // the stream moves on
    } finally {
      [a, b, none].forEach((m) => m.dispose());
    }
  });

  it('leaks no tensor over repeated forward and loss + gradient calls', () => {
    const m = track(new Lstm({ ...SMALL, tieWeights: true, embeddingSize: undefined }));
    const tokens = randomTokens(7, 3, 8, 7);
    const round = (): void =>
      tf.tidy(() => {
        m.forward(tokens);
        tf.variableGrads(() => tfLoss(m, tokens), m.variables());
      });
    round(); // warm-up
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) round();
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
    expect(() => m.forward(tokens)).toThrow(/disposed/);
  });
});

describe('CausalLM on the Lstm', () => {
  // "<bos> b0..b5 <ans> (b0 ⊕ b2) <eos>": the answer needs two bits held over 4–6 steps.
  const [BOS, ZERO, ONE, ANS, EOS] = [1, 2, 3, 4, 5];
  function example(n: number): { tokens: number[]; targets: number[]; example: DecodeExample } {
    const b = [5, 4, 3, 2, 1, 0].map((k) => (n >> k) & 1);
    const prompt = [BOS, ...b.map((x) => (x === 1 ? ONE : ZERO)), ANS];
    const answer = (b[0]! ^ b[2]!) === 1 ? ONE : ZERO;
    const tokens = [...prompt, answer, EOS];
    return { tokens, targets: tokens.map((_, j) => (j >= prompt.length ? 1 : 0)), example: { prompt, expected: [answer, EOS] } };
  }
  const all = Array.from({ length: 64 }, (_, n) => example(n));
  const batch: LMBatch = { tokens: all.map((e) => e.tokens), targets: all.map((e) => e.targets) };

  it('learns a tiny task with the Trainer on wasm: loss falls, token accuracy gets high, greedy decoding works', async () => {
    const config = { vocabSize: 6, contextLength: 10, layers: 1, hidden: 32, seed: 5 };
    const lm = track(new CausalLM(new Lstm(config)));
    expect(lm.parameterCount).toBe(lstmParameterCount(config));
    const trainer = track(
      new Trainer(lm, { next: () => ({ batch, tokens: 64 * 10 }) }, {
        schedule: { peakLr: 2e-2, warmupSteps: 5, minLr: 2e-3 },
        budget: { steps: 250 },
        evaluation: { every: 10, metric: () => lm.evaluate(batch).tokenAccuracy, threshold: 1 },
      }),
    );
    const before = lm.evaluate(batch).tokenAccuracy;
    const started = performance.now();
    const result = await trainer.run();
    const seconds = (performance.now() - started) / 1000;
    const accuracy = lm.evaluate(batch).tokenAccuracy;
    const decoded = lm.decodeAccuracy(
      all.slice(0, 16).map((e) => e.example),
      EOS,
    );
    console.info(
      `CausalLM(Lstm) b0⊕b2: ${result.steps} steps in ${seconds.toFixed(1)} s (${((1000 * seconds) / result.steps).toFixed(1)} ms/step), ` +
        `loss ${result.lossFirst.toFixed(3)} → ${result.lossLast.toFixed(4)}, token accuracy ${before.toFixed(2)} → ${accuracy.toFixed(3)}, greedy ${decoded.toFixed(2)}`,
    );
    expect(result.status).not.toBe('diverged');
    expect(result.lossLast).toBeLessThan(0.2 * result.lossFirst);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(decoded).toBeGreaterThanOrEqual(0.9);
  });
});
