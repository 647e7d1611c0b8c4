/**
 * The one configuration object of the shared transformer backbone, its
 * defaults, its validation, and its parameter count in closed form.
 *
 * With d = dModel, f = mlpRatio·d, V = vocabSize, T = contextLength, L = layers:
 *
 *   token embedding        V·d
 *   positional table       T·d                      (positional 'learned'; none for 'rope')
 *   per layer (× L):
 *     LayerNorm 1          2d                       (γ, β)
 *     Q, K, V projections  3(d·d + d)               (weights and biases)
 *     output projection    d·d + d
 *     LayerNorm 2          2d
 *     MLP                  d·f + f + f·d + d        (up and down, weights and biases)
 *   next-position table    T·d                      (orderEmbedding: any-order AR, σ-GPT)
 *   final LayerNorm        2d
 *   unembedding            d·V                      (untied; tied weights reuse the token embedding)
 *
 * A looped transformer (loops R > 1) applies its L distinct blocks R times
 * over, with shared weights: depth L·R, parameters as above (R adds none).
 * With inputInjection, the embeddings x₀ are added back before every pass
 * after the first (x ← x + x₀), as in the looped-transformer literature.
 *
 * Dropout (rates in [0, 1), only while training): `dropout` drops the
 * embeddings, both residual branches and the attention probabilities;
 * `attentionDropout` drops the attention probabilities only, with its own
 * seeded stream, so a model that sets both drops the probabilities twice
 * (keep rate (1 − dropout)(1 − attentionDropout)).
 *
 * Validation errors are one line: the field, its value, and the fix.
 */

/** Where position enters: a learned table added to the embeddings, or rotary embeddings on q and k. */
export type Positional = 'learned' | 'rope';
/** Which positions a query may attend to: those at or before it, or all. */
export type AttentionKind = 'causal' | 'bidirectional';

/** The resolved configuration: every field present and valid. */
export interface TransformerConfig {
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly layers: number;
  readonly dModel: number;
  readonly heads: number;
  readonly mlpRatio: number;
  readonly positional: Positional;
  readonly tieWeights: boolean;
  /** Dropout rate of embeddings, residual branches and attention probabilities (training only). */
  readonly dropout: number;
  /** Dropout rate of the attention probabilities alone (training only), independent of `dropout`. */
  readonly attentionDropout: number;
  readonly attention: AttentionKind;
  /** R: how many times the stack of `layers` blocks is applied (shared weights). */
  readonly loops: number;
  /** Add the embeddings back before every pass after the first (loops > 1). */
  readonly inputInjection: boolean;
  /**
   * A second learned position table for the position each slot predicts
   * (σ-GPT's double positional encoding), so the model can be trained in any
   * token order. Needs learned positions.
   */
  readonly orderEmbedding: boolean;
  readonly seed: number;
}

/** What a caller gives: vocabSize and contextLength, and any field it wants to change from its default. */
export type TransformerConfigInput = Pick<TransformerConfig, 'vocabSize' | 'contextLength'> &
  Partial<Omit<TransformerConfig, 'vocabSize' | 'contextLength'>>;

/** The defaults of every optional field. */
export const TRANSFORMER_DEFAULTS = {
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
} as const satisfies Omit<TransformerConfig, 'vocabSize' | 'contextLength'>;

/** A configuration that cannot build a model; the message is one line. */
export class TransformerConfigError extends Error {
  readonly field: string;
  constructor(field: string, value: unknown, fix: string) {
    super(`TransformerConfig.${field} = ${JSON.stringify(value)}: ${fix}`);
    this.name = 'TransformerConfigError';
    this.field = field;
  }
}

function positiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new TransformerConfigError(field, value, 'use a positive integer');
  }
  return value;
}

