/**
 * StudyCellConfig: defaults, one-line errors naming field / value / fix, and
 * the hash (spellings of one config share an id).
 */
import { describe, expect, it } from 'vitest';
import { studyCellConfig, StudyCellConfigError, studyCellHash } from './StudyCellConfig.js';

const BASE = { uniqueTokens: 10_000, epochs: 4, model: 'ar' } as const;

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
  });
});
