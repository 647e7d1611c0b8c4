/**
 * The masked-diffusion language-model kind (issue 5, "Masked diffusion
 * (MDLM-style)"): a bidirectional Transformer over a vocabulary that holds an
 * absorbing [MASK] token, trained with the continuous-time MDLM loss and
 * sampled by iterative unmasking.
 *
 * A batch is plain arrays: clean tokens x [B, t] (no [MASK] in them) and a
 * 0/1 map f [B, t] of frozen positions (f = 1: the task input, never masked).
 *
 * Forward process (log-linear schedule, ε = 1e-3):
 *
 *   α(t) = 1 − (1 − ε)·t,   t ∈ [0, 1)
 *   t_b ~ U(0, 1) per sequence, drawn on the JavaScript side from the model's
 *   seeded masking stream (a fresh draw on every call of loss());
 *   m[b, i] ~ Bernoulli(1 − α(t_b)) when f[b, i] = 0, m[b, i] = 0 when f[b, i] = 1;
 *   x̃[b, i] = [MASK] where m[b, i] = 1, x[b, i] elsewhere.
 *
 * Loss (continuous-time NELBO of MDLM, Sahoo et al. 2024), with logits
 * z = Transformer(x̃) [B, t, V] and log p = logSoftmax(z):
 *
 *   w(t) = −α′(t) / (1 − α(t)) = (1 − ε) / ((1 − ε)·t) = 1 / t
 *   L = (1/B) Σ_b w(t_b) · Σ_i m[b, i] · (−log p[b, i, x[b, i]])
 *
 * i.e. per sequence the cross-entropy summed (not averaged) over its masked
 * positions, weighted by 1/t_b, then averaged over the B sequences (a
 * sequence with no masked position contributes 0 and still counts in B). It
 * is computed with maskedCrossEntropy on the weighted mask m′ = w·m, whose
 * value is Σ m′ℓ / max(1, Σ m′), rescaled by max(1, Σ m′) / B.
 *
 * Sampling with S denoising steps: every non-frozen position starts as
 * [MASK]; at step k = 0..S−1, with r masked positions left in a row, the model
 * is run on the current rows and n = ⌈r / (S − k)⌉ of them are unmasked —
 * chosen uniformly at random ('random') or those with the highest maximum
 * probability first ('confidence', easy-first) — each set to the argmax
 * ('greedy') or a draw ('sample') of the predicted distribution over the
 * vocabulary without [MASK] (the [MASK] logit is excluded, as in MDLM's
 * substitution parameterisation). With S ≥ the number of masked positions
 * one position is unmasked per step.
 */
import type * as TF from '@tensorflow/tfjs';
import { readTidy, tfNow } from '../backend/index.js';
import { SeededRandom, Transformer } from '../backbone/index.js';
import type { TransformerConfigInput } from '../backbone/index.js';
import type { TrainableModel } from '../training/index.js';
import { checkMask, checkShape, maskedCrossEntropy, type Rows } from './maskedCrossEntropy.js';

/** ε of the log-linear schedule α(t) = 1 − (1 − ε)t. */
export const MDLM_EPSILON = 1e-3;

/** The backbone's seeded stream number of the forward masking (0 and 1 are the backbone's init and dropout). */
const MASKING_STREAM = 2;
/** The stream number of sampling draws under a caller's seed. */
const SAMPLING_STREAM = 3;

/** Clean token rows and their 0/1 frozen map, both [batch, seq]. */
export interface DiffusionBatch {
  /** Token ids [B, t]; none may be the [MASK] id. */
  tokens: Rows;
  /** 0/1 [B, t]: 1 where the position is task input and is never masked. */
  frozen: Rows;
  /**
   * When given, this batch's masking is drawn from its own stream (seed
   * maskingSeed) instead of the model's running one, so a run whose batches
   * carry per-step seeds is a pure function of the step (an exact resume).
   */
  maskingSeed?: number;
}

/** One draw of the forward process for a batch. */
export interface Masking {
  /** Diffusion time t_b ∈ [0, 1) per sequence. */
  times: number[];
  /** 0/1 [B, t]: 1 where the position is replaced by [MASK]. */
  masked: number[][];
}

export interface MaskedDiffusionConfig {
  /** The backbone; its attention is forced to 'bidirectional' ('causal' is rejected). */
  backbone: TransformerConfigInput;
  /** The absorbing [MASK] token id, inside [0, vocabSize). */
  maskToken: number;
}

export interface SampleOptions {
  /** Number of denoising steps S ≥ 1. */
  steps: number;
  /** Which masked positions to reveal at each step. Default 'confidence'. */
  order?: 'random' | 'confidence';
  /** How each revealed token is chosen from the predicted distribution. Default 'greedy'. */
  decode?: 'greedy' | 'sample';
  /** Seed of the random order and of the draws. Default 0. */
  seed?: number;
}

