/**
 * runCell — trains one model kind on one task at one depth and scores it:
 * the unit `depthlab train` runs and the probe harness runs grids of.
 *
 * 1. Data: the task's distinct train and test examples at the depth
 *    (generateSuite: hash-disjoint splits, seeded), tokenized in the kind's
 *    format and padded to one length T (the model's context). With early
 *    stopping, the last 10% of the train examples are held out for
 *    validation.
 * 2. Model: the kind's network (modelKinds.ts) on the selected tfjs backend,
 *    initialised from the cell's seed.
 * 3. Training: Adam (AdamW with weightDecay > 0), linear warm-up then cosine
 *    decay to lr/10, global-norm clipping, `steps` steps of `batchSize`
 *    examples reshuffled every epoch by a seeded permutation; early stopping
 *    on validation answer accuracy; a non-finite loss stops the run with
 *    status 'diverged'.
 * 4. Evaluation on the test split: token and answer accuracy (CellModel.ts);
 *    with evalDepths, the same on test examples at those depths (depth
 *    generalisation: the model's context covers the longest of them, and
 *    positions it never trained on are part of what is measured).
 *
 * Same config and backend → the same result, except the wall-clock fields
 * (train_tokens_per_s, *_seconds) — also across an interruption at a
 * checkpoint and its resume (RunCellOptions.checkpoint).
 */
import { findTask, generateSuite, sampleSplits, SplitRequestError, Tokenizer, TASK_IDS } from '../../circuits/tasks/index.js';
import type { Example, Task } from '../../circuits/tasks/index.js';
import { selectBackend, type BackendName, type BackendPreference } from '../../models/backend/index.js';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCheckpoint, readCheckpointConfig, saveCheckpoint, Trainer, type StepRecord, type TrainStatus } from '../../models/training/index.js';
import { cellConfig, CellConfigError, cellHash, DEFAULT_N_TEST, DEFAULT_N_TRAIN, type CellConfig, type CellConfigInput } from './CellConfig.js';
import { batchAt, encodeSet, type EncodedExample } from './_internals/encodedSet.js';
import { MODEL_KIND_SPECS } from './modelKinds.js';

export interface RunCellOptions {
  /** Default 'auto' (the fastest available). */
  backend?: BackendPreference;
  /** Called after every training step with the record and the step budget. */
  onStep?: (record: StepRecord, totalSteps: number) => void;
  /**
   * Interruptible training: when `stop()` turns true the cell saves a
   * checkpoint (weights, Adam state, counters, curve) to `dir` after the
   * current step and throws CellInterrupted; a later run with the same `dir`
   * resumes from it — bit for bit, as every batch (and diffusion masking) is a
   * function of the step — and removes it once the cell is done.
   */
  checkpoint?: { dir: string; stop: () => boolean };
}

/** Thrown when a cell stopped at a checkpoint (RunCellOptions.checkpoint). */
export class CellInterrupted extends Error {
  override readonly name = 'CellInterrupted';
  constructor(readonly step: number, readonly dir: string) {
    super(`cell interrupted after step ${step}; checkpoint in ${dir}`);
  }
}

/** The outcome of one cell; metric names are snake_case, as stored and printed. */
export interface CellResult {
  id: string;
  config: CellConfig;
  backend: BackendName;
  backend_reason: string;
  task: { id: string; class: string; depth_meaning: string; parameters: Record<string, string | number> };
  params: number;
  vocab_size: number;
  sequence_length: number;
  n_train: number;
  n_val: number;
  n_test: number;
  status: TrainStatus;
  /** Present when status is 'diverged': the step and what was not finite. */
  divergence?: string;
  steps: number;
  train_tokens: number;
  loss_first: number;
  loss_last: number;
  token_accuracy: number;
  answer_accuracy: number;
  /**
   * Chance level: the answer accuracy of always answering the training
   * split's most common answer (answers of circuit tasks are often far from
   * balanced — a random formula is true about 3 times in 4 at some depths).
   */
  baseline_answer_accuracy: number;
  /** Kind-specific metrics (e.g. cot's teacher-forced accuracy). */
  details: Record<string, number>;
  /** Depth generalisation: the same scores on test examples at config.evalDepths. */
  generalization: { depth: number; n_test: number; token_accuracy: number; answer_accuracy: number }[];
  train_tokens_per_s: number;
  train_seconds: number;
  eval_seconds: number;
  /** Every step: loss, gradient norm, learning rate, tokens, validation metric where evaluated. */
  curve: StepRecord[];
}

