/**
 * Checkpoints on the wasm backend: round trip, bit-identical resume, atomic
 * overwrite, and one-line errors for missing or corrupted files.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend/selectBackend.js';
import { CheckpointError, loadCheckpoint, loadWeights, readCheckpointConfig, saveCheckpoint } from './checkpoint.js';
import { logisticProblem, snapshot, type ToyBatch } from './toyModels.testing.js';
import { Trainer, type TrainerOptions } from './Trainer.js';

let root = '';
beforeAll(async () => {
  await selectBackend('wasm');
  expect(tf.getBackend()).toBe('wasm');
  root = await mkdtemp(join(tmpdir(), 'depthlab-ckpt-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const options: TrainerOptions<ToyBatch> = {
  optimizer: 'adamw',
  weightDecay: 0.05,
  clipNorm: 0.5,
  schedule: { peakLr: 0.03, warmupSteps: 20, minLr: 0.001 },
  budget: { steps: 200 },
};
const config = { model: 'logistic', dim: 8, seed: 1 };

function setup(initSeed = 11) {
  const p = logisticProblem({ initSeed });
  const trainer = new Trainer(p.model, p.source, options);
  return { p, trainer, dispose: () => (trainer.dispose(), p.dispose()) };
}

/** Moments m then v, as plain arrays. */
async function moments<B>(trainer: Trainer<B>): Promise<Float32Array[]> {
  const [iter, ...rest] = await trainer.optimizer.getWeights();
  iter?.tensor.dispose();
  return rest.map((w) => Float32Array.from(w.tensor.dataSync()));
}

async function expectCheckpointError(promise: Promise<unknown>, file: RegExp): Promise<CheckpointError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  const e = error as CheckpointError;
  expect(e.message).toMatch(file);
  expect(e.file).toMatch(file);
  expect(e.message).toContain('re-save the checkpoint');
  expect(e.message).not.toContain('\n');
  return e;
}

