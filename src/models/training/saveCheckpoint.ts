/**
 * Saving a checkpoint (layout in checkpoint.ts): the trainer's variables θ
 * (weights.json + weights.bin), Adam's state — kind, β1, β2, ε, iteration
 * count t, running products β1^{t+1}, β2^{t+1}, moments m then v
 * (optimizer.json + optimizer.bin) — its counters (trainer.json) and the
 * caller's config (config.json), written atomically (_internals/atomicDirectory.ts).
 */
import { resolve } from 'node:path';
import { writeDirectoryAtomically } from './_internals/atomicDirectory.js';
import { json } from './_internals/checkpointJson.js';
import { packTensors } from './_internals/tensorBin.js';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type OptimizerFile } from './checkpointFormat.js';
import type { Trainer } from './Trainer.js';
import type { StepRecord } from './TrainResult.js';

/** trainer.json: losses use null for "no step yet" (JSON has no NaN). */
interface TrainerFile {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  steps: number;
  tokens: number;
  lossFirst: number | null;
  lossLast: number | null;
  history: StepRecord[];
}

/**
 * Saves the trainer's model variables, optimizer state and counters, with
 * `config` (the JSON the caller needs to rebuild the model), to `dir`,
 * atomically replacing any checkpoint already there.
 */
export async function saveCheckpoint<B>(dir: string, trainer: Trainer<B>, config: unknown): Promise<void> {
  const target = resolve(dir);
  const variables = trainer.variables();
  const weights = await packTensors(variables.map((v) => ({ name: v.name, tensor: v })), 'weights.bin');

  const optWeights = await trainer.optimizer.getWeights();
  const [iter, ...moments] = optWeights;
  const iterations = iter ? ((await iter.tensor.data())[0] ?? 0) : 0;
  if (iter) iter.tensor.dispose(); // a fresh scalar from tfjs; the moments are the optimizer's own variables
  const optimizer = await packTensors(moments, 'optimizer.bin');
  const o = trainer.options;
  const optimizerFile: OptimizerFile = {
    ...optimizer.index,
    kind: o.optimizer ?? 'adam',
    beta1: o.beta1 ?? 0.9,
    beta2: o.beta2 ?? 0.999,
    epsilon: o.epsilon ?? 1e-8,
    iterations,
    accBeta: trainer.adamAccumulators() ?? null,
  };
  const s = trainer.state();
  const trainerFile: TrainerFile = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    steps: s.steps,
    tokens: s.tokens,
    lossFirst: Number.isNaN(s.lossFirst) ? null : s.lossFirst,
    lossLast: Number.isNaN(s.lossLast) ? null : s.lossLast,
    history: s.history,
  };

  await writeDirectoryAtomically(target, [
    ['config.json', () => json(config ?? null)],
    ['weights.bin', () => weights.data],
    ['weights.json', () => json(weights.index)],
    ['optimizer.bin', () => optimizer.data],
    ['optimizer.json', () => json(optimizerFile)],
    ['trainer.json', () => json(trainerFile)],
  ]);
}
