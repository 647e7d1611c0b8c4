/**
 * The tagged model kind (issue 5, "tagged" format): a Transformer, causal or
 * bidirectional, whose output at every input position is classified into a
 * label vocabulary of size C; one label per position, as in the
 * word-problem literature.
 *
 * The label head is the backbone's (untied) unembedding restricted to its
 * first C columns: the backbone is built with V' = max(V, C) outputs, and
 *
 *   z = Transformer(x)[:, :, 0..C)                              [B, t, C]
 *   log p[b, i] = logSoftmax(z[b, i])                            [B, t, C]
 *   L = − Σ_{b,i} m[b, i] · log p[b, i, y[b, i]] / Σ_{b,i} m[b, i]
 *
 * with tokens x [B, t] (ids < V), labels y [B, t] (ids < C) and a 0/1 mask
 * m [B, t] (default: all ones, i.e. the loss averaged over all positions;
 * give 0 on padding). Evaluation: argmax z[b, i] against y[b, i] over the
 * masked positions, per position and per whole sequence.
 */
import type * as TF from '@tensorflow/tfjs';
import { readTidy, tfNow } from '../backend/index.js';
import { Transformer } from '../backbone/index.js';
import type { TransformerConfigInput } from '../backbone/index.js';
import type { TrainableModel } from '../training/index.js';
import { argmaxRows, checkMask, checkShape, maskedCrossEntropy, type Rows } from './maskedCrossEntropy.js';

/** Tokens, one label per token, and an optional 0/1 mask, all [batch, seq]. */
export interface TaggedBatch {
  tokens: Rows;
  labels: Rows;
  /** 1 where the label counts; default all ones. */
  mask?: Rows;
}

export interface TaggedEvaluation {
  /** Fraction of masked positions labelled right (NaN when none are masked). */
  positionAccuracy: number;
  /** Fraction of sequences with every masked position right. */
  sequenceAccuracy: number;
  positions: number;
  sequences: number;
}

export interface TaggedLMConfig {
  /** The backbone; its vocabSize is the input vocabulary V. tieWeights must be false (the default). */
  backbone: TransformerConfigInput;
  /** The label vocabulary size C ≥ 2. */
  labels: number;
}

/** A per-position classifier on the shared backbone; owns it (call dispose()). */
export class TaggedLM implements TrainableModel<TaggedBatch> {
  readonly transformer: Transformer;
  readonly inputVocab: number;
  readonly labelCount: number;

  constructor(config: TaggedLMConfig) {
    const { backbone, labels } = config;
    if (!Number.isInteger(labels) || labels < 2) throw new Error(`TaggedLM: labels = ${labels}, use an integer ≥ 2`);
    if (backbone.tieWeights === true) throw new Error('TaggedLM: tieWeights = true; the label head needs an untied unembedding');
    this.inputVocab = backbone.vocabSize;
    this.labelCount = labels;
    this.transformer = new Transformer({ ...backbone, vocabSize: Math.max(backbone.vocabSize, labels), tieWeights: false });
  }

  variables(): TF.Variable[] {
    return this.transformer.variables();
  }

  /** Label logits [B, t, C] of tokens [B, t]. The caller owns the result. */
  labelLogits(tokens: Rows, options: { training?: boolean } = {}): TF.Tensor {
    const tf = tfNow();
    for (const [i, row] of tokens.entries()) {
      for (const [j, id] of row.entries()) {
        if (id >= this.inputVocab) throw new Error(`TaggedLM: token ${id} at [${i}, ${j}] is outside [0, ${this.inputVocab})`);
      }
    }
    return tf.tidy(() => {
      const z = this.transformer.forward(tokens, options); // [B, t, V']
      const [batch = 0, seq = 0, width = 0] = z.shape;
      return width === this.labelCount ? z : tf.slice(z, [0, 0, 0], [batch, seq, this.labelCount]); // [B, t, C]
    });
  }

  /** Mean per-position cross-entropy over the masked positions (header), with dropout on. */
  loss(batch: TaggedBatch): TF.Scalar {
    const tf = tfNow();
    const mask = this.checkedMask(batch);
    return tf.tidy(() => maskedCrossEntropy(this.labelLogits(batch.tokens, { training: true }), batch.labels, mask));
  }

  /** The argmax label of every position, [B][t]. */
  predict(tokens: Rows): number[][] {
    const tf = tfNow();
    const batch = tokens.length;
    const seq = tokens[0]?.length ?? 0;
    const values = readTidy(() => this.labelLogits(tokens));
    const flat = argmaxRows(values, batch * seq, this.labelCount);
    return Array.from({ length: batch }, (_, b) => Array.from(flat.subarray(b * seq, (b + 1) * seq)));
  }

  /** Per-position and whole-sequence accuracy over the masked positions. */
  evaluate(batch: TaggedBatch): TaggedEvaluation {
    const mask = this.checkedMask(batch);
    const predicted = this.predict(batch.tokens);
    let positions = 0;
    let right = 0;
    let sequencesRight = 0;
    predicted.forEach((row, b) => {
      let allRight = true;
      row.forEach((label, i) => {
        if (mask[b]?.[i] !== 1) return;
        positions += 1;
        if (label === batch.labels[b]?.[i]) right += 1;
        else allRight = false;
      });
      if (allRight) sequencesRight += 1;
    });
    const sequences = predicted.length;
    return {
      positionAccuracy: positions === 0 ? Number.NaN : right / positions,
      sequenceAccuracy: sequences === 0 ? Number.NaN : sequencesRight / sequences,
      positions,
      sequences,
    };
  }

  dispose(): void {
    this.transformer.dispose();
  }

  private checkedMask(batch: TaggedBatch): Rows {
    const rows = batch.tokens.length;
    const seq = batch.tokens[0]?.length ?? 0;
    checkShape(batch.labels, rows, seq, 'TaggedLM labels');
    batch.labels.forEach((row, i) =>
      row.forEach((y, j) => {
        if (!Number.isInteger(y) || y < 0 || y >= this.labelCount) {
          throw new Error(`TaggedLM labels: ${y} at [${i}, ${j}] is outside [0, ${this.labelCount})`);
        }
      }),
    );
    const mask = batch.mask ?? batch.tokens.map((row) => row.map(() => 1));
    checkShape(mask, rows, seq, 'TaggedLM mask');
    checkMask(mask, 'TaggedLM mask');
    return mask;
  }
}