describe('checkpoints', () => {
  it('round-trips config, weights, optimizer state and counters', async () => {
    const a = setup();
    for (let i = 0; i < 30; i++) a.trainer.step();
    const dir = join(root, 'round-trip');
    await saveCheckpoint(dir, a.trainer, config);
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'optimizer.bin', 'optimizer.json', 'trainer.json', 'weights.bin', 'weights.json']);
    expect(await readCheckpointConfig(dir)).toEqual(config);

    const b = setup(99);
    const before = tf.memory().numTensors;
    const { config: read, state } = await loadCheckpoint(dir, b.trainer);
    expect(tf.memory().numTensors).toBe(before + 4); // the two Adam moments of each of the 2 variables
    expect(read).toEqual(config);
    expect(state).toEqual(a.trainer.state());
    expect(b.trainer.state()).toEqual(a.trainer.state());
    expect(snapshot(b.trainer.variables())).toEqual(snapshot(a.trainer.variables()));
    expect(await moments(b.trainer)).toEqual(await moments(a.trainer));
    expect(b.trainer.optimizer.iterations).toBe(30);
    expect(b.trainer.adamAccumulators()).toEqual(a.trainer.adamAccumulators());

    const c = setup(98);
    await loadWeights(dir, c.trainer.variables());
    expect(snapshot(c.trainer.variables())).toEqual(snapshot(a.trainer.variables()));
    [a, b, c].forEach((x) => x.dispose());
  });

  it('resumes bit-identically: 100 steps + checkpoint + 100 steps = 200 steps', async () => {
    const straight = setup();
    const full = await straight.trainer.run();
    expect(full.status).toBe('completed');

    const first = setup();
    for (let i = 0; i < 100; i++) first.trainer.step();
    const dir = join(root, 'resume');
    await saveCheckpoint(dir, first.trainer, config);
    first.dispose();

    const second = setup(42); // different initial weights: all must come from the checkpoint
    await loadCheckpoint(dir, second.trainer);
    const resumed = await second.trainer.run();
    expect(resumed.status).toBe('completed');
    expect(resumed.steps).toBe(200);
    expect(resumed.tokens).toBe(full.tokens);
    expect(resumed.lossFirst).toBe(full.lossFirst);
    expect(resumed.lossLast).toBe(full.lossLast);
    expect(resumed.history).toEqual(full.history);
    expect(snapshot(second.trainer.variables())).toEqual(snapshot(straight.trainer.variables()));
    expect(await moments(second.trainer)).toEqual(await moments(straight.trainer));
    straight.dispose();
    second.dispose();
  });

  it('checkpoints from onStep during run() (every 50 steps)', async () => {
    const p = logisticProblem();
    const dir = join(root, 'on-step');
    const saved: number[] = [];
    const trainer = new Trainer(p.model, p.source, {
      ...options,
      budget: { steps: 120 },
      onStep: async (record, t) => {
        if (record.step % 50 === 0) {
          await saveCheckpoint(dir, t, config);
          saved.push(record.step);
        }
      },
    });
    await trainer.run();
    expect(saved).toEqual([50, 100]);
    expect(JSON.parse(await readFile(join(dir, 'trainer.json'), 'utf8')).steps).toBe(100);
    trainer.dispose();
    p.dispose();
  });

  it('overwrites atomically, leaving no temporary directories', async () => {
    const a = setup();
    const dir = join(root, 'atomic', 'ckpt');
    await saveCheckpoint(dir, a.trainer, { v: 1 });
    a.trainer.step();
    await saveCheckpoint(dir, a.trainer, { v: 2 });
    expect(await readdir(join(root, 'atomic'))).toEqual(['ckpt']);
    expect(await readCheckpointConfig(dir)).toEqual({ v: 2 });
    expect(JSON.parse(await readFile(join(dir, 'trainer.json'), 'utf8')).steps).toBe(1);
    a.dispose();
  });

  it('names the file and the fix in one line when a file is missing or corrupted', async () => {
    const a = setup();
    for (let i = 0; i < 5; i++) a.trainer.step();
    const b = setup();
    const fresh = async (name: string): Promise<string> => {
      const dir = join(root, name);
      await saveCheckpoint(dir, a.trainer, config);
      return dir;
    };
    const load = (dir: string) => loadCheckpoint(dir, b.trainer);

    await expectCheckpointError(load(join(root, 'nowhere')), /nowhere/);

    let dir = await fresh('missing-weights');
    await rm(join(dir, 'weights.bin'));
    const missing = await expectCheckpointError(load(dir), /weights\.bin/);
    expect(missing.message).toMatch(/weights\.bin is missing/);

    dir = await fresh('flipped-optimizer');
    const bin = await readFile(join(dir, 'optimizer.bin'));
    bin[3] = (bin[3] ?? 0) ^ 0x40;
    await writeFile(join(dir, 'optimizer.bin'), bin);
    const flipped = await expectCheckpointError(load(dir), /optimizer\.bin/);
    expect(flipped.message).toContain('SHA-256');

    dir = await fresh('truncated-weights');
    const w = await readFile(join(dir, 'weights.bin'));
    await writeFile(join(dir, 'weights.bin'), w.subarray(0, w.length - 4));
    await expectCheckpointError(load(dir), /weights\.bin/);

    dir = await fresh('bad-json');
    await writeFile(join(dir, 'trainer.json'), '{"format": "depthlab-checkpoint", "steps": ');
    const badJson = await expectCheckpointError(load(dir), /trainer\.json/);
    expect(badJson.message).toContain('not valid JSON');

    dir = await fresh('missing-config');
    await rm(join(dir, 'config.json'));
    await expectCheckpointError(load(dir), /config\.json/);

    // a failed load leaves the trainer as it was
    expect(b.trainer.state().steps).toBe(0);
    a.dispose();
    b.dispose();
  });

  it('refuses a checkpoint of a different model shape, naming the index file', async () => {
    const a = setup();
    const dir = join(root, 'other-shape');
    await saveCheckpoint(dir, a.trainer, config);
    const p = logisticProblem({ dim: 4 });
    const other = new Trainer(p.model, p.source, options);
    const e = await expectCheckpointError(loadCheckpoint(dir, other), /weights\.json/);
    expect(e.message).toMatch(/shape \[8, 1\].*\[4, 1\]/);
    other.dispose();
    p.dispose();
    a.dispose();
  });
});
