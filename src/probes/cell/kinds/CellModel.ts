/**
 * CellModel — what a probe cell needs of a model kind: a trainable model, how
 * to batch encoded examples for it, and how to score it on held-out ones.
 *
 * Every kind reports the same two numbers, so kinds compare on one axis:
 *   token_accuracy   per-position accuracy on the positions the kind predicts
 *                    (teacher forced for the causal kinds; after sampling for
 *                    diffusion; every input position for tagged)
 *   answer_accuracy  fraction of examples whose answer is exactly right when
 *                    the model runs free: greedy generation after the prompt
 *                    (ar, looped, lstm, and cot through its own trace),
 *                    S-step unmasking (diffusion), the label at the last
 *                    position (tagged, where that label is the answer)
 * plus kind-specific details (e.g. cot's teacher-forced answer accuracy).
 */
import type { Tokenizer, TokenFormat } from '../../../circuits/tasks/index.js';
import type { TrainableModel } from '../../../models/training/index.js';
import type { CellConfig } from '../CellConfig.js';
import type { EncodedExample, EncodedSet } from '../_internals/encodedSet.js';

export interface CellEvaluation {
  tokenAccuracy: number;
  answerAccuracy: number;
  /** Kind-specific extra metrics (snake_case names). */
  details: Record<string, number>;
}

export interface CellModel {
  readonly trainable: TrainableModel<unknown>;
  readonly parameterCount: number;
  /** The training batch of these examples at training step `step` (kinds that draw noise seed it from the step). */
  batch(examples: readonly EncodedExample[], step: number): unknown;
  evaluate(examples: readonly EncodedExample[]): CellEvaluation;
  dispose(): void;
}

export interface KindContext {
  readonly config: CellConfig;
  readonly tokenizer: Tokenizer;
  readonly data: EncodedSet;
}

export interface ModelKindSpec {
  /** How the kind's examples are tokenized. */
  format(config: CellConfig): TokenFormat;
  build(context: KindContext): CellModel;
}

/** Rows per forward pass during evaluation (bounds memory). */
export const EVAL_CHUNK = 128;

/** `xs` in consecutive slices of at most `size`. */
export function chunks<T>(xs: readonly T[], size: number = EVAL_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** The transformer backbone fields every kind shares. */
export function backboneOf(context: KindContext, vocabSize: number) {
  const c = context.config;
  return { vocabSize, contextLength: context.data.contextLength, layers: c.layers, dModel: c.dModel, heads: c.heads, positional: c.positional, seed: c.seed };
}
