import { describe, expect, it } from 'vitest';
import { loadBrownCorpus } from './brownCorpus.js';
import { CharTokenizer } from './charTokenizer.js';
import { studyCorpus } from './studyCorpus.js';

const docs = loadBrownCorpus();
const tokenizer = CharTokenizer.train(docs.map((d) => d.text).join('\n\n\n'));
const budget = (U: number, seed = 3) => studyCorpus({ tokenizer, uniqueTokens: U, heldOutTokens: 20_000, seed });

describe('studyCorpus', () => {
  const small = budget(30_000);
  const large = budget(1_000_000);

  it('gives exactly U training tokens and the held-out count', () => {
    expect(small.train).toHaveLength(30_000);
    expect(large.train).toHaveLength(1_000_000);
    expect(small.heldOut).toHaveLength(20_000);
  });

  it('keeps the held-out tokens identical across U', () => {
    expect(large.heldOut).toEqual(small.heldOut);
    expect(large.heldOutDocumentIds).toEqual(small.heldOutDocumentIds);
    expect(small.heldOutDocumentIds).toHaveLength(50);
  });

  it('nests the budgets: a smaller U is a prefix of a larger one', () => {
    expect(large.train.subarray(0, 30_000)).toEqual(small.train);
  });

  it('draws train and held-out from disjoint documents', () => {
    const held = new Set(large.heldOutDocumentIds);
    expect(large.trainDocumentIds.some((id) => held.has(id))).toBe(false);
    expect(large.trainDocumentIds.length).toBeGreaterThan(50);
    const first = docs.find((d) => d.id === large.trainDocumentIds[0]);
    expect(tokenizer.decode(large.train.subarray(0, 200))).toBe(first?.text.slice(0, 200));
  });

  it('is seeded: same seed same tokens, another seed another order', () => {
    expect(budget(30_000)).toEqual(small);
    const other = budget(30_000, 4);
    expect(other.heldOutDocumentIds).not.toEqual(small.heldOutDocumentIds);
    expect(other.train).not.toEqual(small.train);
  });

  it('refuses a U above what the training documents hold, naming U and the maximum', () => {
    const few = [
      { id: 'a', text: 'abcd' },
      { id: 'b', text: 'abc' },
      { id: 'c', text: 'ab' },
    ];
    const args = { tokenizer, heldOutTokens: 1, seed: 0, documents: few, separator: '' };
    const max = 9 - few.find((d) => d.id === studyCorpus({ ...args, uniqueTokens: 0 }).heldOutDocumentIds[0])!.text.length;
    expect(studyCorpus({ ...args, uniqueTokens: max }).train).toHaveLength(max);
    expect(() => studyCorpus({ ...args, uniqueTokens: max + 1 })).toThrow(
      new RegExp(`^studyCorpus: U = ${max + 1} exceeds the ${max} tokens its 2 documents hold \\(seed 0\\)$`),
    );
    expect(() => budget(10_000_000)).toThrow(/U = 10000000 exceeds the \d+ tokens its 450 documents hold/);
  });
});
