/**
 * CellConfig — one cell of a probe: one model kind trained on one task at one
 * depth, with its size, training budget, data and seed. A cell is a pure
 * function of its config (and the backend): `depthlab train` runs one, the
 * probe harness runs a grid of them, and a cell's id is the hash of its
 * config (cellHash).
 *
 * Model kinds (each carries its own behaviour in modelKinds.ts):
 *   ar         causal transformer on <bos> input <ans> answer <eos>, loss on the answer
 *   cot        causal transformer on <bos> input <sep> trace <ans> answer <eos>,
 *              loss on trace + answer, evaluated after free-running generation
 *   tagged     transformer labelling every input position (prefix values)
 *   diffusion  masked-diffusion (MDLM) transformer generating the answer (or
 *              trace + answer) given the input, in `denoisingSteps` steps
 *   looped     the causal transformer's `layers` blocks applied `loops` times
 *   lstm       an LSTM causal LM sized to the transformer's parameter count
 *
 * Validation is zod; a bad field gives one line naming it, its value and the fix.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const MODEL_KINDS = ['ar', 'cot', 'tagged', 'diffusion', 'looped', 'lstm'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const positive = z.number().int().positive();

/** The example counts a cell draws when its config leaves them out (capped by what the depth has). */
export const DEFAULT_N_TRAIN = 2000;
export const DEFAULT_N_TEST = 200;

export const cellConfigSchema = z.strictObject({
  /** Task id (`depthlab tasks list`), e.g. 's5', 'parity', 'word'. */
  task: z.string().min(1),
  /** Group of the 'word' task (e.g. 'S4', 'A5', 'Z6'). */
  group: z.string().min(1).optional(),
  depth: z.number().int().nonnegative(),
  model: z.enum(MODEL_KINDS),
  /** Transformer blocks (distinct blocks for 'looped'; LSTM layers for 'lstm'). */
  layers: positive.default(2),
  dModel: positive.default(64),
  heads: positive.default(4),
  /** Learned absolute positions, or rotary embeddings (better placed to generalise in length). */
  positional: z.enum(['learned', 'rope']).default('learned'),
  /** R of the looped transformer (ignored by the other kinds). */
  loops: positive.default(4),
  /** Denoising steps S of 'diffusion' sampling; default: one per generated position. */
  denoisingSteps: positive.optional(),
  /** Which masked positions 'diffusion' reveals first. */
  unmaskOrder: z.enum(['confidence', 'random']).default('confidence'),
  /** What 'diffusion' generates given the input. */
  diffusionTarget: z.enum(['answer', 'cot']).default('answer'),
  steps: positive.default(400),
  /** A token budget (batch × sequence length per step) instead of `steps`. */
  tokens: positive.optional(),
  batchSize: positive.default(32),
  /** Peak learning rate of Adam(W). */
  lr: z.number().positive().max(1).default(1e-3),
  /** Linear warm-up steps (default: 5% of steps). */
  warmupSteps: z.number().int().nonnegative().optional(),
  weightDecay: z.number().nonnegative().max(1).default(0),
  clipNorm: z.number().nonnegative().default(1),
  /** Distinct training examples; default DEFAULT_N_TRAIN, or all the depth's train split holds if fewer. */
  nTrain: positive.optional(),
  /** Distinct test examples; default DEFAULT_N_TEST, or all the depth's test split holds if fewer. */
  nTest: positive.optional(),
  /**
   * Depth generalisation: after training, also score the model on test
   * examples at these depths (untrained lengths, for sequence tasks).
   */
  evalDepths: z.array(z.number().int().nonnegative()).default([]),
  /** Early stopping: validate every `evalEvery` steps on held-out train examples. */
  evalEvery: z.number().int().nonnegative().default(0),
  /** Stop once validation answer accuracy reaches this (with evalEvery > 0). */
  earlyStop: z.number().min(0).max(1).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
});

/** What a caller writes: the task, depth and model, and any field to change from its default. */
export type CellConfigInput = z.input<typeof cellConfigSchema>;
/** The resolved config: every default filled in. */
export type CellConfig = z.output<typeof cellConfigSchema>;

/** A config that cannot run; the message is one line (field, value, fix). */
export class CellConfigError extends Error {
  override readonly name = 'CellConfigError';
  constructor(readonly field: string, message: string) {
    super(message);
  }
}

/** Validates and fills in the defaults; throws CellConfigError naming the first bad field. */
export function cellConfig(input: unknown): CellConfig {
  const parsed = cellConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(config)';
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], input);
    const shown = value === undefined ? 'missing' : JSON.stringify(value);
    throw new CellConfigError(field, `${field} = ${shown}: ${issue.message}`);
  }
  const c = parsed.data;
  if (c.dModel % c.heads !== 0) {
    throw new CellConfigError('heads', `heads = ${c.heads}: dModel (${c.dModel}) must be a multiple of heads; pick heads dividing dModel`);
  }
  if (c.earlyStop !== undefined && c.evalEvery === 0) {
    throw new CellConfigError('evalEvery', `evalEvery = 0: earlyStop needs validation; set evalEvery to a step interval, e.g. 50`);
  }
  if (c.positional === 'rope' && (c.dModel / c.heads) % 2 !== 0) {
    throw new CellConfigError('positional', `positional = "rope": the head size dModel/heads (${c.dModel / c.heads}) must be even; change dModel or heads`);
  }
  if (c.evalDepths.includes(c.depth)) {
    throw new CellConfigError('evalDepths', `evalDepths = ${JSON.stringify(c.evalDepths)}: lists the training depth ${c.depth}, which the test split already scores; drop it`);
  }
  if (c.warmupSteps !== undefined && c.warmupSteps > c.steps) {
    throw new CellConfigError('warmupSteps', `warmupSteps = ${c.warmupSteps}: must be at most steps (${c.steps})`);
  }
  return c;
}

/**
 * The cell's id: SHA-256 (hex, first 16 digits) of its resolved config as
 * canonical JSON (keys sorted, fields at their default written out), so two
 * spellings of the same config share an id.
 */
export function cellHash(config: CellConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 16);
}

/** JSON with object keys sorted at every level (undefined fields dropped). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
