/**
 * TaskTokenizer: the task's ids shifted past the study's specials (<pad> 0
 * kept, k ≥ 1 → k + 2), the task tokenizer's encoding of an example, and a
 * text round trip of space-separated symbols.
 */
import { describe, expect, it } from 'vitest';
import { findTask, sampleSplits, Tokenizer } from '../../../circuits/tasks/index.js';
import { SPECIAL_TOKENS } from './specialTokens.js';
import { TaskTokenizer } from './taskTokenizer.js';

const parity = findTask('parity')!;

describe('TaskTokenizer', () => {
  it('keeps <pad>, moves every other task id up by 2, and never uses <unk> or [MASK] for a task symbol', () => {
    const tok = new TaskTokenizer(parity);
    const inner = new Tokenizer(parity);
    expect(tok.kind).toBe('task');
    expect(tok.vocabSize).toBe(inner.size + 2);
    expect(['<pad>', '<unk>', '[MASK]', '<bos>', '<sep>', '<ans>', '<eos>', '0', '1'].map((s, i) => tok.tokenText(i) === s)).not.toContain(false);
    expect(tok.vocabSize).toBe(9);
    expect(tok.studyId(0)).toBe(SPECIAL_TOKENS.pad);
    for (let k = 1; k < inner.size; k++) expect(tok.tokenText(tok.studyId(k))).toBe(inner.symbols[k]);
    expect(() => tok.tokenText(9)).toThrow(/id 9 outside the vocabulary \[0, 9\)/);
  });

  it("encodes an example as the task tokenizer does (cot with its trace, direct = 'answer'), shifted", () => {
    const tok = new TaskTokenizer(parity);
    const inner = new Tokenizer(parity);
    const [example] = sampleSplits(parity, 5, { nTrain: 1, nTest: 0, seed: 1 }).train;
    const cot = tok.encodeExample(example!, 'cot');
    const direct = tok.encodeExample(example!, 'direct');
    expect(Array.from(cot)).toEqual(inner.encode(example!, 'cot').tokens.map((k) => k + 2));
    expect(Array.from(direct)).toEqual(inner.encode(example!, 'answer').tokens.map((k) => k + 2));
    // parity at depth 5: <bos> 5 bits <sep> 5 prefix parities <ans> answer <eos>.
    expect(cot).toHaveLength(1 + 5 + 1 + 5 + 1 + 1 + 1);
    expect(direct).toHaveLength(1 + 5 + 1 + 1 + 1);
    const text = tok.decode(cot);
    expect(text).toBe(['<bos>', ...example!.input, '<sep>', ...example!.trace, '<ans>', example!.answer, '<eos>'].join(' '));
    expect(Array.from(tok.encode(text))).toEqual(Array.from(cot));
  });

  it('maps unknown symbols to <unk> and renders the specials on decode', () => {
    const tok = new TaskTokenizer(parity);
    expect(Array.from(tok.encode(' <bos>  1 x\n0 '))).toEqual([3, 8, SPECIAL_TOKENS.unk, 7]);
    expect(tok.decode([0, 3, 1, 2, 8])).toBe('<bos> \uFFFD \u2588 1');
  });

  it('gives word problems their group elements as symbols', () => {
    const tok = new TaskTokenizer(findTask('word', { group: 'S3' })!);
    expect(tok.vocabSize).toBe(5 + 6 + 2);
    expect(Array.from(tok.encode('123 321'), (id) => id >= SPECIAL_TOKENS.count)).toEqual([true, true]);
  });
});
