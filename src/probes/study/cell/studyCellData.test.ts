/**
 * The data of a study cell: the held-out rows are the same for every U (the
 * tokenizer is trained on all training documents, never on held-out text),
 * a smaller U's training stream is a prefix of a larger one's, and rows have
 * C + 1 tokens — for the Brown corpus and for a task's examples (which
 * never cross from the held-out stream into the training one).
 */
import { describe, expect, it } from 'vitest';
import { SPECIAL_TOKENS } from '../corpus/index.js';
import { studyCellData, studyTokenizer } from './studyCellData.js';

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

describe("studyCellData on corpus 'task'", () => {
  // parity at depth 10, cot: examples of 25 tokens; 10% of the 1024 inputs held out (≈ 2500 tokens).
  const TASK = { corpus: 'task', task: 'parity', taskDepth: 10, taskFormat: 'cot', corpusSeed: 0, heldOutTokens: 1000, contextLength: 24 } as const;

  it('gives identical held-out rows for every U, nested training streams, and ids of the task tokenizer above the specials', () => {
    const small = studyCellData({ ...TASK, uniqueTokens: 300 });
    const large = studyCellData({ ...TASK, uniqueTokens: 12_000 });
    expect(small.train).toHaveLength(300);
    expect(large.train).toHaveLength(12_000);
    expect(small.heldOutWindows).toEqual(large.heldOutWindows);
    expect(small.heldOutWindows).toHaveLength(Math.floor((1000 - 1) / 24));
    expect(Array.from(large.train.subarray(0, 300))).toEqual(Array.from(small.train));
    expect(small.trainWindows).toEqual(large.trainWindows.slice(0, small.trainWindows.length));
    expect(small.tokenizer.kind).toBe('task');
    expect(small.tokenizer.vocabSize).toBe(studyTokenizer(TASK).vocabSize);
    expect(large.train.every((id) => id >= SPECIAL_TOKENS.count)).toBe(true);
    // The stream starts with an example: <bos> 10 bits <sep> …
    expect(small.tokenizer.decode(small.train.subarray(0, 12))).toMatch(/^<bos>( [01]){10} <sep>$/);
  });

  it('never puts a held-out example in the training stream', () => {
    const data = studyCellData({ ...TASK, uniqueTokens: 20_000, heldOutTokens: 2000 });
    const examples = (ids: Int32Array): Set<string> => new Set(data.tokenizer.decode(ids).split('<bos>').slice(1, -1).map((e) => e.trim()));
    const train = examples(data.train);
    const held = examples(data.heldOut);
    expect(held.size).toBeGreaterThan(50);
    expect(train.size).toBeGreaterThan(700);
    expect([...held].filter((e) => train.has(e))).toEqual([]);
  });

  it('refuses a U beyond what the task holds, naming uniqueTokens', () => {
    expect(() => studyCellData({ ...TASK, taskDepth: 4, heldOutTokens: 30, uniqueTokens: 5000 })).toThrow(/^taskCorpus: uniqueTokens = 5000 exceeds the \d+ tokens that parity at depth 4 \(cot\) allows/);
  });
});
