/**
 * StudyCellConfig — one cell of the data-constrained study (issue 7): one
 * model kind trained for E epochs on U unique tokens of the Brown corpus,
 * (or on U tokens of a task's examples), with held-out bits per token
 * measured along the way. A cell is a pure
 * function of its config (and the backend); its id is the hash of the
 * resolved config (studyCellHash), as for probe cells.
 *
 *   corpus        'brown-char' (CharTokenizer) or 'brown-bpe' (trainBpe with
 *                 `bpeVocabSize` ids, default 1024); either tokenizer is
 *                 trained on the training documents only (all of them, so it
 *                 does not depend on U), split by `corpusSeed`; or 'task':
 *                 distinct examples of `task` (with `group` for 'word') at
 *                 `taskDepth`, each written as <bos> input <sep> trace <ans>
 *                 answer <eos> (taskFormat 'cot', the default) or <bos> input
 *                 <ans> answer <eos> ('direct'), concatenated (taskCorpus.ts;
 *                 held-out inputs split off by hash, ordered by `corpusSeed`).
 *   uniqueTokens  U, the training stream's length (studyCorpus).
 *   epochs        E: the run makes E passes over the training windows, a
 *                 token budget of E·W·C ≈ E·U (see studyWindows.ts).
 *   model         'ar' (CausalLM), 'diffusion' (MaskedDiffusionLM, MDLM) or
 *                 'ar-orders' (AnyOrderLM with `orders` = N fixed orders;
 *                 N = 1 is left-to-right AR with an order embedding).
 *   lr            peak rate: linear warm-up (`warmupSteps`, default 5% of the
 *                 run) then cosine decay to lr/10 over the whole run.
 *   evalPoints    K held-out evaluations, log-spaced in epochs, the last at
 *                 the end (studyPlan.ts).
 *   elboStrata, elboDraws  the diffusion NELBO estimator (mdlmElbo.ts 'counts').
 *   dropout       the backbone's dropout (embeddings, residual branches and
 *                 attention probabilities); attentionDropout drops the
 *                 attention probabilities alone (any model kind; "AR with
 *                 augmentation" in the issue).
 *
 * Validation is zod; a bad field gives one line naming it, its value and the fix.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { findTask, TASK_IDS, type Task } from '../../../circuits/tasks/index.js';
import { canonicalJson } from '../../cell/CellConfig.js';
import { TASK_FORMATS, type TaskFormat } from '../corpus/taskTokenizer.js';

export const STUDY_CORPORA = ['brown-char', 'brown-bpe', 'task'] as const;
export const STUDY_MODEL_KINDS = ['ar', 'diffusion', 'ar-orders'] as const;
export type StudyCorpusName = (typeof STUDY_CORPORA)[number];
export type StudyModelKind = (typeof STUDY_MODEL_KINDS)[number];

/** The BPE vocabulary of 'brown-bpe' when the config leaves it out. */
export const DEFAULT_BPE_VOCAB_SIZE = 1024;
/** How corpus 'task' writes an example when the config leaves taskFormat out: with its trace. */
export const DEFAULT_TASK_FORMAT: TaskFormat = 'cot';

const positive = z.number().int().positive();
const seed = z.number().int().min(0).max(2 ** 31 - 1);

export const studyCellConfigSchema = z.strictObject({
  corpus: z.enum(STUDY_CORPORA).default('brown-char'),
  /** Ids of the BPE vocabulary, specials and alphabet included ('brown-bpe' only; default 1024). */
  bpeVocabSize: positive.optional(),
  /** Task id of corpus 'task' (`depthlab tasks list`), e.g. 'parity', 's5', 'word'. */
  task: z.string().min(1).optional(),
  /** Group of the 'word' task (e.g. 'S4', 'A5', 'Z6'). */
  group: z.string().min(1).optional(),
  /** The task's depth parameter (corpus 'task'). */
  taskDepth: z.number().int().nonnegative().optional(),
  /** 'cot' (default): the trace is part of each example's text; 'direct': input then answer. */
  taskFormat: z.enum(TASK_FORMATS).optional(),
  /** Seed of the held-out/training document split (and of the diffusion ELBO's masks). */
  corpusSeed: seed.default(0),
  /** U: exactly this many training tokens. */
  uniqueTokens: positive,
  /** E: passes over the training windows. */
  epochs: positive,
  model: z.enum(STUDY_MODEL_KINDS),
  /** N fixed orders of 'ar-orders' (default 1: left to right). */
  orders: positive.optional(),
  layers: positive.default(2),
  dModel: positive.default(64),
  heads: positive.default(4),
  /** The backbone's dropout rate. */
  dropout: z.number().min(0).lt(1).default(0),
  /** Dropout on the attention probabilities alone, independent of `dropout`. */
  attentionDropout: z.number().min(0).lt(1).default(0),
  /** C: tokens scored per window; rows hold C + 1 tokens (the first is given). */
  contextLength: z.number().int().min(2).default(64),
  batchSize: positive.default(32),
  /** Peak learning rate of Adam(W). */
  lr: z.number().positive().max(1).default(1e-3),
  /** Linear warm-up steps (default: 5% of the run's steps). */
  warmupSteps: z.number().int().nonnegative().optional(),
  weightDecay: z.number().nonnegative().max(1).default(0),
  clipNorm: z.number().nonnegative().default(1),
  /** Held-out tokens (the same text for every U). */
  heldOutTokens: positive.default(20_000),
  /** K held-out evaluations during the run (log-spaced in epochs, the last at the end). */
  evalPoints: positive.default(8),
  /** Strata K of the diffusion NELBO estimator. */
  elboStrata: positive.default(8),
  /** Draws per stratum of the diffusion NELBO estimator (≥ 2 gives a standard error). */
  elboDraws: positive.default(2),
  /** Seed of initialisation, batch order, dropout and masking. */
  seed: seed.default(0),
});

