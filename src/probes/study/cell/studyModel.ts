/**
 * studyModel — the three model kinds of the study behind one interface: a
 * trainable model, its training batch for rows of C + 1 tokens, and its
 * held-out bits per token on such rows. Every kind gets the same rows and
 * scores the same C tokens of each row given its first token (studyWindows.ts);
 * the backbone's context is C + 1.
 *
 *   ar         CausalLM; loss mask r = (0, 1, …, 1): mean next-token
 *              cross-entropy over the C scored tokens. Held out: exact
 *              −Σ_{j=1}^{C} log₂ p(x_j | x_<j) / C pooled over rows
 *              (causalBitsPerToken, given = 1).
 *   ar-orders  AnyOrderLM with N orders of the C + 1 positions (order 0 left
 *              to right); stream row p (window w, epoch e = ⌊p/W⌋) is read in
 *              order (w + e) mod N, so every repeat of a window within N
 *              epochs sees another order. Held out: exact bits in order 0,
 *              the natural order (AnyOrderLM.bitsPerToken) — the same
 *              quantity as 'ar' scores.
 *   diffusion  MaskedDiffusionLM, position 0 frozen (never masked), the MDLM
 *              loss over the C free positions. Held out: the MDLM negative
 *              ELBO with the time integral exact per mask count
 *              (diffusionBitsPerToken, 'counts' estimator, given = 1,
 *              s_max = 1, [MASK] excluded from the prediction): an upper
 *              bound on −log₂ p(x_1..C | x_0) per token, i.e. on what the AR
 *              kinds report exactly, so a diffusion value below an AR value
 *              is a real win. Its masks are seeded by corpusSeed, so every
 *              cell of one corpus split scores held-out rows with the same
 *              masks (common random numbers); standardError is the
 *              estimator's own.
 *
 * Every kind's backbone takes the config's dropout and attentionDropout
 * (dropout on the attention probabilities alone), both only while training.
 *
 * Training losses in bits per scored token (trainBits): AR kinds' losses are
 * already means per scored token (÷ ln 2); the MDLM loss is a sum over a row's
 * masked positions averaged over rows, so it is divided by C (÷ ln 2) — an
 * unbiased single-draw estimate of the ELBO per token on the s_max = 1 − ε range.
 */
import { AnyOrderLM, CausalLM, MaskedDiffusionLM, causalBitsPerToken, diffusionBitsPerToken } from '../../../models/kinds/index.js';
import { hashSeed } from '../../../models/backbone/index.js';
import type { TrainableModel } from '../../../models/training/index.js';
import { SPECIAL_TOKENS } from '../corpus/index.js';
import type { StudyCellConfig } from './StudyCellConfig.js';

/** A training row: its tokens, and which window and epoch of the stream it is. */
export interface StudyRow {
  tokens: readonly number[];
  window: number;
  epoch: number;
}

export interface StudyModel {
  readonly trainable: TrainableModel<unknown>;
  readonly parameterCount: number;
  /** The kind's training batch for these rows at training step `step` (diffusion's masks are a function of it). */
  batch(rows: readonly StudyRow[], step: number): unknown;
  /** Bits per scored token on rows of C + 1 tokens (header), and the estimator's standard error. */
  bits(rows: readonly (readonly number[])[]): { bitsPerToken: number; standardError: number };
  /** A training loss value in bits per scored token. */
  trainBits(loss: number): number;
  dispose(): void;
}

/** Offset of the per-step masking seeds (hashSeed streams), clear of the backbone's own streams. */
const MASKING_SEED_BASE = 1 << 20;

/** The DIFFUSION eval batch size (rows per denoiser call) and the AR one. */
const EVAL_BATCH = 64;

export function buildStudyModel(config: StudyCellConfig, vocabSize: number): StudyModel {
  const c = config.contextLength;
  const backbone = {
    vocabSize,
    contextLength: c + 1,
    layers: config.layers,
    dModel: config.dModel,
    heads: config.heads,
    dropout: config.dropout,
    attentionDropout: config.attentionDropout,
    seed: config.seed,
  };
  const scored = [0, ...new Array<number>(c).fill(1)];
  const frozen = [1, ...new Array<number>(c).fill(0)];
  const perToken = (loss: number) => loss / Math.LN2;
  if (config.model === 'ar') {
    const lm = new CausalLM(backbone);
    return {
      trainable: lm as TrainableModel<unknown>,
      parameterCount: lm.parameterCount,
      batch: (rows) => ({ tokens: rows.map((r) => [...r.tokens]), targets: rows.map(() => scored) }),
      bits: (rows) => {
        const b = causalBitsPerToken(lm, rows.map((r) => [...r]), { given: 1, batchSize: EVAL_BATCH });
        return { bitsPerToken: b.bitsPerToken, standardError: 0 };
      },
      trainBits: perToken,
      dispose: () => lm.dispose(),
    };
  }
  if (config.model === 'ar-orders') {
    const n = config.orders ?? 1;
    const lm = new AnyOrderLM({ backbone, orders: n });
    return {
      trainable: lm as TrainableModel<unknown>,
      parameterCount: lm.parameterCount,
      batch: (rows) => ({ tokens: rows.map((r) => [...r.tokens]), orders: rows.map((r) => (r.window + r.epoch) % n) }),
      bits: (rows) => ({ bitsPerToken: lm.bitsPerToken(rows.map((r) => [...r]), 0, EVAL_BATCH), standardError: 0 }),
      trainBits: perToken,
      dispose: () => lm.dispose(),
    };
  }
  const lm = new MaskedDiffusionLM({ backbone: { ...backbone, attention: 'bidirectional' }, maskToken: SPECIAL_TOKENS.mask });
  return {
    trainable: lm as TrainableModel<unknown>,
    parameterCount: lm.transformer.parameterCount,
    // Masks drawn from a seed of (seed, step), not the model's running stream: a resumed run draws the same ones.
    batch: (rows, step) => ({ tokens: rows.map((r) => [...r.tokens]), frozen: rows.map(() => frozen), maskingSeed: hashSeed(config.seed, MASKING_SEED_BASE + step) }),
    bits: (rows) => {
      const b = diffusionBitsPerToken(lm, rows.map((r) => [...r]), {
        given: 1,
        estimator: 'counts',
        strata: config.elboStrata,
        draws: config.elboDraws,
        seed: config.corpusSeed,
        batchSize: EVAL_BATCH,
      });
      return { bitsPerToken: b.bitsPerToken, standardError: b.standardError };
    },
    trainBits: (loss) => loss / c / Math.LN2,
    dispose: () => lm.dispose(),
  };
}
