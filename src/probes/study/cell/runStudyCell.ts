/**
 * runStudyCell — trains one model kind for E epochs on U unique tokens and
 * scores it on the fixed held-out rows along the way: the unit of the
 * data-constrained study (issue 7).
 *
 * 1. Data (studyCellData.ts): the tokenizer (trained on training documents
 *    only), U training tokens and the U-independent held-out tokens, cut into
 *    rows of C + 1 tokens, the first given and C scored (studyWindows.ts).
 * 2. Model (studyModel.ts): 'ar', 'ar-orders' or 'diffusion' on the selected
 *    tfjs backend, initialised from `seed`.
 * 3. Training (studyPlan.ts): E passes over the W windows, reshuffled every
 *    epoch by batchAt's seeded permutation (a pure function of the step);
 *    S = ⌈E·W/B⌉ steps, the last batch partial, so exactly E·W·C scored
 *    tokens. Adam (AdamW with weightDecay > 0), linear warm-up then cosine
 *    decay to lr/10 over the S steps, global-norm clipping. A non-finite loss
 *    stops the run with status 'diverged' (the curve ends there).
 * 4. Evaluation after the plan's steps (log-spaced in epochs, the last at the
 *    end): bits per scored token on the held-out rows (studyModel.ts for the
 *    exact AR NLL and the diffusion NELBO bound), the same on the first
 *    min(W, H) training rows (the generalisation gap), and the mean training
 *    loss since the previous point, all in bits per token.
 *
 * FLOPs are the 6·N·D estimate (trainingFlops) with N = params and D = scored
 * training tokens so far — an estimate, not a count, the same formula for
 * every kind.
 *
 * Same config and backend → the same result, except the wall-clock fields
 * (*_seconds, train_tokens_per_s).
 *
 * Checkpoints (options.checkpoint, as runCell's): stopped after a step, the
 * cell saves weights, Adam state, counters and its held-out curve so far, and
 * throws CellInterrupted; run again with the same folder it resumes and ends
 * with exactly the uninterrupted result. That holds because every random
 * draw of training is a function of the step (batch order, diffusion masks),
 * except dropout's running stream — so a config with dropout or attention
 * dropout is not checkpointable (studyCellCheckpointable) and restarts instead.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend, type BackendName, type BackendPreference } from '../../../models/backend/index.js';
import { loadCheckpoint, readCheckpointConfig, saveCheckpoint, Trainer, type StepRecord, type TrainStatus } from '../../../models/training/index.js';
import { CellInterrupted } from '../../cell/runCell.js';
import { trainingFlops } from '../analysis/index.js';
import { planBatch, rowsAfter, studyPlan } from './studyPlan.js';
import { studyCellConfig, StudyCellConfigError, studyCellHash, type StudyCellConfig, type StudyCellConfigInput } from './StudyCellConfig.js';
import { studyCellData } from './studyCellData.js';
import { buildStudyModel, type StudyRow } from './studyModel.js';

export interface RunStudyCellOptions {
  /** Default 'auto' (the fastest available). */
  backend?: BackendPreference;
  /**
   * Called after every training step with the record and the step budget;
   * record.loss is in bits per scored token (trainBits), so every kind's
   * progress reads on one scale.
   */
  onStep?: (record: StepRecord, totalSteps: number) => void;
  /**
   * With a checkpointable config: when stop() turns true after a step, save
   * a checkpoint to `dir` and throw CellInterrupted; a later run given the
   * same `dir` resumes from it (header). Ignored for other configs.
   */
  checkpoint?: { dir: string; stop: () => boolean };
}

/** What a study cell's checkpoint keeps beside the trainer's state. */
interface StudyCheckpoint {
  cell: string;
  /** Non-finite numbers (a NaN standard error with one draw) as strings: the checkpoint's config is JSON. */
  curve: Record<keyof StudyEvaluation, number | string>[];
  lossSum: number;
  lossCount: number;
  evalSeconds: number;
}

/** Whether a cell resumes bit for bit from a checkpoint: no running dropout stream (header). */
export function studyCellCheckpointable(config: Pick<StudyCellConfig, 'dropout' | 'attentionDropout'>): boolean {
  return config.dropout === 0 && config.attentionDropout === 0;
}