/** log-linear α(t) = 1 − (1 − ε)t. */
export function alphaLogLinear(t: number): number {
  return 1 - (1 - MDLM_EPSILON) * t;
}

/** A bidirectional Transformer with an absorbing [MASK] and the MDLM loss; owns its backbone (call dispose()). */
export class MaskedDiffusionLM implements TrainableModel<DiffusionBatch> {
  readonly transformer: Transformer;
  readonly maskToken: number;
  private readonly maskingRandom: SeededRandom;

  constructor(config: MaskedDiffusionConfig) {
    const attention = config.backbone.attention;
    if (attention !== undefined && attention !== 'bidirectional') {
      throw new Error(`MaskedDiffusionLM: attention = ${JSON.stringify(attention)}; masked diffusion needs 'bidirectional'`);
    }
    const { maskToken } = config;
    if (!Number.isInteger(maskToken) || maskToken < 0 || maskToken >= config.backbone.vocabSize) {
      throw new Error(`MaskedDiffusionLM: maskToken = ${maskToken} must be an integer in [0, vocabSize = ${config.backbone.vocabSize})`);
    }
    this.transformer = new Transformer({ ...config.backbone, attention: 'bidirectional' });
    this.maskToken = maskToken;
    this.maskingRandom = new SeededRandom(this.transformer.config.seed, MASKING_STREAM);
  }

  variables(): TF.Variable[] {
    return this.transformer.variables();
  }

  /** Logits [B, t, V] of the (partly masked) tokens [B, t]. The caller owns the result. */
  logits(tokens: Rows, options: { training?: boolean } = {}): TF.Tensor {
    return this.transformer.forward(tokens, options);
  }

  /** Draws t_b and the mask m of the forward process (header) from `random` (default: the model's masking stream). */
  drawMasking(batch: DiffusionBatch, random: SeededRandom = this.maskingRandom): Masking {
    this.checkBatch(batch);
    const times: number[] = [];
    const masked = batch.frozen.map((row) => {
      const t = random.uniform();
      times.push(t);
      const p = 1 - alphaLogLinear(t);
      return row.map((f) => (f === 1 ? 0 : random.uniform() < p ? 1 : 0));
    });
    return { times, masked };
  }

  /** The MDLM loss of the header for a given masking. The caller owns the result. */
  lossWithMasking(batch: DiffusionBatch, masking: Masking, options: { training?: boolean } = {}): TF.Scalar {
    const tf = tfNow();
    this.checkBatch(batch);
    const rows = batch.tokens.length;
    const seq = batch.tokens[0]?.length ?? 0;
    checkShape(masking.masked, rows, seq, 'MaskedDiffusionLM masking');
    checkMask(masking.masked, 'MaskedDiffusionLM masking');
    if (masking.times.length !== rows) throw new Error(`MaskedDiffusionLM masking: ${masking.times.length} times for ${rows} rows`);
    const noisy = batch.tokens.map((row, b) => row.map((x, i) => (masking.masked[b]?.[i] === 1 ? this.maskToken : x)));
    let total = 0;
    const weighted = masking.masked.map((row, b) => {
      const t = masking.times[b] ?? 0;
      const any = row.some((m) => m === 1);
      // w(t) = −α′/(1 − α) = 1/t; a row with nothing masked contributes 0 whatever t is.
      const w = any ? (1 - MDLM_EPSILON) / (1 - alphaLogLinear(t)) : 0;
      return row.map((m) => {
        total += m * w;
        return m * w;
      });
    });
    const scale = Math.max(1, total) / rows;
    return tf.tidy(() => {
      const z = this.transformer.forward(noisy, options); // [B, t, V]
      return tf.mul(maskedCrossEntropy(z, batch.tokens, weighted), scale) as TF.Scalar;
    });
  }

  /** The MDLM loss with a fresh masking from the model's stream, dropout on. */
  loss(batch: DiffusionBatch): TF.Scalar {
    const random = batch.maskingSeed === undefined ? this.maskingRandom : new SeededRandom(batch.maskingSeed, MASKING_STREAM);
    return this.lossWithMasking(batch, this.drawMasking(batch, random), { training: true });
  }

  /** The loss without dropout under a masking drawn from `seed` (the model's stream is untouched), as a number. */
  evaluationLoss(batch: DiffusionBatch, seed = 0): number {
    const tf = tfNow();
    const masking = this.drawMasking(batch, new SeededRandom(seed, MASKING_STREAM));
    return tf.tidy(() => this.lossWithMasking(batch, masking).dataSync()[0] ?? Number.NaN);
  }

