/**
 * Held-out bits per token of a causal language model (issue 7, "honest
 * comparable metrics"): the exact negative log-likelihood of held-out rows,
 * in bits, divided by the number of predicted tokens.
 *
 * Each row x = (x_0, …, x_{L−1}) starts with `given` ≥ 1 context tokens
 * (typically one <bos>) that are conditioned on and not scored. With logits
 * z = model(x) [B, L, V] (causal: z[b, i] sees x[b, ≤ i]) and
 * log p[b, i] = logSoftmax(z[b, i]):
 *
 *   bits(x)       = − Σ_{j = given}^{L−1} log p[b, j−1, x_j] / ln 2
 *   bits / token  = Σ_rows bits(x) / Σ_rows (L − given)
 *
 * i.e. − Σ log₂ p(x_j | x_<j) over the scored tokens of every row, pooled,
 * over their count. Rows may have different lengths: they are grouped by
 * length and evaluated `batchSize` rows at a time (no padding, so nothing
 * depends on a pad id), with dropout off. Only the gathered log-probabilities
 * [B, L−1] are read back, and they are summed in float64.
 *
 * The masked-diffusion counterpart (an upper bound on the same quantity, the
 * MDLM negative ELBO) is mdlmElbo.ts; both return a HeldOutBits.
 */
import type * as TF from '@tensorflow/tfjs';
import { oneHotFloat, readTidy, tfNow } from '../backend/index.js';
import { flatInt, type Rows } from './maskedCrossEntropy.js';

/** Bits per token on held-out rows: one number comparable across model kinds. */
export interface HeldOutBits {
  /** Σ bits over every scored token / number of scored tokens (NaN when none is scored). */
  bitsPerToken: number;
  /** Σ bits over every scored token. */
  totalBits: number;
  /** Number of scored tokens (positions ≥ given of every row). */
  tokens: number;
  /** Number of rows. */
  sequences: number;
  /** Bits of each row, in input order. */
  perSequence: number[];
  /**
   * Standard error of bitsPerToken due to the estimator's own randomness
   * (0 for the exact causal NLL; NaN where it cannot be estimated). It says
   * nothing about the sampling of the held-out rows themselves.
   */
  standardError: number;
}

/** What causalBitsPerToken needs of a model: a CausalLM, or any causal scorer of the same shape. */
export interface CausalScorer {
  /** Logits [B, L, V] of token rows [B, L]; position i sees positions ≤ i only. The caller owns the result. */
  logits(tokens: Rows): TF.Tensor;
  readonly transformer: { readonly config: { readonly vocabSize: number; readonly contextLength: number } };
}

export interface CausalBitsOptions {
  /** Leading context tokens of each row, conditioned on and not scored (≥ 1). Default 1. */
  given?: number;
  /** Rows per forward pass. Default 32. */
  batchSize?: number;
}

/**
 * Exact held-out bits per token of a causal model on `sequences` (header):
 * − Σ log₂ p(x_j | x_<j) over positions j ≥ given, pooled over rows.
 */
export function causalBitsPerToken(model: CausalScorer, sequences: Rows, options: CausalBitsOptions = {}): HeldOutBits {
  const given = options.given ?? 1;
  const batchSize = options.batchSize ?? 32;
  const { vocabSize, contextLength } = model.transformer.config;
  if (!Number.isInteger(given) || given < 1) throw new Error(`causalBitsPerToken: given = ${given} must be an integer ≥ 1`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`causalBitsPerToken: batchSize = ${batchSize} must be an integer ≥ 1`);
  checkRows(sequences, vocabSize, contextLength, given, 'causalBitsPerToken');
  const perNats = new Float64Array(sequences.length);
  for (const [length, indices] of groupByLength(sequences)) {
    if (length < 2 || length <= given) continue;
    for (let start = 0; start < indices.length; start += batchSize) {
      const chunk = indices.slice(start, start + batchSize);
      const logP = nextTokenLogProbs(model, chunk.map((r) => sequences[r]!), vocabSize); // [B·(L−1)]
      chunk.forEach((r, b) => {
        let nats = 0;
        for (let j = given; j < length; j++) nats -= logP[b * (length - 1) + (j - 1)] ?? Number.NaN;
        perNats[r] = nats;
      });
    }
  }
  const tokens = sequences.reduce((s, row) => s + Math.max(0, row.length - given), 0);
  return summarise(Array.from(perNats, natsToBits), tokens, 0);
}

/** log p[b, i, x[b, i+1]] for i < L − 1, read back as [B·(L−1)]. */
function nextTokenLogProbs(model: CausalScorer, rows: Rows, vocab: number): Float32Array | Int32Array | Uint8Array {
  const tf = tfNow();
  const batch = rows.length;
  const length = rows[0]?.length ?? 0;
  const next = flatInt(
    rows.map((row) => row.slice(1)),
    batch,
    length - 1,
    'causalBitsPerToken next tokens',
  );
  return readTidy(() => {
    const z = model.logits(rows); // [B, L, V]
    const logP = tf.logSoftmax(tf.slice(z, [0, 0, 0], [batch, length - 1, vocab])); // [B, L−1, V]
    const y = tf.tensor2d(next, [batch, length - 1], 'int32'); // [B, L−1]
    return tf.sum(tf.mul(oneHotFloat(y, vocab), logP), -1); // [B, L−1]
  });
}

/** Throws unless every row holds ids in [0, vocab), fits the context and is at least `given` long. */
export function checkRows(rows: Rows, vocab: number, context: number, given: number, what: string): void {
  rows.forEach((row, r) => {
    if (row.length > context) throw new Error(`${what}: row ${r} has ${row.length} tokens, more than contextLength = ${context}`);
    if (row.length < given) throw new Error(`${what}: row ${r} has ${row.length} tokens, fewer than given = ${given}`);
    row.forEach((x, i) => {
      if (!Number.isInteger(x) || x < 0 || x >= vocab) throw new Error(`${what}: token [${r}, ${i}] = ${x} is outside [0, ${vocab})`);
    });
  });
}

/** Row indices grouped by row length, lengths ascending, indices in input order. */
export function groupByLength(rows: Rows): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  rows.forEach((row, r) => {
    const g = groups.get(row.length);
    if (g) g.push(r);
    else groups.set(row.length, [r]);
  });
  return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]));
}

/** nats → bits. */
export function natsToBits(nats: number): number {
  return nats / Math.LN2;
}

/** A HeldOutBits from per-row bits, the scored token count and the estimator's standard error in bits per token. */
export function summarise(perSequence: number[], tokens: number, standardError: number): HeldOutBits {
  const totalBits = perSequence.reduce((s, b) => s + b, 0);
  return {
    bitsPerToken: tokens === 0 ? Number.NaN : totalBits / tokens,
    totalBits,
    tokens,
    sequences: perSequence.length,
    perSequence,
    standardError,
  };
}
