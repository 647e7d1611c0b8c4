/**
 * runCell end to end on the wasm backend: every model kind trains and is
 * scored through the one path; a cell is a pure function of its config (same
 * config → the same numbers, wall-clock fields aside); the controls have the
 * parameter counts they promise; and chain of thought, scored only on what
 * it generates itself, learns parity through its trace.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parameterCount, lstmParameterCount, lstmHiddenForParameters } from '../../models/backbone/index.js';
import { selectBackend } from '../../models/backend/index.js';
import { MODEL_KINDS } from './CellConfig.js';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CellInterrupted, runCell, type CellResult } from './runCell.js';

const TINY = { task: 'parity', depth: 6, dModel: 16, heads: 2, layers: 1, steps: 6, batchSize: 8, nTrain: 24, nTest: 8 } as const;

/** Everything but the wall-clock fields. */
function deterministicPart(r: CellResult): unknown {
  const { train_tokens_per_s: _a, train_seconds: _b, eval_seconds: _c, ...rest } = r;
  return rest;
}

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

describe('runCell', () => {
  it.each(MODEL_KINDS.map((m) => [m]))('%s trains and reports finite metrics', async (model) => {
    const r = await runCell({ ...TINY, model }, { backend: 'wasm' });
    expect(r.backend).toBe('wasm');
    expect(r.status).toBe('completed');
    expect(r.steps).toBe(TINY.steps);
    expect(r.curve).toHaveLength(TINY.steps);
    expect(r.train_tokens).toBe(TINY.steps * TINY.batchSize * r.sequence_length);
    for (const k of ['loss_first', 'loss_last', 'token_accuracy', 'answer_accuracy', 'train_tokens_per_s'] as const) {
      expect(Number.isFinite(r[k]), k).toBe(true);
    }
    expect(r.token_accuracy).toBeGreaterThanOrEqual(0);
    expect(r.answer_accuracy).toBeLessThanOrEqual(1);
    expect(r.n_train + r.n_val).toBe(TINY.nTrain);
    expect(r.id).toMatch(/^[0-9a-f]{16}$/);
    // Parity answers are balanced over all inputs: chance is near 1/2.
    expect(r.baseline_answer_accuracy).toBeGreaterThanOrEqual(0.25);
    expect(r.baseline_answer_accuracy).toBeLessThanOrEqual(0.75);
  });

  it('is a function of its config: same config, same numbers; another seed, other numbers', async () => {
    const a = await runCell({ ...TINY, model: 'diffusion', evalEvery: 3 }, { backend: 'wasm' });
    const b = await runCell({ ...TINY, model: 'diffusion', evalEvery: 3 }, { backend: 'wasm' });
    expect(deterministicPart(b)).toEqual(deterministicPart(a));
    expect(a.curve[2]?.metric).toBeTypeOf('number');
    const c = await runCell({ ...TINY, model: 'diffusion', evalEvery: 3, seed: 1 }, { backend: 'wasm' });
    expect(c.loss_first).not.toBe(a.loss_first);
    expect(c.id).not.toBe(a.id);
  });

  it.each([['ar'], ['diffusion']] as const)('%s: interrupted at a checkpoint and resumed, gives the uninterrupted result', async (model) => {
    const config = { ...TINY, model, steps: 12 } as const;
    const whole = await runCell(config, { backend: 'wasm' });
    const dir = join(mkdtempSync(join(tmpdir(), 'depthlab-cell-')), 'checkpoint');
    let steps = 0;
    await expect(runCell(config, { backend: 'wasm', checkpoint: { dir, stop: () => ++steps === 5 } })).rejects.toBeInstanceOf(CellInterrupted);
    expect(existsSync(join(dir, 'trainer.json'))).toBe(true);
    const resumed = await runCell(config, { backend: 'wasm', checkpoint: { dir, stop: () => false } });
    expect(deterministicPart(resumed)).toEqual(deterministicPart(whole));
    expect(existsSync(dir)).toBe(false); // removed once the cell is done
  });

  it('controls: looped has the parameters of its blocks, lstm is sized to the transformer', async () => {
    const ar = await runCell({ ...TINY, model: 'ar', steps: 1 }, { backend: 'wasm' });
    const looped = await runCell({ ...TINY, model: 'looped', loops: 3, steps: 1 }, { backend: 'wasm' });
    const lstm = await runCell({ ...TINY, model: 'lstm', steps: 1 }, { backend: 'wasm' });
    const backbone = { vocabSize: ar.vocab_size, contextLength: ar.sequence_length, layers: 1, dModel: 16, heads: 2 };
    expect(ar.params).toBe(parameterCount(backbone));
    expect(looped.params).toBe(ar.params);
    const base = { vocabSize: ar.vocab_size, contextLength: ar.sequence_length, layers: 1 };
    expect(lstm.params).toBe(lstmParameterCount({ ...base, hidden: lstmHiddenForParameters(ar.params, base) }));
    expect(Math.abs(lstm.params - ar.params) / ar.params).toBeLessThan(0.05);
  });

  it('a split too small for the request is a one-line error naming the field', async () => {
    await expect(runCell({ ...TINY, model: 'ar', nTest: 40 }, { backend: 'wasm' })).rejects.toMatchObject({ field: 'nTest' });
    await expect(runCell({ ...TINY, model: 'ar', nTrain: 40 }, { backend: 'wasm' })).rejects.toMatchObject({ field: 'nTrain' });
  });

  it('without nTrain/nTest it takes all a small depth has', async () => {
    const r = await runCell({ ...TINY, depth: 4, nTrain: undefined, nTest: undefined, model: 'ar', steps: 1 }, { backend: 'wasm' });
    expect(r.n_train + r.n_test).toBe(16); // 2^4 inputs, split between train and test
  });

  it('scores depth generalisation on the evalDepths, with RoPE or learned positions', async () => {
    for (const positional of ['learned', 'rope'] as const) {
      const r = await runCell({ ...TINY, evalDepths: [8, 10], model: 'cot', positional, steps: 2 }, { backend: 'wasm' });
      expect(r.generalization.map((g) => g.depth)).toEqual([8, 10]);
      expect(r.generalization.every((g) => g.n_test === TINY.nTest && g.answer_accuracy >= 0 && g.answer_accuracy <= 1)).toBe(true);
      expect(r.sequence_length).toBeLessThan(r.config.depth * 2 + 8); // training rows are not padded to the eval lengths
    }
    await expect(runCell({ ...TINY, evalDepths: [999_999_999], model: 'ar' }, { backend: 'wasm' })).rejects.toMatchObject({ field: 'evalDepths' });
  });

  it('early stopping ends the run once validation answer accuracy reaches the threshold', async () => {
    const r = await runCell({ ...TINY, model: 'ar', steps: 50, evalEvery: 2, earlyStop: 0 }, { backend: 'wasm' });
    expect(r.status).toBe('early-stopped');
    expect(r.steps).toBe(2);
  });

  it('chain of thought learns parity through the trace it generates itself', async () => {
    const r = await runCell(
      { task: 'parity', depth: 7, model: 'cot', dModel: 32, layers: 2, steps: 200, batchSize: 32, nTrain: 64, nTest: 32, lr: 5e-3, seed: 2 },
      { backend: 'wasm' },
    );
    expect(r.loss_last).toBeLessThan(0.05 * r.loss_first);
    // Scored on free-running generation on unseen inputs: the trace and then
    // the answer are the model's own (chance is 1/2 for the answer, 2^-7 for the trace).
    expect(r.details['trace_accuracy']).toBeGreaterThan(0.7);
    expect(r.answer_accuracy).toBeGreaterThan(0.7);
  }, 120_000);
});