  /** Fills the non-frozen positions of one prompt by S-step unmasking (header). */
  sample(prompt: readonly number[], frozen: readonly number[], options: SampleOptions): number[] {
    return this.sampleBatch([prompt], [frozen], options)[0] ?? [];
  }

  /** Fills the non-frozen positions of each row (values there are ignored) by S-step unmasking (header). */
  sampleBatch(prompts: Rows, frozen: Rows, options: SampleOptions): number[][] {
    const tf = tfNow();
    const { steps } = options;
    if (!Number.isInteger(steps) || steps < 1) throw new Error(`MaskedDiffusionLM.sample: steps = ${steps} must be an integer ≥ 1`);
    const order = options.order ?? 'confidence';
    const decode = options.decode ?? 'greedy';
    const random = new SeededRandom(options.seed ?? 0, SAMPLING_STREAM);
    const rows = prompts.length;
    const seq = prompts[0]?.length ?? 0;
    checkShape(frozen, rows, seq, 'MaskedDiffusionLM.sample frozen');
    checkMask(frozen, 'MaskedDiffusionLM.sample frozen');
    const vocab = this.transformer.config.vocabSize;
    const current = prompts.map((row, b) =>
      row.map((x, i) => {
        if (frozen[b]?.[i] !== 1) return this.maskToken;
        if (x === this.maskToken) throw new Error(`MaskedDiffusionLM.sample: frozen position [${b}, ${i}] holds the [MASK] id`);
        return x;
      }),
    );
    for (let k = 0; k < steps; k++) {
      const open = current.map((row) => row.flatMap((x, i) => (x === this.maskToken ? [i] : [])));
      if (open.every((o) => o.length === 0)) break;
      const values = readTidy(() => this.transformer.forward(current)); // [B·t·V]
      open.forEach((positions, b) => {
        if (positions.length === 0) return;
        const n = Math.ceil(positions.length / (steps - k));
        const candidates = positions.map((i) => {
          const probs = softmaxWithout(values, (b * seq + i) * vocab, vocab, this.maskToken);
          let best = 0;
          for (let v = 1; v < vocab; v++) if ((probs[v] ?? 0) > (probs[best] ?? 0)) best = v;
          return { i, probs, best, confidence: probs[best] ?? 0 };
        });
        let chosen: typeof candidates;
        if (order === 'confidence') {
          chosen = [...candidates].sort((a, c) => c.confidence - a.confidence || a.i - c.i).slice(0, n);
        } else {
          const pool = [...candidates];
          for (let j = 0; j < n; j++) {
            const r = j + Math.floor(random.uniform() * (pool.length - j));
            [pool[j], pool[r]] = [pool[r]!, pool[j]!];
          }
          chosen = pool.slice(0, n);
        }
        const row = current[b]!;
        for (const c of chosen) row[c.i] = decode === 'greedy' ? c.best : drawIndex(c.probs, random.uniform());
      });
    }
    return current;
  }

  dispose(): void {
    this.transformer.dispose();
  }

  private checkBatch(batch: DiffusionBatch): void {
    const rows = batch.tokens.length;
    const seq = batch.tokens[0]?.length ?? 0;
    checkShape(batch.tokens, rows, seq, 'MaskedDiffusionLM tokens');
    checkShape(batch.frozen, rows, seq, 'MaskedDiffusionLM frozen');
    checkMask(batch.frozen, 'MaskedDiffusionLM frozen');
    batch.tokens.forEach((row, b) =>
      row.forEach((x, i) => {
        if (x === this.maskToken) throw new Error(`MaskedDiffusionLM tokens: [${b}, ${i}] is the [MASK] id ${x}; clean rows hold no [MASK]`);
      }),
    );
  }
}

/** Softmax of values[base .. base + width) with entry `excluded` set to probability 0. */
function softmaxWithout(values: ArrayLike<number>, base: number, width: number, excluded: number): Float64Array {
  const out = new Float64Array(width);
  let max = -Infinity;
  for (let v = 0; v < width; v++) if (v !== excluded) max = Math.max(max, values[base + v] ?? -Infinity);
  let sum = 0;
  for (let v = 0; v < width; v++) {
    const e = v === excluded ? 0 : Math.exp((values[base + v] ?? -Infinity) - max);
    out[v] = e;
    sum += e;
  }
  for (let v = 0; v < width; v++) out[v] = (out[v] ?? 0) / sum;
  return out;
}

/** The index whose cumulative probability first exceeds u ∈ (0, 1); the last positive one on round-off. */
function drawIndex(probs: Float64Array, u: number): number {
  let acc = 0;
  let last = 0;
  for (let v = 0; v < probs.length; v++) {
    const p = probs[v] ?? 0;
    if (p <= 0) continue;
    last = v;
    acc += p;
    if (u < acc) return v;
  }
  return last;
}
