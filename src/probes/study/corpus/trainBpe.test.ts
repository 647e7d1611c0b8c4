import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBrownCorpus } from './brownCorpus.js';
import { BpeTokenizer } from './bpeTokenizer.js';
import { preTokenize } from './_internals/preTokenize.js';
import { SPECIAL_TOKENS } from './specialTokens.js';
import { trainBpe } from './trainBpe.js';

const docs = loadBrownCorpus();
const corpus = docs.map((d) => d.text).join('\n\n');
// Train on every fifth document (~1.2M characters) to keep the suite fast.
const sample = docs.filter((_, i) => i % 5 === 0).map((d) => d.text).join('\n\n');
const bpe = trainBpe(sample, { vocabSize: 1000, seed: 7, extraCharacters: corpus });

describe('trainBpe', () => {
  it('gives exactly vocabSize ids with distinct token strings', () => {
    expect(bpe.vocabSize).toBe(1000);
    expect(bpe.vocab).toHaveLength(1000);
    expect(new Set(bpe.vocab).size).toBe(1000);
    expect(bpe.vocab.slice(0, 3)).toEqual(['<pad>', '<unk>', '[MASK]']);
    expect(bpe.seed).toBe(7);
  });

  it('is deterministic: the same text and vocabSize give identical merges', () => {
    const again = trainBpe(sample, { vocabSize: 1000, seed: 99, extraCharacters: corpus });
    expect(again.merges).toEqual(bpe.merges);
    expect(again.alphabet).toEqual(bpe.alphabet);
  });

  it('merges the most frequent pair first and breaks ties lexicographically', () => {
    // Chunks "ab" and "ba" twice each: a tie, ('a','b') comes before ('b','a').
    const tok = trainBpe('ab\nba\nab\nba', { vocabSize: 3 + 3 + 2 });
    expect(tok.vocab.slice(6)).toEqual(['ab', 'ba']);
    expect(trainBpe('ba\nab\nba\nab', { vocabSize: 8 }).merges).toEqual(tok.merges);
    const counted = trainBpe('zz\nxy\nxy\nxy\nzz', { vocabSize: 3 + 4 + 1 });
    expect(counted.vocab[7]).toBe('xy');
  });

  it('refuses a vocabulary the text cannot support, in one line', () => {
    expect(() => trainBpe('ab', { vocabSize: 10 })).toThrow(/^trainBpe: the text supports at most 6 tokens; vocabSize 10 requested$/);
    expect(() => trainBpe('abc', { vocabSize: 4 })).toThrow(/vocabSize 4 must be an integer in \[6,/);
  });

  it('round-trips the whole Brown corpus exactly and shrinks it', () => {
    const ids = bpe.encode(corpus);
    expect(bpe.decode(ids)).toBe(corpus);
    expect(ids.length).toBeLessThan(corpus.length / 2.4);
    expect(ids.every((id) => id >= SPECIAL_TOKENS.count && id < bpe.vocabSize)).toBe(true);
  });

  it('encodes a chunk as applying every merge in order would (the training segmentation)', () => {
    const reference = (chunk: string): number[] => {
      let symbols = Array.from(chunk, (ch) => bpe.alphabet.indexOf(ch) + SPECIAL_TOKENS.count);
      bpe.merges.forEach(([a, b], k) => {
        const next: number[] = [];
        for (let i = 0; i < symbols.length; i++) {
          if (symbols[i] === a && symbols[i + 1] === b) next.push(bpe.alphabet.length + SPECIAL_TOKENS.count + k), i++;
          else next.push(symbols[i] ?? 0);
        }
        symbols = next;
      });
      return symbols;
    };
    const chunks = [...new Set(preTokenize(docs[123]?.text ?? ''))].slice(0, 300);
    for (const chunk of [...chunks, ' aaaa', '\n\n', ' the', ' Mississippi']) {
      expect([...bpe.encode(chunk)], chunk).toEqual(reference(chunk));
    }
  });

  it('round-trips any text over its alphabet (property)', () => {
    const chars = fc.constantFrom(...bpe.alphabet);
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 200 }), (arr) => {
        const text = arr.join('');
        expect(bpe.decode(bpe.encode(text))).toBe(text);
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('round-trips through JSON', () => {
    const copy = BpeTokenizer.fromJSON(JSON.parse(JSON.stringify(bpe)));
    expect(copy.toJSON()).toEqual(bpe.toJSON());
    const text = docs[3]?.text ?? '';
    expect([...copy.encode(text)]).toEqual([...bpe.encode(text)]);
    expect(() => BpeTokenizer.fromJSON({ kind: 'bpe', version: 1, seed: 0, alphabet: ['a'], merges: [[3, 9]] })).toThrow(/merge 0/);
  });

  it('sends unseen characters to <unk>', () => {
    const tok = trainBpe('aaaa', { vocabSize: 5 });
    expect(trainBpe('a', { vocabSize: 6, extraCharacters: 'zy' }).alphabet).toEqual(['a', 'y', 'z']);
    expect([...tok.encode('aaz')]).toEqual([4, SPECIAL_TOKENS.unk]);
  });
});

describe('preTokenize', () => {
  it('cuts words with their leading space and keeps every character', () => {
    expect(preTokenize('The jury,  said "no".\n\nIt')).toEqual(['The', ' jury', ',', ' ', ' said', ' "', 'no', '".', '\n\n', 'It']);
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => preTokenize(s).join('') === s), { seed: 2 });
  });
});
