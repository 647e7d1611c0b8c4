/**
 * ProbeSpec — an experiment: which tasks at which depths, which model kinds
 * at which sizes, how many seeds, what training budget, and the accuracy τ
 * that counts as "solved". It expands into cells (expandGrid.ts), each a
 * CellConfig whose hash is its id.
 *
 *   {
 *     "name": "quick",
 *     "tasks":    [{ "task": "parity", "depths": [4, 8] }, { "task": "word", "group": "S5", "depths": [4, 8] }],
 *     "models":   [{ "kind": "ar" }, { "kind": "cot" },
 *                  { "kind": "diffusion", "denoisingSteps": [1, 2, 4] }, { "kind": "looped", "loops": [2, 4] }],
 *     "sizes":    { "layers": [1, 2], "dModel": [32], "heads": 4 },
 *     "seeds":    [0, 1, 2],
 *     "training": { "steps": 400, "batchSize": 32, "lr": 0.001, "evalEvery": 50, "earlyStop": 0.99 },
 *     "data":     { "nTrain": 2000, "nTest": 200 },
 *     "evaluation": { "tau": 0.9, "depthGeneralization": "deeper" }
 *   }
 *
 * The same in YAML (a .yaml/.yml file) is read too. Validation is zod
 * (unknown keys rejected); an invalid spec gives one line
 * naming the JSON path, the bad value and the fix.
 */
import { z } from 'zod';
import { ProbeSpecError } from './ProbeSpecError.js';
import { readSpecText, validateSpec } from './_internals/validateSpec.js';
import { MODEL_KINDS } from '../cell/CellConfig.js';

const positive = z.number().int().positive();
const nonEmpty = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'list at least one value');

const taskEntry = z.strictObject({
  task: z.string().min(1),
  group: z.string().min(1).optional(),
  depths: nonEmpty(z.number().int().nonnegative()),
});

const modelEntry = z.strictObject({
  kind: z.enum(MODEL_KINDS),
  /** looped: the grid of R. */
  loops: nonEmpty(positive).optional(),
  /** diffusion: the grid of denoising steps S (omit for one per generated position). */
  denoisingSteps: nonEmpty(positive).optional(),
  unmaskOrder: z.enum(['confidence', 'random']).optional(),
  diffusionTarget: z.enum(['answer', 'cot']).optional(),
});

export const probeSpecSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'use letters, digits, ".", "_" or "-"')
    .optional(),
  description: z.string().optional(),
  tasks: nonEmpty(taskEntry),
  models: nonEmpty(modelEntry),
  sizes: z
    .strictObject({
      layers: nonEmpty(positive).default([2]),
      dModel: nonEmpty(positive).default([64]),
      heads: positive.default(4),
      positional: z.enum(['learned', 'rope']).default('learned'),
    })
    .default({ layers: [2], dModel: [64], heads: 4, positional: 'learned' }),
  seeds: nonEmpty(z.number().int().min(0).max(2 ** 31 - 1)).default([0, 1, 2]),
  training: z
    .strictObject({
      steps: positive.optional(),
      /** A token budget instead of a step budget. */
      tokens: positive.optional(),
      batchSize: positive.optional(),
      lr: z.number().positive().max(1).optional(),
      warmupSteps: z.number().int().nonnegative().optional(),
      weightDecay: z.number().nonnegative().max(1).optional(),
      clipNorm: z.number().nonnegative().optional(),
      evalEvery: z.number().int().nonnegative().optional(),
      earlyStop: z.number().min(0).max(1).optional(),
    })
    .default({}),
  data: z.strictObject({ nTrain: positive.optional(), nTest: positive.optional() }).default({}),
  evaluation: z
    .strictObject({
      tau: z.number().min(0).max(1).default(0.9),
      /**
       * The depth-generalisation split: each cell is also scored on test
       * examples at its task's other depths in the spec — the deeper ones
       * ('deeper') or all ('all'); 'none' scores the training depth only.
       */
      depthGeneralization: z.enum(['none', 'deeper', 'all']).default('none'),
    })
    .default({ tau: 0.9, depthGeneralization: 'none' }),
});

export type ProbeSpecInput = z.input<typeof probeSpecSchema>;
export type ProbeSpec = z.output<typeof probeSpecSchema>;

export { ProbeSpecError };

/**
 * Validates a spec (a parsed JSON value). `source` names where it came from
 * (a file path) for the error message.
 */
export function probeSpec(input: unknown, source = 'spec'): ProbeSpec {
  return validateSpec(probeSpecSchema, input, source);
}

/**
 * Parses spec text: YAML when `source` ends in .yaml or .yml, JSON otherwise.
 * A syntax error is one line with the position.
 */
export function parseProbeSpec(text: string, source = 'spec'): ProbeSpec {
  return probeSpec(readSpecText(text, source), source);
}
