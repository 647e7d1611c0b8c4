/**
 * The autoregressive language-model kind (issue 5, "AR answer-only" and "AR
 * chain-of-thought"): a causal Transformer trained by next-token prediction
 * on the positions a loss mask selects, decoded greedily.
 *
 * A batch is plain arrays: tokens x [B, t] (rows padded to one length with a
 * pad id) and a 0/1 mask r [B, t] aligned with the tokens, r[b, j] = 1 when
 * token j is to be predicted from tokens < j (so r[b, 0] = 0 always). With
 * logits z = Transformer(x) [B, t, V] (causal: z[b, i] sees x[b, ≤ i]):
 *
 *   log p[b, i] = logSoftmax(z[b, i])                                 [B, t, V]
 *   L = − Σ_{b, j ≥ 1} r[b, j] · log p[b, j−1, x[b, j]]  /  Σ_{b, j} r[b, j]
 *
 * i.e. the shifted targets y[b, i] = x[b, i+1] and mask m[b, i] = r[b, i+1]
 * (m[b, t−1] = 0) fed to the masked mean cross-entropy of
 * maskedCrossEntropy.ts (one-hot via oneHotFloat, safe on wasm).
 *
 * Answer-only training masks the answer (and end) tokens; chain-of-thought
 * training masks trace + answer + end. Evaluation is either teacher forced
 * (evaluate: argmax of z[b, j−1] against x[b, j] where r[b, j] = 1) or free
 * running (greedyDecode: re-run the model on the growing prefix and append
 * argmax z[last]).
 */
import type * as TF from '@tensorflow/tfjs';
import { readTidy, tfNow } from '../backend/index.js';
import { Transformer } from '../backbone/index.js';
import type { Backbone, TransformerConfigInput } from '../backbone/index.js';
import type { TrainableModel } from '../training/index.js';
import { argmaxRows, checkMask, checkShape, maskedCrossEntropy, type Rows } from './maskedCrossEntropy.js';

/** Token rows and their 0/1 loss mask, both [batch, seq]. */
export interface LMBatch {
  /** Token ids [B, t], rows padded to one length with the pad id. */
  tokens: Rows;
  /** 0/1 mask [B, t]: 1 where token j is predicted from tokens < j (column 0 must be 0). */
  targets: Rows;
}

/** Teacher-forced accuracy over the masked positions. */
export interface LMEvaluation {
  /** Fraction of masked positions whose argmax prediction equals the token (NaN when none are masked). */
  tokenAccuracy: number;
  /** Fraction of sequences whose masked positions are all right (a sequence with none counts as right). */
  sequenceAccuracy: number;
  /** Number of masked positions. */
  positions: number;
  /** Number of sequences. */
  sequences: number;
}

/** A prompt and the tokens greedy decoding should produce after it (stop token included when expected). */
export interface DecodeExample {
  prompt: readonly number[];
  expected: readonly number[];
}

/**
 * A causal language model with a next-token loss; owns its backbone (call
 * dispose()). The backbone is a Transformer built from a config (plain, or
 * looped with `loops`), or any causal Backbone such as the LSTM control.
 */
export class CausalLM implements TrainableModel<LMBatch> {
  readonly transformer: Backbone;

  /** The backbone's attention must be causal (the default); 'bidirectional' is rejected. */
  constructor(config: TransformerConfigInput | Backbone) {
    const attention = isBackbone(config) ? config.config.attention : config.attention;
    if (attention !== undefined && attention !== 'causal') {
      throw new Error(`CausalLM: attention = ${JSON.stringify(attention)}; a causal LM needs 'causal'`);
    }
    this.transformer = isBackbone(config) ? config : new Transformer({ ...config, attention: 'causal' });
  }

  /** Number of trainable parameters of the backbone. */
  get parameterCount(): number {
    return this.transformer.parameterCount;
  }

  variables(): TF.Variable[] {
    return this.transformer.variables();
  }

  /** Logits [B, t, V] of the tokens [B, t]. The caller owns the result. */
  logits(tokens: Rows, options: { training?: boolean } = {}): TF.Tensor {
    return this.transformer.forward(tokens, options);
  }

  /** Mean next-token cross-entropy over the masked positions (header), with dropout on. */
  loss(batch: LMBatch): TF.Scalar {
    const tf = tfNow();
    const { next, mask } = shiftedTargets(batch);
    return tf.tidy(() => {
      const z = this.transformer.forward(batch.tokens, { training: true }); // [B, t, V]
      return maskedCrossEntropy(z, next, mask);
    });
  }

  /** The same loss without dropout, read back as a number. */
  evaluationLoss(batch: LMBatch): number {
    const tf = tfNow();
    const { next, mask } = shiftedTargets(batch);
    return tf.tidy(() => maskedCrossEntropy(this.transformer.forward(batch.tokens), next, mask).dataSync()[0] ?? Number.NaN);
  }