export type StudyCellConfigInput = z.input<typeof studyCellConfigSchema>;
export type StudyCellConfig = z.output<typeof studyCellConfigSchema>;

/** A config that cannot run; the message is one line (field, value, fix). */
export class StudyCellConfigError extends Error {
  override readonly name = 'StudyCellConfigError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Validates and fills in the defaults (bpeVocabSize for 'brown-bpe', taskFormat for 'task', orders for 'ar-orders'). */
export function studyCellConfig(input: unknown): StudyCellConfig {
  const parsed = studyCellConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(config)';
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k], input);
    const shown = value === undefined ? 'missing' : JSON.stringify(value);
    throw new StudyCellConfigError(field, `${field} = ${shown}: ${oneLine(issue.message)}`);
  }
  const c = { ...parsed.data };
  const fail = (field: string, message: string): never => {
    throw new StudyCellConfigError(field, message);
  };
  if (c.dModel % c.heads !== 0) fail('heads', `heads = ${c.heads}: dModel (${c.dModel}) must be a multiple of heads; pick heads dividing dModel`);
  if (c.corpus === 'brown-bpe') c.bpeVocabSize ??= DEFAULT_BPE_VOCAB_SIZE;
  else if (c.bpeVocabSize !== undefined) fail('bpeVocabSize', `bpeVocabSize = ${c.bpeVocabSize}: only 'brown-bpe' has a BPE vocabulary; drop it or set corpus: 'brown-bpe'`);
  if (c.corpus === 'task') checkTask(c, fail);
  else {
    for (const field of ['task', 'group', 'taskDepth', 'taskFormat'] as const) {
      if (c[field] !== undefined) fail(field, `${field} = ${JSON.stringify(c[field])}: only corpus 'task' reads a task; drop it or set corpus: 'task'`);
    }
  }
  if (c.model === 'ar-orders') c.orders ??= 1;
  else if (c.orders !== undefined) fail('orders', `orders = ${c.orders}: only model 'ar-orders' reads tokens in several orders; drop it or set model: 'ar-orders'`);
  const row = c.contextLength + 1;
  if (c.uniqueTokens < row) fail('uniqueTokens', `uniqueTokens = ${c.uniqueTokens}: one window needs contextLength + 1 = ${row} tokens; raise uniqueTokens or lower contextLength`);
  if (c.heldOutTokens < row) fail('heldOutTokens', `heldOutTokens = ${c.heldOutTokens}: one window needs contextLength + 1 = ${row} tokens; raise heldOutTokens or lower contextLength`);
  return c;
}

/** The task of a corpus 'task' config (undefined for the Brown corpora, or an unknown task). */
export function studyTask(config: Pick<StudyCellConfig, 'corpus' | 'task' | 'group'>): Task | undefined {
  if (config.corpus !== 'task' || config.task === undefined) return undefined;
  return findTask(config.task, config.group === undefined ? {} : { group: config.group });
}

/** corpus 'task': task and taskDepth present, the task known, the depth in range, group only for 'word'; fills in taskFormat. */
function checkTask(c: StudyCellConfig, fail: (field: string, message: string) => never): void {
  if (c.task === undefined) fail('task', `task = missing: corpus 'task' needs a task id; add task, one of ${TASK_IDS.join(', ')}`);
  if (c.taskDepth === undefined) fail('taskDepth', `taskDepth = missing: corpus 'task' needs the task's depth; add taskDepth, e.g. 8`);
  if (c.task === 'word' && c.group === undefined) fail('group', `group = missing: task 'word' needs a group; add group, e.g. 'S4', 'A5' or 'Z6'`);
  if (c.task !== 'word' && c.group !== undefined) fail('group', `group = ${JSON.stringify(c.group)}: only task 'word' takes a group; drop it or set task: 'word'`);
  // One spelling per group ('s4' and 'S4' are one cell): the word task's group names are case-insensitive.
  if (c.group !== undefined) c.group = c.group.trim().toUpperCase();
  const task = studyTask(c);
  if (task === undefined && c.task === 'word') fail('group', `group = ${JSON.stringify(c.group)}: not a group; use S, A or Z and a size, e.g. 'S4', 'A5' or 'Z6'`);
  if (task === undefined) fail('task', `task = ${JSON.stringify(c.task)}: unknown; choose one of ${TASK_IDS.join(', ')}`);
  const depth = c.taskDepth!;
  if (depth < task!.minDepth || depth > task!.maxDepth) {
    fail('taskDepth', `taskDepth = ${depth}: ${task!.id} has depths ${task!.minDepth}..${task!.maxDepth} (${task!.depthMeaning}); pick one in range`);
  }
  c.taskFormat ??= DEFAULT_TASK_FORMAT;
}

/** The cell's id: SHA-256 (hex, first 16 digits) of the resolved config as canonical JSON, prefixed by its kind of cell. */
export function studyCellHash(config: StudyCellConfig): string {
  return createHash('sha256').update(`study-cell:${canonicalJson(config)}`).digest('hex').slice(0, 16);
}

function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}
