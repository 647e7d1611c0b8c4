/**
 * The data of a study cell: the held-out rows are the same for every U (the
 * tokenizer is trained on all training documents, never on held-out text),
 * a smaller U's training stream is a prefix of a larger one's, and rows have
 * C + 1 tokens.
 */
import { describe, expect, it } from 'vitest';
import { studyCellData } from './studyCellData.js';

const BASE = { corpus: 'brown-char', corpusSeed: 0, heldOutTokens: 3000, contextLength: 32 } as const;

describe('studyCellData', () => {
  it('gives identical held-out rows for every U, and nested training streams', () => {
    const small = studyCellData({ ...BASE, uniqueTokens: 500 });
    const large = studyCellData({ ...BASE, uniqueTokens: 50_000 });
    expect(small.heldOutWindows).toEqual(large.heldOutWindows);
    expect(small.heldOutWindows).toHaveLength(Math.floor((3000 - 1) / 32));
    expect(Array.from(large.train.subarray(0, 500))).toEqual(Array.from(small.train));
    expect(small.trainWindows).toEqual(large.trainWindows.slice(0, small.trainWindows.length));
    expect(small.trainWindows.every((r) => r.length === 33)).toBe(true);
    expect(small.tokensPerEpoch).toBe(Math.floor(499 / 32) * 32);
    expect(large.tokenizer).toBe(small.tokenizer);
  });

  it('splits held-out text by corpusSeed', () => {
    const a = studyCellData({ ...BASE, uniqueTokens: 500 });
    const b = studyCellData({ ...BASE, corpusSeed: 1, uniqueTokens: 500 });
    expect(b.heldOutWindows).not.toEqual(a.heldOutWindows);
  });
});
