/**
 * The any-order autoregressive kind (σ-GPT, Pannatier et al. 2024), the AR
 * augmentation of issue 7: a causal Transformer trained on sequences read in
 * one of N fixed random orders. With an order σ (a permutation of 0..T−1),
 * slot i of the input holds token x_{σ(i)} at its original position σ(i) and
 * is told the position σ(i+1) of the token it must predict (the order
 * embedding); attention is causal over slots, so
 *
 *   p_σ(x) = p(x_{σ(0)}) · Π_{i ≥ 1} p(x_{σ(i)} | x_{σ(0)}, …, x_{σ(i−1)}),
 *   L = − Σ_b Σ_{i = 0}^{T−2} log p(x_{σ_b(i+1)} | slots ≤ i) / (B (T − 1)).
 *
 * (The first token of each order is given, as <bos>-led AR gives its first
 * token.) Order 0 is the identity — N = 1 is plain left-to-right AR (with the
 * order embedding) — and orders 1..N−1 are seeded Fisher–Yates permutations.
 * Each training row is read in the order its batch assigns; held-out text is
 * scored in the natural order (or any one order), so AR with orderings and
 * plain AR report comparable bits per token.
 */
import type * as TF from '@tensorflow/tfjs';
import { readTidy, tfNow } from '../backend/index.js';
import { SeededRandom, Transformer } from '../backbone/index.js';
import type { TransformerConfigInput } from '../backbone/index.js';
import type { TrainableModel } from '../training/index.js';
import { checkShape, maskedCrossEntropy, type Rows } from './maskedCrossEntropy.js';

/** The seeded stream of the orders (the backbone uses 0–3). */
const ORDER_STREAM = 7;

export interface AnyOrderConfig {
  /** The backbone; the order embedding is switched on, attention is causal, positions learned. */
  backbone: TransformerConfigInput;
  /** N ≥ 1 fixed orders; order 0 is left to right. */
  orders: number;
}

/** Token rows [B, T] (T = the context length) and the order index of each row. */
export interface AnyOrderBatch {
  tokens: Rows;
  /** One order index per row, in [0, N). */
  orders: readonly number[];
}

export class AnyOrderLM implements TrainableModel<AnyOrderBatch> {
  readonly transformer: Transformer;
  /** The N orders σ_k, each a permutation of 0..T−1 (order 0 the identity). */
  readonly orders: readonly (readonly number[])[];

  constructor(config: AnyOrderConfig) {
    const n = config.orders;
    if (!Number.isInteger(n) || n < 1) throw new Error(`AnyOrderLM: orders = ${n}; use an integer ≥ 1`);
    if (config.backbone.attention !== undefined && config.backbone.attention !== 'causal') {
      throw new Error(`AnyOrderLM: attention = ${JSON.stringify(config.backbone.attention)}; any-order AR needs 'causal'`);
    }
    this.transformer = new Transformer({ ...config.backbone, attention: 'causal', positional: 'learned', orderEmbedding: true });
    const length = this.transformer.config.contextLength;
    const random = new SeededRandom(this.transformer.config.seed, ORDER_STREAM);
    this.orders = Array.from({ length: n }, (_, k) => (k === 0 ? identity(length) : shuffled(length, random)));
  }

  variables(): TF.Variable[] {
    return this.transformer.variables();
  }

  get parameterCount(): number {
    return this.transformer.parameterCount;
  }

  /** The model's input for rows read in their orders: permuted tokens, positions, next positions, targets, mask. */
  permute(batch: AnyOrderBatch): { tokens: number[][]; positions: number[][]; nextPositions: number[][]; targets: number[][]; mask: number[][] } {
    const rows = batch.tokens.length;
    const length = this.transformer.config.contextLength;
    checkShape(batch.tokens, rows, length, 'AnyOrderLM tokens');
    if (batch.orders.length !== rows) throw new Error(`AnyOrderLM: ${batch.orders.length} order indices for ${rows} rows`);
    const out = { tokens: [] as number[][], positions: [] as number[][], nextPositions: [] as number[][], targets: [] as number[][], mask: [] as number[][] };
    batch.tokens.forEach((row, b) => {
      const k = batch.orders[b]!;
      const sigma = this.orders[k];
      if (sigma === undefined) throw new Error(`AnyOrderLM: row ${b} asks for order ${k}; orders run 0..${this.orders.length - 1}`);
      out.tokens.push(sigma.map((p) => row[p]!));
      out.positions.push([...sigma]);
      // The last slot predicts nothing: it points at its own position, masked out of the loss.
      out.nextPositions.push(sigma.map((p, i) => sigma[i + 1] ?? p));
      out.targets.push(sigma.map((p, i) => row[sigma[i + 1] ?? p]!));
      out.mask.push(sigma.map((_, i) => (i + 1 < length ? 1 : 0)));
    });
    return out;
  }

  /** Mean next-token cross-entropy in each row's order (header), dropout on. */
  loss(batch: AnyOrderBatch): TF.Scalar {
    const tf = tfNow();
    const p = this.permute(batch);
    return tf.tidy(() => {
      const z = this.transformer.forward(p.tokens, { training: true, positions: p.positions, nextPositions: p.nextPositions }); // [B, T, V]
      return maskedCrossEntropy(z, p.targets, p.mask);
    });
  }

  /**
   * Bits per predicted token of held-out rows read in order `order` (default
   * 0, left to right): − Σ log₂ p(next | slots so far) / (B (T − 1)), exact,
   * no dropout, in chunks of `chunk` rows.
   */
  bitsPerToken(tokens: Rows, order = 0, chunk = 64): number {
    const tf = tfNow();
    let nats = 0;
    let count = 0;
    for (let start = 0; start < tokens.length; start += chunk) {
      const part = tokens.slice(start, start + chunk);
      const p = this.permute({ tokens: part, orders: part.map(() => order) });
      const [value] = readTidy(() => {
        const z = this.transformer.forward(p.tokens, { positions: p.positions, nextPositions: p.nextPositions });
        return tf.mul(maskedCrossEntropy(z, p.targets, p.mask), p.mask.flat().reduce((a, b) => a + b, 0));
      });
      nats += value ?? Number.NaN;
      count += p.mask.flat().reduce((a, b) => a + b, 0);
    }
    return count === 0 ? Number.NaN : nats / count / Math.LN2;
  }

  dispose(): void {
    this.transformer.dispose();
  }
}

function identity(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function shuffled(n: number, random: SeededRandom): number[] {
  const p = identity(n);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.uniform() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}