/** One held-out evaluation; snake_case as stored. */
export interface StudyEvaluation {
  step: number;
  /** Passes done: rows trained on / W (fractional before the end). */
  epoch: number;
  /** Scored training tokens so far (rows · C). */
  tokens: number;
  /** 6 · params · tokens (estimate). */
  flops: number;
  /** Held-out bits per scored token (AR kinds: exact NLL; diffusion: NELBO bound). */
  bits_per_token: number;
  /** The estimator's standard error of bits_per_token (0 for the exact AR kinds). */
  standard_error: number;
  /** The same measure on the first min(W, H) training rows. */
  train_bits_per_token: number;
  /** Mean training loss (bits per scored token) over the steps since the previous point. */
  train_loss_bits: number;
}

export interface StudyCellResult {
  id: string;
  config: StudyCellConfig;
  backend: BackendName;
  backend_reason: string;
  params: number;
  vocab_size: number;
  /** U. */
  unique_tokens: number;
  /** E. */
  epochs: number;
  /** W: training rows of C + 1 tokens. */
  train_windows: number;
  /** H: held-out rows of C + 1 tokens. */
  held_out_windows: number;
  /** W·C: scored tokens per pass (≤ U − 1). */
  tokens_per_epoch: number;
  held_out_tokens_scored: number;
  status: TrainStatus;
  divergence?: string;
  steps: number;
  /** Scored training tokens: E·W·C for a completed run. */
  train_tokens: number;
  /** trainingFlops(params, train_tokens): the 6·N·D estimate. */
  flops: number;
  flops_estimate: '6ND';
  /** Training loss of the first and last step, bits per scored token. */
  train_loss_first_bits: number;
  train_loss_last_bits: number;
  /** Held-out evaluations, ascending in step. */
  curve: StudyEvaluation[];
  /** The lowest held-out bits per token of the curve and where it occurs. */
  best_bits_per_token: number;
  best_epoch: number;
  best_tokens: number;
  best_flops: number;
  train_tokens_per_s: number;
  train_seconds: number;
  eval_seconds: number;
  data_seconds: number;
}

