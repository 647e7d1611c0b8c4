/**
 * StudySpec — a data-constrained study (issue 7): which unique-token budgets
 * U and epoch counts E, which model kinds (with their own grids: N orders and
 * attention dropout for AR's augmentations), sizes, seeds, and the data,
 * training and evaluation settings every cell shares. It expands into study
 * cells (expandStudyGrid.ts), each a StudyCellConfig whose hash is its id.
 *
 *   name: data-quick
 *   data:        { corpus: brown-char, heldOutTokens: 8000 }        # or brown-bpe + bpeVocabSize,
 *                                                                    # or task + task/taskDepth/taskFormat
 *   uniqueTokens: [2000, 8000]
 *   epochs:       [1, 4, 16, 64]          # one run per E: its final loss is the point (U, E)
 *   models:
 *     - kind: ar
 *     - kind: diffusion
 *     - kind: ar-orders
 *       orders: [1, 16]                   # N fixed token orders (σ-GPT any-order AR)
 *       attentionDropout: [0, 0.1]
 *   sizes:       { layers: [1], dModel: [32], heads: 4 }
 *   training:    { contextLength: 32, batchSize: 16, lr: 0.003 }
 *   evaluation:  { evalPoints: 5, elboStrata: 4, elboDraws: 2 }
 *   seeds:       [0]
 *
 * JSON or YAML, as probe specs (same reader, same one-line errors naming the
 * JSON path, the value and the fix; unknown keys refused). Values of the data,
 * training and evaluation sections are checked again per cell by
 * studyCellConfig, whose message is prefixed with the cell's place in the grid.
 */
import { z } from 'zod';
import { STUDY_CORPORA, STUDY_MODEL_KINDS } from '../cell/StudyCellConfig.js';
import { readSpecText, validateSpec } from '../../spec/_internals/validateSpec.js';

const positive = z.number().int().positive();
const rate = z.number().min(0).lt(1);
const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'list at least one value');

const modelEntry = z.strictObject({
  kind: z.enum(STUDY_MODEL_KINDS),
  /** ar-orders: the grid of N, the number of fixed token orders (1 = left to right). */
  orders: nonEmpty(positive).optional(),
  /** The grid of attention-dropout rates (on the attention probabilities only). */
  attentionDropout: nonEmpty(rate).optional(),
  /** The grid of the backbone's dropout rates. */
  dropout: nonEmpty(rate).optional(),
});

export const studySpecSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" or "-"')
    .optional(),
  description: z.string().optional(),
  /** What the tokens are: StudyCellConfig's data fields, shared by every cell. */
  data: z
    .strictObject({
      corpus: z.enum(STUDY_CORPORA).optional(),
      bpeVocabSize: positive.optional(),
      corpusSeed: z.number().int().min(0).optional(),
      heldOutTokens: positive.optional(),
      task: z.string().min(1).optional(),
      group: z.string().min(1).optional(),
      taskDepth: z.number().int().nonnegative().optional(),
      taskFormat: z.enum(['direct', 'cot']).optional(),
    })
    .default({}),
  /** U: the unique-token budgets. */
  uniqueTokens: nonEmpty(positive),
  /** E: one run per epoch count. */
  epochs: nonEmpty(positive),
  models: nonEmpty(modelEntry),
  sizes: z
    .strictObject({
      layers: nonEmpty(positive).default([2]),
      dModel: nonEmpty(positive).default([64]),
      heads: positive.default(4),
    })
    .default({ layers: [2], dModel: [64], heads: 4 }),
  seeds: nonEmpty(z.number().int().min(0).max(2 ** 31 - 1)).default([0]),
  training: z
    .strictObject({
      contextLength: z.number().int().min(2).optional(),
      batchSize: positive.optional(),
      lr: z.number().positive().max(1).optional(),
      warmupSteps: z.number().int().nonnegative().optional(),
      weightDecay: z.number().nonnegative().max(1).optional(),
      clipNorm: z.number().nonnegative().optional(),
    })
    .default({}),
  evaluation: z
    .strictObject({
      evalPoints: positive.optional(),
      elboStrata: positive.optional(),
      elboDraws: positive.optional(),
    })
    .default({}),
});

export type StudySpecInput = z.input<typeof studySpecSchema>;
export type StudySpec = z.output<typeof studySpecSchema>;

/** Validates a study spec (a parsed JSON value); a bad one throws a one-line ProbeSpecError. */
export function studySpec(input: unknown, source = 'spec'): StudySpec {
  return validateSpec(studySpecSchema, input, source);
}

/** Parses study spec text: YAML when `source` ends in .yaml or .yml, JSON otherwise. */
export function parseStudySpec(text: string, source = 'spec'): StudySpec {
  return studySpec(readSpecText(text, source), source);
}
