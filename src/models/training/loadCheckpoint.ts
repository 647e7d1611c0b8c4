/**
 * Loading a checkpoint (layout in checkpoint.ts): its config.json, its
 * weights into a model's variables (matched by position, checked by count and
 * shape), or everything into a trainer — weights, a fresh Adam holding the
 * saved moments m, v, iteration count t and running products β1^{t+1},
 * β2^{t+1}, and the counters — so that training continues bit for bit.
 * Every missing or inconsistent file is a CheckpointError.
 */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../backend/tfRuntime.js';
import { checkHeader, readJson } from './_internals/checkpointJson.js';
import { readBin } from './_internals/tensorBin.js';
import type { OptimizerFile } from './checkpointFormat.js';
import { CheckpointError } from './CheckpointError.js';
import type { Trainer } from './Trainer.js';
import type { NamedTensor } from './trainerTypes.js';
import type { StepRecord, TrainerState } from './TrainResult.js';

/** The config.json of a checkpoint (to rebuild the model before loading into it). */
export async function readCheckpointConfig(dir: string): Promise<unknown> {
  return readJson(join(resolve(dir), 'config.json'));
}

/**
 * Assigns a checkpoint's weights to `variables` (matched by position, checked
 * by count and shape). For inference; `loadCheckpoint` also restores training.
 */
export async function loadWeights(dir: string, variables: TF.Variable[]): Promise<void> {
  const tf = tfNow();
  const target = resolve(dir);
  const { arrays } = await readBin(target, 'weights.json');
  const indexPath = join(target, 'weights.json');
  if (arrays.length !== variables.length) {
    throw new CheckpointError(indexPath, `holds ${arrays.length} variables but the model has ${variables.length} (a different model config?)`);
  }
  arrays.forEach(({ entry }, i) => {
    const v = variables[i]!;
    if (entry.shape.length !== v.shape.length || entry.shape.some((d, k) => d !== v.shape[k])) {
      throw new CheckpointError(indexPath, `has ${entry.name} of shape [${entry.shape.join(', ')}] where the model's variable ${i} is [${v.shape.join(', ')}]`);
    }
  });
  tf.tidy(() => {
    arrays.forEach(({ entry, values }, i) => variables[i]!.assign(tf.tensor(values, entry.shape, 'float32')));
  });
}

/**
 * Restores a checkpoint into `trainer` (built on a model of the same config):
 * weights, the optimizer (a fresh Adam with the saved moments, iteration
 * count and running products) and the counters. Returns the saved config.
 * Continuing with `trainer.run()` reproduces the uninterrupted run exactly on
 * the same backend when the batch source is a function of the step.
 */
export async function loadCheckpoint<B>(dir: string, trainer: Trainer<B>): Promise<{ config: unknown; state: TrainerState }> {
  const tf = tfNow();
  const target = resolve(dir);
  const isDir = await stat(target).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new CheckpointError(target, 'is missing (no checkpoint directory there)');
  const config = await readCheckpointConfig(target);
  const trainerPath = join(target, 'trainer.json');
  const t = checkHeader(trainerPath, await readJson(trainerPath));
  if (typeof t.steps !== 'number' || typeof t.tokens !== 'number' || !Array.isArray(t.history)) {
    throw new CheckpointError(trainerPath, 'is corrupted (steps, tokens or history missing)');
  }
  const { index, arrays } = await readBin(target, 'optimizer.json');
  const optPath = join(target, 'optimizer.json');
  const o = index as unknown as OptimizerFile;
  if (typeof o.iterations !== 'number') throw new CheckpointError(optPath, 'is corrupted (iterations missing)');
  const variables = trainer.variables();
  if (arrays.length !== 0 && arrays.length !== 2 * variables.length) {
    throw new CheckpointError(optPath, `holds ${arrays.length} moments for ${variables.length} variables (a different model config?)`);
  }
  await loadWeights(target, variables);

  const named: NamedTensor[] = [
    { name: 'iter', tensor: tf.scalar(o.iterations, 'int32') },
    ...arrays.map(({ entry, values }) => ({ name: entry.name, tensor: tf.tensor(values, entry.shape, 'float32') })),
  ];
  try {
    await trainer.restoreOptimizer(named, o.accBeta ?? undefined);
  } finally {
    tf.dispose(named.map((n) => n.tensor));
  }
  const state: TrainerState = {
    steps: t.steps,
    tokens: t.tokens,
    lossFirst: typeof t.lossFirst === 'number' ? t.lossFirst : Number.NaN,
    lossLast: typeof t.lossLast === 'number' ? t.lossLast : Number.NaN,
    history: t.history as StepRecord[],
  };
  trainer.restoreState(state);
  return { config, state };
}