export async function runStudyCell(input: StudyCellConfigInput, options: RunStudyCellOptions = {}): Promise<StudyCellResult> {
  const config = studyCellConfig(input);
  const backend = await selectBackend(options.backend ?? 'auto');
  const dataStarted = performance.now();
  let data;
  try {
    data = studyCellData(config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/exceeds/.test(message)) throw new StudyCellConfigError(/heldOutTokens/.test(message) ? 'heldOutTokens' : 'uniqueTokens', message);
    throw error;
  }
  const dataSeconds = (performance.now() - dataStarted) / 1000;
  const c = config.contextLength;
  const windows = data.trainWindows.length;
  const plan = studyPlan(config.epochs, windows, config.batchSize, config.evalPoints);
  if (config.warmupSteps !== undefined && config.warmupSteps > plan.steps) {
    throw new StudyCellConfigError('warmupSteps', `warmupSteps = ${config.warmupSteps}: must be at most the run's ${plan.steps} steps; lower it`);
  }
  const trainProbe = data.trainWindows.slice(0, Math.min(windows, data.heldOutWindows.length));
  const rowsOf = (step: number): StudyRow[] =>
    planBatch(plan, windows, config.batchSize, step, config.seed).map((r) => ({ ...r, tokens: data.trainWindows[r.window]! }));

  const model = buildStudyModel(config, data.tokenizer.vocabSize);
  const params = model.parameterCount;
  const id = studyCellHash(config);
  const checkpoint = options.checkpoint && studyCellCheckpointable(config) ? options.checkpoint : undefined;
  const evalAt = new Set(plan.evalSteps);
  let curve: StudyEvaluation[] = [];
  let evalSeconds = 0;
  let lossSum = 0;
  let lossCount = 0;
  const trainer = new Trainer(
    model.trainable,
    {
      next: (step) => {
        const rows = rowsOf(step);
        return { batch: model.batch(rows, step), tokens: rows.length * c };
      },
    },
    {
      optimizer: config.weightDecay > 0 ? 'adamw' : 'adam',
      weightDecay: config.weightDecay,
      schedule: { peakLr: config.lr, warmupSteps: config.warmupSteps ?? Math.floor(plan.steps / 20), minLr: config.lr / 10, totalSteps: plan.steps },
      clipNorm: config.clipNorm,
      budget: { steps: plan.steps },
      onStep: async (record: StepRecord, t: Trainer<unknown>) => {
        lossSum += model.trainBits(record.loss);
        lossCount += 1;
        if (evalAt.has(record.step)) {
          const started = performance.now();
          const rows = rowsAfter(plan, config.batchSize, record.step);
          const held = model.bits(data.heldOutWindows);
          const train = model.bits(trainProbe);
          curve.push({
            step: record.step,
            epoch: rows / windows,
            tokens: rows * c,
            flops: trainingFlops(params, rows * c),
            bits_per_token: held.bitsPerToken,
            standard_error: held.standardError,
            train_bits_per_token: train.bitsPerToken,
            train_loss_bits: lossSum / lossCount,
          });
          lossSum = 0;
          lossCount = 0;
          evalSeconds += (performance.now() - started) / 1000;
        }
        options.onStep?.({ ...record, loss: model.trainBits(record.loss) }, plan.steps);
        if (checkpoint === undefined) return;
        // A macrotask break each step, so a stop request (SIGTERM) is seen mid-run.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (checkpoint.stop()) {
          const encoded = curve.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Number.isFinite(v) ? v : String(v)])));
          const state = { cell: id, curve: encoded, lossSum, lossCount, evalSeconds } as StudyCheckpoint;
          await saveCheckpoint(checkpoint.dir, t, state);
          throw new CellInterrupted(record.step, checkpoint.dir);
        }
      },
    },
  );
  try {
    const resumed = await resumeFrom(checkpoint?.dir, trainer as Trainer<unknown>, id);
    if (resumed) {
      ({ lossSum, lossCount, evalSeconds } = resumed);
      curve = resumed.curve.map((p) => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Number(v)])) as unknown as StudyEvaluation);
    }
    const resumedTokens = trainer.state().tokens; // a resumed cell's speed counts this run's tokens only
    const evalBefore = evalSeconds;
    const started = performance.now();
    const result = await trainer.run();
    const trainSeconds = (performance.now() - started) / 1000 - (evalSeconds - evalBefore);
    if (checkpoint) await rm(checkpoint.dir, { recursive: true, force: true });
    const best = curve.reduce<StudyEvaluation | undefined>((b, p) => (b === undefined || p.bits_per_token < b.bits_per_token ? p : b), undefined);
    return {
      id,
      config,
      backend: backend.name,
      backend_reason: backend.reason,
      params,
      vocab_size: data.tokenizer.vocabSize,
      unique_tokens: config.uniqueTokens,
      epochs: config.epochs,
      train_windows: windows,
      held_out_windows: data.heldOutWindows.length,
      tokens_per_epoch: data.tokensPerEpoch,
      held_out_tokens_scored: data.heldOutWindows.length * c,
      status: result.status,
      ...(result.divergence && { divergence: `step ${result.divergence.step}: ${result.divergence.quantity} = ${result.divergence.value}` }),
      steps: result.steps,
      train_tokens: result.tokens,
      flops: trainingFlops(params, result.tokens),
      flops_estimate: '6ND',
      train_loss_first_bits: model.trainBits(result.lossFirst),
      train_loss_last_bits: model.trainBits(result.lossLast),
      curve,
      best_bits_per_token: best?.bits_per_token ?? Number.NaN,
      best_epoch: best?.epoch ?? Number.NaN,
      best_tokens: best?.tokens ?? Number.NaN,
      best_flops: best?.flops ?? Number.NaN,
      train_tokens_per_s: trainSeconds > 0 ? (result.tokens - resumedTokens) / trainSeconds : 0,
      train_seconds: trainSeconds,
      eval_seconds: evalSeconds,
      data_seconds: dataSeconds,
    };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** The cell's own checkpoint in `dir`, loaded into the trainer; undefined when there is none. */
async function resumeFrom(dir: string | undefined, trainer: Trainer<unknown>, id: string): Promise<StudyCheckpoint | undefined> {
  if (dir === undefined || !existsSync(join(dir, 'trainer.json'))) return undefined;
  const saved = (await readCheckpointConfig(dir)) as Partial<StudyCheckpoint> | null;
  if (saved?.cell !== id) throw new Error(`${dir} holds a checkpoint of cell ${String(saved?.cell)}, not of study cell ${id}; remove it`);
  await loadCheckpoint(dir, trainer);
  return saved as StudyCheckpoint;
}