/** Resolves the config, finds its task, and checks the task/depth/kind fit; one-line CellConfigError otherwise. */
export function resolveCell(input: CellConfigInput): { config: CellConfig; task: Task } {
  const config = cellConfig(input);
  const task = findTask(config.task, config.group === undefined ? {} : { group: config.group });
  if (task === undefined) {
    throw new CellConfigError('task', `task = ${JSON.stringify(config.task)}: unknown; choose one of ${TASK_IDS.join(', ')}`);
  }
  for (const [field, d] of [['depth', config.depth], ...config.evalDepths.map((e) => ['evalDepths', e] as const)] as const) {
    if (d < task.minDepth || d > task.maxDepth) {
      throw new CellConfigError(field, `${field} = ${d}: ${task.id} has depths ${task.minDepth}..${task.maxDepth} (${task.depthMeaning}); pick one in range`);
    }
  }
  if (config.model === 'tagged' && task.symbols(sampleExample(task, config)).labels === undefined) {
    throw new CellConfigError('model', `model = "tagged": ${task.id} has no per-position labels; use ar, cot, diffusion, looped or lstm`);
  }
  return { config, task };
}

export async function runCell(input: CellConfigInput, options: RunCellOptions = {}): Promise<CellResult> {
  const { config, task } = resolveCell(input);
  const backend = await selectBackend(options.backend ?? 'auto');
  const spec = MODEL_KIND_SPECS[config.model];

  let suite;
  try {
    const { nTrain, nTest } = exampleCounts(task, config);
    suite = generateSuite({ task, depths: [config.depth], nTrain, nTest, seed: config.seed });
  } catch (error) {
    if (error instanceof SplitRequestError) {
      throw new CellConfigError(/ in the test split/.test(error.message) ? 'nTest' : 'nTrain', error.message);
    }
    throw error;
  }
  const split = suite.perDepth[0]!;
  const generalization = config.evalDepths.map((depth) => ({ depth, examples: evaluationExamples(task, config, depth) }));
  const tokenizer = new Tokenizer(task);
  const data = encodeSet(tokenizer, spec.format(config), split.train, split.test, generalization);
  const nVal = config.evalEvery > 0 ? Math.max(1, Math.floor(data.train.length / 10)) : 0;
  const train = data.train.slice(0, data.train.length - nVal);
  const validation = data.train.slice(data.train.length - nVal);

  const model = spec.build({ config, tokenizer, data });
  const batchTokens = config.batchSize * data.length;
  const totalSteps = config.tokens === undefined ? config.steps : Math.floor(config.tokens / batchTokens);
  const batchOf = (step: number): EncodedExample[] => batchAt(train, config.batchSize, step, config.seed);
  const trainer = new Trainer(
    model.trainable,
    { next: (step) => ({ batch: model.batch(batchOf(step), step), tokens: batchTokens }) },
    {
      optimizer: config.weightDecay > 0 ? 'adamw' : 'adam',
      weightDecay: config.weightDecay,
      schedule: {
        peakLr: config.lr,
        warmupSteps: config.warmupSteps ?? Math.floor(totalSteps / 20),
        minLr: config.lr / 10,
      },
      clipNorm: config.clipNorm,
      budget: config.tokens === undefined ? { steps: config.steps } : { tokens: config.tokens },
      ...(config.evalEvery > 0 && {
        evaluation: {
          every: config.evalEvery,
          metric: () => model.evaluate(validation).answerAccuracy,
          threshold: config.earlyStop ?? Number.POSITIVE_INFINITY,
        },
      }),
      onStep: async (record: StepRecord, t: Trainer<unknown>) => {
        options.onStep?.(record, totalSteps);
        // A macrotask break each step, so signals and IPC (a stop request, the
        // parent going away) are handled mid-run; the step loop alone only yields microtasks.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const checkpoint = options.checkpoint;
        if (checkpoint?.stop()) {
          await saveCheckpoint(checkpoint.dir, t, { cell: cellHash(config) });
          throw new CellInterrupted(record.step, checkpoint.dir);
        }
      },
    },
  );
  try {
    await resumeFrom(options.checkpoint?.dir, trainer, cellHash(config));
    const resumedTokens = trainer.state().tokens; // a resumed cell's speed counts this run's tokens only
    const started = performance.now();
    const result = await trainer.run();
    const trainSeconds = (performance.now() - started) / 1000;
    const evalStarted = performance.now();
    const evaluation = model.evaluate(data.test);
    const generalizationResults = data.generalization.map((g) => {
      const e = model.evaluate(g.examples);
      return { depth: g.depth, n_test: g.examples.length, token_accuracy: e.tokenAccuracy, answer_accuracy: e.answerAccuracy };
    });
    const evalSeconds = (performance.now() - evalStarted) / 1000;
    if (options.checkpoint) await rm(options.checkpoint.dir, { recursive: true, force: true });
    return {
      id: cellHash(config),
      config,
      backend: backend.name,
      backend_reason: backend.reason,
      task: { id: task.id, class: task.taskClass, depth_meaning: task.depthMeaning, parameters: { ...task.parameters } },
      params: model.parameterCount,
      vocab_size: tokenizer.size,
      sequence_length: data.length,
      n_train: train.length,
      n_val: validation.length,
      n_test: data.test.length,
      status: result.status,
      ...(result.divergence && {
        divergence: `step ${result.divergence.step}: ${result.divergence.quantity} = ${result.divergence.value}`,
      }),
      steps: result.steps,
      train_tokens: result.tokens,
      loss_first: result.lossFirst,
      loss_last: result.lossLast,
      token_accuracy: evaluation.tokenAccuracy,
      answer_accuracy: evaluation.answerAccuracy,
      baseline_answer_accuracy: majorityBaseline(split.train, split.test),
      details: evaluation.details,
      generalization: generalizationResults,
      train_tokens_per_s: trainSeconds > 0 ? (result.tokens - resumedTokens) / trainSeconds : 0,
      train_seconds: trainSeconds,
      eval_seconds: evalSeconds,
      curve: result.history,
    };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/**
 * The requested example counts, or where the config leaves them out, the
 * defaults capped by what the depth's splits hold (all of a small depth's
 * inputs; half the expected split where inputs are drawn at random, the
 * most sampleSplits will draw).
 */
function exampleCounts(task: Task, config: CellConfig): { nTrain: number; nTest: number } {
  if (config.nTrain !== undefined && config.nTest !== undefined) return { nTrain: config.nTrain, nTest: config.nTest };
  const { available } = sampleSplits(task, config.depth, { nTrain: 0, nTest: 0, seed: config.seed });
  const most = (have: bigint) => (available.exact ? have : have / 2n);
  const cap = (have: bigint, wanted: number) => (BigInt(wanted) < most(have) ? wanted : Number(most(have)));
  return { nTrain: config.nTrain ?? cap(available.train, DEFAULT_N_TRAIN), nTest: config.nTest ?? cap(available.test, DEFAULT_N_TEST) };
}

/** Test examples at another depth (nTest, capped by what that depth has), for depth generalisation. */
function evaluationExamples(task: Task, config: CellConfig, depth: number) {
  const { nTest } = exampleCounts(task, { ...config, depth, nTrain: 1 });
  try {
    return generateSuite({ task, depths: [depth], nTrain: 0, nTest, seed: config.seed }).perDepth[0]!.test;
  } catch (error) {
    if (error instanceof SplitRequestError) throw new CellConfigError('nTest', `at evaluation depth ${depth}: ${error.message}`);
    throw error;
  }
}

/** Loads the cell's checkpoint from `dir` into the trainer, if there is one (of this cell). */
async function resumeFrom(dir: string | undefined, trainer: Trainer<unknown>, id: string): Promise<void> {
  if (dir === undefined || !existsSync(join(dir, 'trainer.json'))) return;
  const config = (await readCheckpointConfig(dir)) as { cell?: unknown } | null;
  if (config?.cell !== id) throw new Error(`${dir} holds a checkpoint of cell ${String(config?.cell)}, not of ${id}; remove it`);
  await loadCheckpoint(dir, trainer);
}

/** Fraction of test answers equal to the most common training answer (ties: the first seen). */
function majorityBaseline(train: readonly Example[], test: readonly Example[]): number {
  const counts = new Map<string, number>();
  for (const e of train) counts.set(e.answer, (counts.get(e.answer) ?? 0) + 1);
  let best: string | undefined;
  for (const [answer, n] of counts) if (best === undefined || n > counts.get(best)!) best = answer;
  return test.length === 0 ? Number.NaN : test.filter((e) => e.answer === best).length / test.length;
}

/** One example of the cell's task and depth (to ask the task what its symbols look like). */
function sampleExample(task: Task, config: CellConfig) {
  return generateSuite({ task, depths: [config.depth], nTrain: 1, nTest: 0, seed: config.seed }).perDepth[0]!.train[0]!;
}
