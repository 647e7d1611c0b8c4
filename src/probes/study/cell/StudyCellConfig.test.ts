/**
 * StudyCellConfig: defaults, one-line errors naming field / value / fix, and
 * the hash (spellings of one config share an id).
 */
import { describe, expect, it } from 'vitest';
import { studyCellConfig, StudyCellConfigError, studyCellHash, studyTask } from './StudyCellConfig.js';

const BASE = { uniqueTokens: 10_000, epochs: 4, model: 'ar' } as const;
const TASK = { ...BASE, corpus: 'task', task: 'parity', taskDepth: 10 } as const;

function errorOf(input: unknown): StudyCellConfigError {
  try {
    studyCellConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(StudyCellConfigError);
    return error as StudyCellConfigError;
  }
  throw new Error('expected a StudyCellConfigError');
}

describe('studyCellConfig', () => {
  it('fills in the defaults, bpeVocabSize only for brown-bpe and orders only for ar-orders', () => {
    const c = studyCellConfig(BASE);
    expect(c).toMatchObject({ corpus: 'brown-char', contextLength: 64, heldOutTokens: 20_000, evalPoints: 8, seed: 0, corpusSeed: 0 });
    expect(c.bpeVocabSize).toBeUndefined();
    expect(c.orders).toBeUndefined();
    expect(studyCellConfig({ ...BASE, corpus: 'brown-bpe' }).bpeVocabSize).toBe(1024);
    expect(studyCellConfig({ ...BASE, model: 'ar-orders' }).orders).toBe(1);
    expect(c.attentionDropout).toBe(0);
    expect(c.task).toBeUndefined();
    expect(c.taskFormat).toBeUndefined();
  });

  it("fills in taskFormat 'cot' for corpus 'task' only, takes attentionDropout for any kind, and finds the task", () => {
    const c = studyCellConfig(TASK);
    expect(c).toMatchObject({ corpus: 'task', task: 'parity', taskDepth: 10, taskFormat: 'cot' });
    expect(c.group).toBeUndefined();
    expect(studyTask(c)?.id).toBe('parity');
    expect(studyCellConfig({ ...TASK, taskFormat: 'direct' }).taskFormat).toBe('direct');
    const word = studyCellConfig({ ...TASK, task: 'word', group: 's3', taskDepth: 6 });
    expect(word.group).toBe('S3');
    expect(studyTask(word)?.id).toBe('word-s3');
    expect(studyTask(studyCellConfig(BASE))).toBeUndefined();
    for (const model of ['ar', 'diffusion', 'ar-orders'] as const) {
      expect(studyCellConfig({ ...BASE, model, attentionDropout: 0.1 }).attentionDropout).toBe(0.1);
    }
  });

  it.each([
    [{ epochs: 4, model: 'ar' }, 'uniqueTokens', /^uniqueTokens = missing: /],
    [{ ...BASE, model: 'gpt' }, 'model', /^model = "gpt": .*"ar".*"diffusion".*"ar-orders"/],
    [{ ...BASE, epochs: 0 }, 'epochs', /^epochs = 0: /],
    [{ ...BASE, epochs: 1.5 }, 'epochs', /^epochs = 1.5: /],
    [{ ...BASE, dModel: 30, heads: 4 }, 'heads', /^heads = 4: dModel \(30\) must be a multiple of heads; pick/],
    [{ ...BASE, orders: 3 }, 'orders', /^orders = 3: only model 'ar-orders'.*drop it/],
    [{ ...BASE, bpeVocabSize: 512 }, 'bpeVocabSize', /^bpeVocabSize = 512: only 'brown-bpe'.*drop it/],
    [{ ...BASE, uniqueTokens: 64 }, 'uniqueTokens', /^uniqueTokens = 64: one window needs contextLength \+ 1 = 65 tokens; raise/],
    [{ ...BASE, heldOutTokens: 10, contextLength: 16 }, 'heldOutTokens', /^heldOutTokens = 10: .* 17 tokens/],
    [{ ...BASE, dropout: 1 }, 'dropout', /^dropout = 1: /],
    [{ ...BASE, lr: 2 }, 'lr', /^lr = 2: /],
    [{ ...BASE, epoch: 3 }, '(config)', /epoch/],
    [{ ...BASE, attentionDropout: 1 }, 'attentionDropout', /^attentionDropout = 1: /],
    [{ ...BASE, attentionDropout: -0.5 }, 'attentionDropout', /^attentionDropout = -0.5: /],
    [{ ...BASE, corpus: 'task', taskDepth: 4 }, 'task', /^task = missing: corpus 'task' needs a task id; add task, one of .*parity/],
    [{ ...BASE, corpus: 'task', task: 'parity' }, 'taskDepth', /^taskDepth = missing: corpus 'task' needs/],
    [{ ...TASK, task: 'sorting' }, 'task', /^task = "sorting": unknown; choose one of .*parity/],
    [{ ...TASK, taskDepth: 0 }, 'taskDepth', /^taskDepth = 0: parity has depths 1\.\.1024 \(.*\); pick one in range/],
    [{ ...TASK, taskDepth: 2.5 }, 'taskDepth', /^taskDepth = 2.5: /],
    [{ ...TASK, taskFormat: 'tagged' }, 'taskFormat', /^taskFormat = "tagged": .*"direct".*"cot"/],
    [{ ...TASK, task: 'word' }, 'group', /^group = missing: task 'word' needs a group/],
    [{ ...TASK, task: 'word', group: 'Q8' }, 'group', /^group = "Q8": not a group; use S, A or Z/],
    [{ ...TASK, group: 'S4' }, 'group', /^group = "S4": only task 'word' takes a group; drop it/],
    [{ ...BASE, task: 'parity' }, 'task', /^task = "parity": only corpus 'task' reads a task; drop it or set corpus: 'task'/],
    [{ ...BASE, taskDepth: 3 }, 'taskDepth', /^taskDepth = 3: only corpus 'task'/],
    [{ ...BASE, taskFormat: 'cot' }, 'taskFormat', /^taskFormat = "cot": only corpus 'task'/],
    [{ ...BASE, corpus: 'brown-bpe', group: 'S4' }, 'group', /^group = "S4": only corpus 'task'/],
  ])('%j → one line naming %s', (input, field, pattern) => {
    const e = errorOf(input);
    expect(e.field).toBe(field);
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain('\n');
  });

  it('hashes the resolved config: defaults written or not, same id; any change, another id', () => {
    const a = studyCellHash(studyCellConfig(BASE));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(studyCellHash(studyCellConfig({ ...BASE, contextLength: 64, corpus: 'brown-char', seed: 0 }))).toBe(a);
    expect(studyCellHash(studyCellConfig({ ...BASE, epochs: 5 }))).not.toBe(a);
    expect(studyCellHash(studyCellConfig({ ...BASE, model: 'ar-orders' }))).not.toBe(a);
    expect(studyCellHash(studyCellConfig({ ...BASE, attentionDropout: 0 }))).toBe(a);
    expect(studyCellHash(studyCellConfig({ ...BASE, attentionDropout: 0.1 }))).not.toBe(a);
    const t = studyCellHash(studyCellConfig(TASK));
    expect(studyCellHash(studyCellConfig({ ...TASK, taskFormat: 'cot' }))).toBe(t);
    expect(studyCellHash(studyCellConfig({ ...TASK, taskFormat: 'direct' }))).not.toBe(t);
    expect(studyCellHash(studyCellConfig({ ...TASK, taskDepth: 11 }))).not.toBe(t);
    const word = (group: string) => studyCellHash(studyCellConfig({ ...TASK, task: 'word', group, taskDepth: 6 }));
    expect(word('s3')).toBe(word('S3'));
    expect(word('S4')).not.toBe(word('S3'));
  });
});
