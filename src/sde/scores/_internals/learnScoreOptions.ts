/**
 * learnScore's options with their defaults filled in and checked (see
 * LearnScoreOptions in learnedScore.ts for each default), and the one
 * condition on the schedule that the DSM loss needs: T > tMin and
 * s(tMin) > 0, so that x_t = a(t)·x0 + s(t)·z is noisy at every sampled t.
 */
import type { Activation, LearnScoreOptions, TimeEmbedding } from '../learnedScore.js';

export interface ResolvedLearnScoreOptions {
  hidden: readonly number[];
  steps: number;
  batch: number;
  learningRate: number;
  seed: number;
  timeEmbedding: TimeEmbedding;
  frequencies: number;
  activation: Activation;
  lossEvery: number;
}

/** Throws RangeError (message starting "learnScore:") on the first bad option. */
export function resolveLearnScoreOptions(options: LearnScoreOptions): ResolvedLearnScoreOptions {
  const { schedule, dim } = options;
  const hidden = options.hidden ?? [64, 64];
  const steps = options.steps ?? 2000;
  const batch = options.batch ?? 256;
  const learningRate = options.learningRate ?? 1e-3;
  const seed = options.seed ?? 0;
  const timeEmbedding = options.timeEmbedding ?? 'sinusoidal';
  const frequencies = options.frequencies ?? 4;
  const activation = options.activation ?? 'tanh';
  const lossEvery = options.lossEvery ?? 100;
  checkPositiveInt('dim', dim);
  checkPositiveInt('steps', steps);
  checkPositiveInt('batch', batch);
  checkPositiveInt('lossEvery', lossEvery);
  if (timeEmbedding === 'sinusoidal') checkPositiveInt('frequencies', frequencies);
  for (const w of hidden) checkPositiveInt('hidden width', w);
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new RangeError(`learnScore: learningRate ${learningRate} must be a finite number > 0`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`learnScore: seed ${seed} must be a safe integer`);
  if (timeEmbedding !== 'raw' && timeEmbedding !== 'sinusoidal') throw new RangeError(`learnScore: unknown timeEmbedding ${JSON.stringify(timeEmbedding)}`);
  if (activation !== 'tanh' && activation !== 'relu') throw new RangeError(`learnScore: unknown activation ${JSON.stringify(activation)}`);
  const tMin = schedule.tMin;
  const T = schedule.T;
  if (!(T > tMin) || !(schedule.std(tMin) > 0)) throw new RangeError(`learnScore: need T > tMin and s(tMin) > 0 (schedule ${schedule.name})`);
  return { hidden, steps, batch, learningRate, seed, timeEmbedding, frequencies, activation, lossEvery };
}

function checkPositiveInt(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`learnScore: ${name} ${v} must be a positive integer`);
}