/** Fills in the defaults and validates; throws TransformerConfigError on the first bad field. */
export function transformerConfig(input: TransformerConfigInput): TransformerConfig {
  const c = { ...TRANSFORMER_DEFAULTS, ...input };
  const vocabSize = positiveInteger('vocabSize', c.vocabSize);
  if (vocabSize < 2) throw new TransformerConfigError('vocabSize', vocabSize, 'use at least 2 tokens');
  const contextLength = positiveInteger('contextLength', c.contextLength);
  const layers = positiveInteger('layers', c.layers);
  const dModel = positiveInteger('dModel', c.dModel);
  const heads = positiveInteger('heads', c.heads);
  if (dModel % heads !== 0) {
    throw new TransformerConfigError('heads', heads, `dModel (${dModel}) must be a multiple of heads; pick heads dividing dModel`);
  }
  const mlpRatio = positiveInteger('mlpRatio', c.mlpRatio);
  if (c.positional !== 'learned' && c.positional !== 'rope') {
    throw new TransformerConfigError('positional', c.positional, "use 'learned' or 'rope'");
  }
  if (c.positional === 'rope' && (dModel / heads) % 2 !== 0) {
    throw new TransformerConfigError(
      'positional',
      c.positional,
      `rope rotates pairs, so the head size dModel/heads (${dModel / heads}) must be even; change dModel or heads`,
    );
  }
  if (typeof c.tieWeights !== 'boolean') throw new TransformerConfigError('tieWeights', c.tieWeights, 'use true or false');
  if (typeof c.dropout !== 'number' || !(c.dropout >= 0 && c.dropout < 1)) {
    throw new TransformerConfigError('dropout', c.dropout, 'use a rate in [0, 1)');
  }
  if (typeof c.attentionDropout !== 'number' || !(c.attentionDropout >= 0 && c.attentionDropout < 1)) {
    throw new TransformerConfigError('attentionDropout', c.attentionDropout, 'use a rate in [0, 1)');
  }
  if (c.attention !== 'causal' && c.attention !== 'bidirectional') {
    throw new TransformerConfigError('attention', c.attention, "use 'causal' or 'bidirectional'");
  }
  const loops = positiveInteger('loops', c.loops);
  if (typeof c.inputInjection !== 'boolean') {
    throw new TransformerConfigError('inputInjection', c.inputInjection, 'use true or false');
  }
  if (typeof c.orderEmbedding !== 'boolean') throw new TransformerConfigError('orderEmbedding', c.orderEmbedding, 'use true or false');
  if (c.orderEmbedding && c.positional !== 'learned') {
    throw new TransformerConfigError('orderEmbedding', c.orderEmbedding, "an order embedding needs positional 'learned' (positions are looked up per token)");
  }
  if (typeof c.seed !== 'number' || !Number.isSafeInteger(c.seed)) {
    throw new TransformerConfigError('seed', c.seed, 'use a safe integer');
  }
  return {
    vocabSize,
    contextLength,
    layers,
    dModel,
    heads,
    mlpRatio,
    positional: c.positional,
    tieWeights: c.tieWeights,
    dropout: c.dropout,
    attentionDropout: c.attentionDropout,
    attention: c.attention,
    loops,
    inputInjection: c.inputInjection,
    orderEmbedding: c.orderEmbedding,
    seed: c.seed,
  };
}

/** The number of trainable parameters, in closed form (see the table at the top of this file). */
export function parameterCount(input: TransformerConfigInput): number {
  const c = transformerConfig(input);
  const d = c.dModel;
  const f = c.mlpRatio * d;
  const embedding = c.vocabSize * d;
  const positional = c.positional === 'learned' ? c.contextLength * d : 0;
  const perLayer = 2 * d + 3 * (d * d + d) + (d * d + d) + 2 * d + (d * f + f) + (f * d + d);
  const nextPositions = c.orderEmbedding ? c.contextLength * d : 0;
  const finalNorm = 2 * d;
  const unembedding = c.tieWeights ? 0 : d * c.vocabSize;
  return embedding + positional + nextPositions + c.layers * perLayer + finalNorm + unembedding;
}