  /** Teacher-forced token and sequence accuracy over the masked positions. */
  evaluate(batch: LMBatch): LMEvaluation {
    const tf = tfNow();
    const { next, mask } = shiftedTargets(batch);
    const batchSize = batch.tokens.length;
    const seq = batch.tokens[0]?.length ?? 0;
    const vocab = this.transformer.config.vocabSize;
    const values = readTidy(() => this.transformer.forward(batch.tokens)); // [B·t·V]
    const predicted = argmaxRows(values, batchSize * seq, vocab); // [B·t]
    let positions = 0;
    let right = 0;
    let sequencesRight = 0;
    for (let b = 0; b < batchSize; b++) {
      let allRight = true;
      for (let i = 0; i < seq; i++) {
        if (mask[b]?.[i] !== 1) continue;
        positions += 1;
        if (predicted[b * seq + i] === next[b]?.[i]) right += 1;
        else allRight = false;
      }
      if (allRight) sequencesRight += 1;
    }
    return {
      tokenAccuracy: positions === 0 ? Number.NaN : right / positions,
      sequenceAccuracy: batchSize === 0 ? Number.NaN : sequencesRight / batchSize,
      positions,
      sequences: batchSize,
    };
  }

  /**
   * Greedy free-running generation after `prompt`: up to `maxNew` tokens,
   * stopping after `stopToken` (which is included) or at the context length.
   * Returns the generated ids only.
   */
  greedyDecode(prompt: readonly number[], maxNew: number, stopToken: number): number[] {
    const tf = tfNow();
    const context = this.transformer.config.contextLength;
    const vocab = this.transformer.config.vocabSize;
    if (prompt.length < 1 || prompt.length > context) {
      throw new Error(`CausalLM.greedyDecode: prompt length ${prompt.length} must be in [1, contextLength = ${context}]`);
    }
    const prefix = [...prompt];
    const generated: number[] = [];
    while (generated.length < maxNew && prefix.length < context) {
      const last = readTidy(() => {
        const z = this.transformer.forward([prefix]); // [1, t, V]
        return tf.slice(z, [0, prefix.length - 1, 0], [1, 1, vocab]); // [V]
      });
      const id = argmaxRows(last, 1, vocab)[0] ?? 0;
      generated.push(id);
      prefix.push(id);
      if (id === stopToken) break;
    }
    return generated;
  }

  /**
   * greedyDecode for many prompts of one length at once: each step runs the
   * model on all unfinished rows [B, t] and appends argmax z[b, t−1]. Row b
   * equals greedyDecode(prompts[b], maxNew, stopToken) (up to float32 ties).
   */
  greedyDecodeBatch(prompts: Rows, maxNew: number, stopToken: number): number[][] {
    const tf = tfNow();
    const context = this.transformer.config.contextLength;
    const vocab = this.transformer.config.vocabSize;
    const length = prompts[0]?.length ?? 0;
    checkShape(prompts, prompts.length, length, 'CausalLM.greedyDecodeBatch prompts');
    if (length < 1 || length > context) {
      throw new Error(`CausalLM.greedyDecodeBatch: prompt length ${length} must be in [1, contextLength = ${context}]`);
    }
    const rows = prompts.map((p) => [...p]);
    const generated: number[][] = prompts.map(() => []);
    let open = rows.map((_, b) => b); // rows still generating
    for (let t = length; open.length > 0 && t < context && t - length < maxNew; t++) {
      const live = open.map((b) => rows[b]!);
      const last = readTidy(() => {
        const z = this.transformer.forward(live); // [B', t, V]
        return tf.slice(z, [0, t - 1, 0], [live.length, 1, vocab]); // [B'·V]
      });
      const ids = argmaxRows(last, live.length, vocab);
      open = open.filter((b, i) => {
        const id = ids[i] ?? 0;
        rows[b]!.push(id);
        generated[b]!.push(id);
        return id !== stopToken;
      });
    }
    return generated;
  }

  /** Fraction of examples whose greedy continuation equals `expected` exactly (NaN for none). */
  decodeAccuracy(examples: readonly DecodeExample[], stopToken: number): number {
    if (examples.length === 0) return Number.NaN;
    let right = 0;
    // Decode prompts of one length together (greedyDecodeBatch).
    const byLength = new Map<number, DecodeExample[]>();
    for (const e of examples) byLength.set(e.prompt.length, [...(byLength.get(e.prompt.length) ?? []), e]);
    for (const group of byLength.values()) {
      const maxNew = Math.max(...group.map((e) => e.expected.length));
      const outs = this.greedyDecodeBatch(group.map((e) => e.prompt), maxNew, stopToken);
      group.forEach((e, i) => {
        const out = (outs[i] ?? []).slice(0, e.expected.length);
        if (out.length === e.expected.length && out.every((v, j) => v === e.expected[j])) right += 1;
      });
    }
    return right / examples.length;
  }

  dispose(): void {
    this.transformer.dispose();
  }
}

function isBackbone(x: TransformerConfigInput | Backbone): x is Backbone {
  return typeof (x as Partial<Backbone>).forward === 'function';
}

/** y[b, i] = x[b, i+1] and m[b, i] = r[b, i+1], the last column padded with x[b, t−1] and 0. */
function shiftedTargets(batch: LMBatch): { next: number[][]; mask: number[][] } {
  const rows = batch.tokens.length;
  const seq = batch.tokens[0]?.length ?? 0;
  checkShape(batch.tokens, rows, seq, 'CausalLM tokens');
  checkShape(batch.targets, rows, seq, 'CausalLM targets');
  checkMask(batch.targets, 'CausalLM targets');
  const next: number[][] = [];
  const mask: number[][] = [];
  batch.tokens.forEach((row, b) => {
    const r = batch.targets[b] ?? [];
    if (r[0] === 1) throw new Error(`CausalLM targets: row ${b} masks position 0, which no earlier token predicts`);
    next.push([...row.slice(1), row[seq - 1] ?? 0]);
    mask.push([...r.slice(1), 0]);
  });
  return { next, mask };
}
