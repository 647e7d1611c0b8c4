/**
 * runStudyCell end to end on wasm, at tiny sizes: every kind trains and
 * reports finite held-out bits; the budget is E·W·C scored tokens exactly
 * (the last batch partial); a cell is a pure function of its config; with a
 * tiny U and many epochs a small AR model's held-out bits fall and then rise
 * while its training bits keep falling; and near initialisation the AR NLL
 * and the diffusion NELBO read ≈ log₂ V on the same rows (same units). On a
 * task's examples (corpus 'task') both AR and diffusion train the same way;
 * attentionDropout reaches the backbone (it changes the numbers). A cell
 * stopped at a checkpoint and resumed ends with the uninterrupted result
 * (diffusion's masks included); one with dropout is not checkpointed.
 *
 * Not tested: "diffusion NELBO ≥ AR NLL". A NELBO bounds its own model's
 * NLL, not another model's, and both are only bounded below by the text's
 * unknown entropy, so no such inequality holds in general.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../models/backend/index.js';
import { CellInterrupted } from '../../cell/runCell.js';
import { runStudyCell, studyCellCheckpointable, type StudyCellResult } from './runStudyCell.js';
import { StudyCellConfigError } from './StudyCellConfig.js';

const TINY = { uniqueTokens: 600, epochs: 3, contextLength: 16, dModel: 16, heads: 2, layers: 1, batchSize: 8, heldOutTokens: 400, evalPoints: 3 } as const;

function deterministicPart(r: StudyCellResult): unknown {
  const { train_tokens_per_s: _a, train_seconds: _b, eval_seconds: _c, data_seconds: _d, ...rest } = r;
  return rest;
}

beforeAll(async () => {
  expect((await selectBackend('wasm')).name).toBe('wasm');
});

describe('runStudyCell checkpoints', () => {
  it.each([['ar', {}], ['diffusion', {}], ['ar-orders', { orders: 3 }]] as const)('%s: stopped after a step and resumed, gives the uninterrupted result', async (model, extra) => {
    const config = { ...TINY, model, ...extra };
    const whole = await runStudyCell(config, { backend: 'wasm' });
    const dir = join(mkdtempSync(join(tmpdir(), 'depthlab-study-cell-')), 'checkpoint');
    let steps = 0;
    // Step 6 is past the first held-out evaluation, so the saved curve is resumed too.
    await expect(runStudyCell(config, { backend: 'wasm', checkpoint: { dir, stop: () => ++steps === 6 } })).rejects.toBeInstanceOf(CellInterrupted);
    expect(existsSync(join(dir, 'trainer.json'))).toBe(true);
    const resumed = await runStudyCell(config, { backend: 'wasm', checkpoint: { dir, stop: () => false } });
    expect(deterministicPart(resumed)).toEqual(deterministicPart(whole));
    expect(existsSync(dir)).toBe(false); // removed once the cell is done
  });

  it('a config with dropout is not checkpointable: stop is never asked, and nothing is saved', async () => {
    expect(studyCellCheckpointable({ dropout: 0, attentionDropout: 0 })).toBe(true);
    expect(studyCellCheckpointable({ dropout: 0, attentionDropout: 0.1 })).toBe(false);
    const dir = join(mkdtempSync(join(tmpdir(), 'depthlab-study-cell-')), 'checkpoint');
    let asked = 0;
    const r = await runStudyCell({ ...TINY, model: 'ar', dropout: 0.1 }, { backend: 'wasm', checkpoint: { dir, stop: () => (asked += 1) > 0 } });
    expect(r.status).toBe('completed');
    expect(asked).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('runStudyCell', () => {
  it.each([['ar', {}], ['diffusion', {}], ['ar-orders', { orders: 3 }]] as const)('%s trains E·W·C tokens and reports finite bits', async (model, extra) => {
    let calls = 0;
    const r = await runStudyCell({ ...TINY, model, ...extra }, { backend: 'wasm', onStep: () => (calls += 1) });
    expect(calls).toBe(r.steps);
    const windows = Math.floor((TINY.uniqueTokens - 1) / TINY.contextLength); // 37
    expect(r.status).toBe('completed');
    expect(r.train_windows).toBe(windows);
    expect(r.tokens_per_epoch).toBe(windows * TINY.contextLength);
    expect(r.train_tokens).toBe(TINY.epochs * windows * TINY.contextLength);
    expect(r.steps).toBe(Math.ceil((TINY.epochs * windows) / TINY.batchSize));
    expect(r.flops).toBe(6 * r.params * r.train_tokens);
    expect(r.flops_estimate).toBe('6ND');
    expect(r.held_out_windows).toBe(Math.floor((TINY.heldOutTokens - 1) / TINY.contextLength));
    expect(r.curve.length).toBeGreaterThanOrEqual(2);
    expect(r.curve.at(-1)).toMatchObject({ step: r.steps, epoch: TINY.epochs, tokens: r.train_tokens, flops: r.flops });
    for (const p of r.curve) {
      for (const k of ['bits_per_token', 'train_bits_per_token', 'train_loss_bits', 'standard_error'] as const) expect(Number.isFinite(p[k]), k).toBe(true);
      expect(p.bits_per_token).toBeGreaterThan(0);
    }
    expect(r.curve.some((p) => p.bits_per_token === r.best_bits_per_token && p.epoch === r.best_epoch)).toBe(true);
    if (model === 'diffusion') expect(r.curve.at(-1)!.standard_error).toBeGreaterThan(0);
    else expect(r.curve.at(-1)!.standard_error).toBe(0);
  });

  it('is a function of its config: same config, same numbers; another seed, other numbers', async () => {
    const a = await runStudyCell({ ...TINY, model: 'diffusion' }, { backend: 'wasm' });
    const b = await runStudyCell({ ...TINY, model: 'diffusion' }, { backend: 'wasm' });
    expect(deterministicPart(b)).toEqual(deterministicPart(a));
    const c = await runStudyCell({ ...TINY, model: 'diffusion', seed: 1 }, { backend: 'wasm' });
    expect(c.curve.at(-1)!.bits_per_token).not.toBe(a.curve.at(-1)!.bits_per_token);
    expect(c.id).not.toBe(a.id);
  });

  it('overfits a tiny U: held-out bits fall, then rise, while training bits keep falling', async () => {
    const r = await runStudyCell(
      { uniqueTokens: 600, epochs: 60, contextLength: 16, dModel: 48, heads: 2, layers: 1, batchSize: 8, lr: 1e-2, heldOutTokens: 1000, evalPoints: 8, model: 'ar' },
      { backend: 'wasm' },
    );
    const first = r.curve[0]!;
    const last = r.curve.at(-1)!;
    expect(r.best_epoch).toBeGreaterThan(first.epoch);
    expect(r.best_epoch).toBeLessThan(last.epoch);
    expect(first.bits_per_token - r.best_bits_per_token).toBeGreaterThan(1);
    expect(last.bits_per_token - r.best_bits_per_token).toBeGreaterThan(2);
    r.curve.slice(1).forEach((p, i) => expect(p.train_bits_per_token).toBeLessThan(r.curve[i]!.train_bits_per_token + 0.05));
    expect(last.train_bits_per_token).toBeLessThan(1);
    expect(last.train_bits_per_token).toBeLessThan(last.bits_per_token - 5);
  });

  it('reads ≈ log₂ V bits per token near initialisation for AR and diffusion alike', async () => {
    // One step (B > W) at a tiny rate: the models are still near uniform.
    const near = { ...TINY, epochs: 1, batchSize: 64, lr: 1e-6, evalPoints: 1 } as const;
    const ar = await runStudyCell({ ...near, model: 'ar' }, { backend: 'wasm' });
    const diffusion = await runStudyCell({ ...near, model: 'diffusion' }, { backend: 'wasm' });
    expect(ar.steps).toBe(1);
    const uniform = Math.log2(ar.vocab_size);
    expect(Math.abs(ar.curve[0]!.bits_per_token - uniform)).toBeLessThan(0.3);
    expect(Math.abs(diffusion.curve[0]!.bits_per_token - uniform)).toBeLessThan(0.3);
  });

  it('trains on brown-bpe with a BPE vocabulary of the requested size', async () => {
    const r = await runStudyCell({ ...TINY, corpus: 'brown-bpe', bpeVocabSize: 300, model: 'ar', epochs: 1 }, { backend: 'wasm' });
    expect(r.vocab_size).toBe(300);
    expect(Number.isFinite(r.best_bits_per_token)).toBe(true);
  });

  it('refuses a U beyond the training documents in one line naming uniqueTokens', async () => {
    const error = await runStudyCell({ ...TINY, uniqueTokens: 9_000_000, model: 'ar' }, { backend: 'wasm' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudyCellConfigError);
    expect((error as StudyCellConfigError).field).toBe('uniqueTokens');
    expect((error as Error).message).toMatch(/^studyCorpus: U = 9000000 exceeds the \d+ tokens/);
  });

  describe("on a task's examples (corpus 'task')", () => {
    // parity at depth 10, cot: examples of 25 tokens, 9 ids (3 specials, <bos> <sep> <ans> <eos>, 0, 1).
    const TASK = { ...TINY, corpus: 'task', task: 'parity', taskDepth: 10, epochs: 2 } as const;

    it.each([['ar'], ['diffusion']] as const)('%s trains E·W·C tokens on parity and reports finite bits', async (model) => {
      const r = await runStudyCell({ ...TASK, model }, { backend: 'wasm' });
      const windows = Math.floor((TASK.uniqueTokens - 1) / TASK.contextLength);
      expect(r.status).toBe('completed');
      expect(r.config).toMatchObject({ corpus: 'task', task: 'parity', taskDepth: 10, taskFormat: 'cot' });
      expect(r.vocab_size).toBe(9);
      expect(r.train_windows).toBe(windows);
      expect(r.train_tokens).toBe(TASK.epochs * windows * TASK.contextLength);
      expect(r.curve.at(-1)).toMatchObject({ epoch: TASK.epochs, tokens: r.train_tokens });
      for (const p of r.curve) expect(Number.isFinite(p.bits_per_token) && p.bits_per_token > 0).toBe(true);
      // Near-uniform start over 9 ids (log₂ 9 ≈ 3.17); parity's bits and markers are far more predictable.
      expect(r.curve.at(-1)!.bits_per_token).toBeLessThan(Math.log2(9));
    });

    it('refuses a U beyond the distinct examples of a small depth, naming uniqueTokens', async () => {
      // parity at depth 6: 64 inputs, 59 of them training inputs (hash split, 10% held out), examples of 17 tokens.
      const error = await runStudyCell({ ...TASK, taskDepth: 6, uniqueTokens: 1100, heldOutTokens: 80, model: 'ar' }, { backend: 'wasm' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StudyCellConfigError);
      expect((error as StudyCellConfigError).field).toBe('uniqueTokens');
      expect((error as Error).message).toMatch(/^taskCorpus: uniqueTokens = 1100 exceeds the 1003 tokens that parity at depth 6 \(cot\) allows .*\(59 distinct training examples\)/);
    });
  });

  it('passes attentionDropout to the backbone: same parameters, another first training loss, another id', async () => {
    const near = { ...TINY, epochs: 1, evalPoints: 1, model: 'ar' } as const;
    const plain = await runStudyCell(near, { backend: 'wasm' });
    const dropped = await runStudyCell({ ...near, attentionDropout: 0.3 }, { backend: 'wasm' });
    expect(dropped.status).toBe('completed');
    expect(dropped.params).toBe(plain.params);
    expect(dropped.train_loss_first_bits).not.toBe(plain.train_loss_first_bits);
    expect(dropped.id).not.toBe(plain.id);
  });
});
