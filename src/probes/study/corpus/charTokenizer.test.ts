import { describe, expect, it } from 'vitest';
import { loadBrownCorpus } from './brownCorpus.js';
import { CharTokenizer } from './charTokenizer.js';
import { SPECIAL_TOKENS } from './specialTokens.js';

describe('CharTokenizer', () => {
  it('puts the specials first and the sorted characters after', () => {
    const tok = CharTokenizer.train('banana!');
    expect(tok.alphabet).toEqual(['!', 'a', 'b', 'n']);
    expect(tok.vocabSize).toBe(7);
    expect([...tok.encode('ban')]).toEqual([5, 4, 6]);
    expect(SPECIAL_TOKENS).toMatchObject({ pad: 0, unk: 1, mask: 2, count: 3 });
    expect(tok.tokenText(SPECIAL_TOKENS.mask)).toBe('[MASK]');
  });

  it('maps unseen characters to <unk> and renders the specials on decode', () => {
    const tok = CharTokenizer.train('ab');
    expect([...tok.encode('axb')]).toEqual([3, SPECIAL_TOKENS.unk, 4]);
    expect(tok.decode([0, 3, 1, 2, 4])).toBe('a\uFFFD\u2588b');
    expect(() => tok.decode([5])).toThrow(/id 5 outside the vocabulary \[0, 5\)/);
  });

  it('round-trips astral characters and JSON', () => {
    const text = 'x😀y\n';
    const tok = CharTokenizer.train(text);
    expect(tok.encode(text)).toHaveLength(4);
    expect(tok.decode(tok.encode(text))).toBe(text);
    const copy = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(tok)));
    expect(copy.alphabet).toEqual(tok.alphabet);
    expect(() => CharTokenizer.fromJSON({ kind: 'char', alphabet: ['ab'] })).toThrow(/single characters/);
  });

  it('round-trips the whole Brown corpus exactly', () => {
    const text = loadBrownCorpus().map((d) => d.text).join('\n\n');
    const tok = CharTokenizer.train(text);
    expect(tok.vocabSize).toBeLessThan(120);
    const ids = tok.encode(text);
    expect(ids.length).toBe(text.length);
    expect(ids.every((id) => id >= SPECIAL_TOKENS.count)).toBe(true);
    expect(tok.decode(ids)).toBe(text);
  });
});
