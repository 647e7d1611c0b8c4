/**
 * The configuration of the LSTM control backbone (Lstm.ts): its defaults, its
 * validation, its parameter count in closed form, and the hidden size that
 * makes it "an LSTM of comparable parameter count" to a given model.
 *
 * With V = vocabSize, E = embeddingSize (default H), H = hidden, L = layers:
 *
 *   token embedding        V·E
 *   layer 0                E·4H + H·4H + 4H        (input weights, recurrent weights, one bias;
 *                                                   the 4 gates i, f, g, o side by side)
 *   layers 1..L−1 (each)   H·4H + H·4H + 4H        (its input is the layer below's h, size H)
 *   unembedding            H·V                     (untied; tied weights reuse the embedding, E = H)
 *
 *   total = V·E + 4H(E + H + 1) + (L − 1)·4H(2H + 1) + (tied ? 0 : H·V)
 *
 * There is no final LayerNorm and no output bias (see Lstm.ts), and no
 * positional table: the recurrence itself carries position. contextLength
 * only bounds the sequences a forward pass accepts, as for the transformer.
 *
 * Validation errors are one line: the field, its value, and the fix.
 */

/** The resolved configuration: every field present and valid. */
export interface LstmConfig {
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly layers: number;
  /** H: the size of h and c in every layer. */
  readonly hidden: number;
  /** E: the size of a token embedding (equal to hidden when weights are tied). */
  readonly embeddingSize: number;
  /** The unembedding is the transposed token embedding. */
  readonly tieWeights: boolean;
  /** The initial bias of the forget gate (1 keeps c flowing at the start of training). */
  readonly forgetBias: number;
  /** Non-recurrent dropout (Zaremba et al. 2014): on the embeddings and each layer's output, never on h→h. */
  readonly dropout: number;
  /** An LSTM sees only the past: always 'causal'. */
  readonly attention: 'causal';
  readonly seed: number;
}

/** What a caller gives: vocabSize and contextLength, and any field it wants to change from its default. */
export type LstmConfigInput = Pick<LstmConfig, 'vocabSize' | 'contextLength'> &
  Partial<Omit<LstmConfig, 'vocabSize' | 'contextLength' | 'attention'>> & { readonly attention?: 'causal' };

/** The defaults of every optional field; embeddingSize defaults to hidden. */
export const LSTM_DEFAULTS = {
  layers: 2,
  hidden: 128,
  tieWeights: false,
  forgetBias: 1,
  dropout: 0,
  attention: 'causal',
  seed: 0,
} as const satisfies Omit<LstmConfig, 'vocabSize' | 'contextLength' | 'embeddingSize'>;

/** A configuration that cannot build an LSTM; the message is one line. */
export class LstmConfigError extends Error {
  readonly field: string;
  constructor(field: string, value: unknown, fix: string) {
    super(`LstmConfig.${field} = ${JSON.stringify(value)}: ${fix}`);
    this.name = 'LstmConfigError';
    this.field = field;
  }
}

function positiveInteger(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new LstmConfigError(field, value, 'use a positive integer');
  }
  return value;
}

/** Fills in the defaults and validates; throws LstmConfigError on the first bad field. */
export function lstmConfig(input: LstmConfigInput): LstmConfig {
  const c = { ...LSTM_DEFAULTS, ...input };
  const vocabSize = positiveInteger('vocabSize', c.vocabSize);
  if (vocabSize < 2) throw new LstmConfigError('vocabSize', vocabSize, 'use at least 2 tokens');
  const contextLength = positiveInteger('contextLength', c.contextLength);
  const layers = positiveInteger('layers', c.layers);
  const hidden = positiveInteger('hidden', c.hidden);
  if (typeof c.tieWeights !== 'boolean') throw new LstmConfigError('tieWeights', c.tieWeights, 'use true or false');
  const embeddingSize = positiveInteger('embeddingSize', c.embeddingSize ?? hidden);
  if (c.tieWeights && embeddingSize !== hidden) {
    throw new LstmConfigError(
      'embeddingSize',
      embeddingSize,
      `tied weights unembed h (size hidden = ${hidden}) with the embedding; leave embeddingSize unset or equal to hidden`,
    );
  }
  if (typeof c.dropout !== 'number' || !(c.dropout >= 0 && c.dropout < 1)) {
    throw new LstmConfigError('dropout', c.dropout, 'use a rate in [0, 1)');
  }
  if (typeof c.forgetBias !== 'number' || !Number.isFinite(c.forgetBias)) {
    throw new LstmConfigError('forgetBias', c.forgetBias, 'use a finite number (1 is usual)');
  }
  if (c.attention !== 'causal') {
    throw new LstmConfigError('attention', c.attention, "an LSTM reads left to right; use 'causal' (or leave it unset)");
  }
  if (typeof c.seed !== 'number' || !Number.isSafeInteger(c.seed)) {
    throw new LstmConfigError('seed', c.seed, 'use a safe integer');
  }
  return {
    vocabSize,
    contextLength,
    layers,
    hidden,
    embeddingSize,
    tieWeights: c.tieWeights,
    forgetBias: c.forgetBias,
    dropout: c.dropout,
    attention: 'causal',
    seed: c.seed,
  };
}

/** The number of trainable parameters, in closed form (see the table at the top of this file). */
export function lstmParameterCount(input: LstmConfigInput): number {
  const c = lstmConfig(input);
  return countFor(c.vocabSize, c.embeddingSize, c.hidden, c.layers, c.tieWeights);
}

function countFor(v: number, e: number, h: number, layers: number, tied: boolean): number {
  return v * e + 4 * h * (e + h + 1) + (layers - 1) * 4 * h * (2 * h + 1) + (tied ? 0 : h * v);
}

/**
 * The hidden size H ≥ 1 whose parameter count (with the other fields of
 * `base`) is closest to `target` — e.g. a transformer's parameterCount, for
 * the LSTM control of comparable size. Ties go to the smaller H. The count
 * grows strictly with H (every term's coefficient is positive), so a binary
 * search finds the first H at or above the target and its predecessor is the
 * only other candidate. With embeddingSize unset the embedding follows H.
 */
export function lstmHiddenForParameters(target: number, base: Omit<LstmConfigInput, 'hidden'>): number {
  if (typeof target !== 'number' || !Number.isFinite(target) || target <= 0) {
    throw new LstmConfigError('hidden', target, 'the parameter target must be a positive finite number');
  }
  const c = lstmConfig({ ...base, hidden: base.embeddingSize ?? 1 });
  if (c.tieWeights && base.embeddingSize !== undefined) {
    throw new LstmConfigError('embeddingSize', base.embeddingSize, 'with tied weights leave it unset so it follows the hidden size being searched');
  }
  const count = (h: number): number => countFor(c.vocabSize, base.embeddingSize ?? h, h, c.layers, c.tieWeights);
  let lo = 1;
  let hi = 1;
  while (count(hi) < target) hi *= 2;
  // Invariant: count(hi) ≥ target; lo is either 1 or has count(lo) < target.
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (count(mid) >= target) hi = mid;
    else lo = mid + 1;
  }
  return hi > 1 && target - count(hi - 1) <= count(hi) - target ? hi - 1 : hi;
}
