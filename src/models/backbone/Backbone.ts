/**
 * Backbone — what a model kind needs of the network under it: token ids
 * [batch, seq] → logits [batch, seq, vocab], its variables, and its size.
 *
 * The Transformer (plain or looped) and the LSTM control both implement it,
 * so the causal language model trains and evaluates them on one path: the
 * same loss, decoding and metrics, only the network differs.
 */
import type * as TF from '@tensorflow/tfjs';

/** Token ids: rows of equal length, or an int32 tensor [batch, seq]. */
export type TokenBatch = readonly (readonly number[])[] | TF.Tensor2D;

export interface ForwardOptions {
  /** Apply dropout (when the config's rate is above 0). Default false. */
  training?: boolean;
  /**
   * The position of each input token, [batch, seq] (default 0, 1, …, seq − 1):
   * an any-order model feeds a permuted sequence with its original positions.
   */
  positions?: readonly (readonly number[])[];
  /** The position of the token each slot predicts, [batch, seq] (models with an order embedding only). */
  nextPositions?: readonly (readonly number[])[];
}

/** The fields of a backbone's config every model kind reads. */
export interface BackboneShape {
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly seed: number;
  /** Causal backbones let position i see only positions ≤ i. */
  readonly attention: 'causal' | 'bidirectional';
}

export interface Backbone {
  readonly config: BackboneShape;
  /** Number of trainable parameters. */
  readonly parameterCount: number;
  /** Logits [batch, seq, vocab] of token ids [batch, seq]. The caller owns the result. */
  forward(tokens: TokenBatch, options?: ForwardOptions): TF.Tensor;
  /** The trainable variables, in a fixed order. */
  variables(): TF.Variable[];
  /** The same variables with stable names (checkpoints). */
  namedVariables(): [string, TF.Variable][];
  dispose(): void;
}
