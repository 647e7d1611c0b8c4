/**
 * taskCorpus: exact token counts; a smaller U is a prefix of a larger one and
 * the held-out tokens do not depend on U (enumerated and sampled depths);
 * held-out and training examples are disjoint and never repeated; seeded;
 * the stream decodes back to the task's own examples; and a budget beyond
 * what a task/depth holds is refused at exactly its maximum, in one line.
 */
import { describe, expect, it } from 'vitest';
import { findTask, inputHash, sampleSplits, Tokenizer, type Task } from '../../../circuits/tasks/index.js';
import { SPECIAL_TOKENS } from './specialTokens.js';
import { StudyCorpusError } from './studyCorpus.js';
import { taskCorpus, TASK_HELD_OUT_SHARE, type TaskCorpusOptions } from './taskCorpus.js';

const parity = findTask('parity')!;

function corpus(options: Partial<TaskCorpusOptions> & { uniqueTokens: number }): ReturnType<typeof taskCorpus> {
  return taskCorpus({ task: parity, depth: 10, format: 'cot', heldOutTokens: 1000, seed: 3, ...options });
}

function errorOf(run: () => unknown): StudyCorpusError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StudyCorpusError);
    expect((error as Error).message).not.toContain('\n');
    return error as StudyCorpusError;
  }
  throw new Error('expected a StudyCorpusError');
}

/** Input hashes of examples by id: the id ends in the first 16 hex digits of the input's hash. */
function hashPart(id: string): string {
  return id.slice(id.lastIndexOf('_') + 1);
}

describe('taskCorpus', () => {
  // parity at depth 10: 1024 inputs, cot examples of 1 + 10 + 1 + 10 + 1 + 1 + 1 = 25 tokens.
  const small = corpus({ uniqueTokens: 500 });
  const large = corpus({ uniqueTokens: 15_000 });

  it('gives exactly U training tokens and heldOutTokens held-out tokens, none of them <pad>, <unk> or [MASK]', () => {
    expect(small.train).toHaveLength(500);
    expect(large.train).toHaveLength(15_000);
    expect(small.heldOut).toHaveLength(1000);
    for (const s of [large.train, large.heldOut]) expect(s.every((id) => id >= SPECIAL_TOKENS.count && id < large.tokenizer.vocabSize)).toBe(true);
    expect(large.trainExampleIds).toHaveLength(Math.ceil(15_000 / 25));
    expect(small.heldOutExampleIds).toHaveLength(Math.ceil(1000 / 25));
  });

  it('nests the budgets and keeps the held-out stream identical across U', () => {
    expect(Array.from(large.train.subarray(0, 500))).toEqual(Array.from(small.train));
    expect(large.trainExampleIds.slice(0, small.trainExampleIds.length)).toEqual(small.trainExampleIds);
    expect(Array.from(large.heldOut)).toEqual(Array.from(small.heldOut));
    expect(large.heldOutExampleIds).toEqual(small.heldOutExampleIds);
  });

  it('nests the budgets on a depth too large to enumerate (sampled, repeats rejected)', () => {
    // parity at depth 18: 2^18 > ENUMERATE_LIMIT inputs, examples of 41 tokens.
    const a = corpus({ depth: 18, uniqueTokens: 900 });
    const b = corpus({ depth: 18, uniqueTokens: 40_000, heldOutTokens: 1000 });
    expect(Array.from(b.train.subarray(0, 900))).toEqual(Array.from(a.train));
    expect(Array.from(b.heldOut)).toEqual(Array.from(a.heldOut));
    expect(new Set(b.trainExampleIds).size).toBe(b.trainExampleIds.length);
    expect(b.trainExampleIds).toHaveLength(Math.ceil(40_000 / 41));
  });

  it('draws held-out and training examples from disjoint inputs, by hash, without repeats', () => {
    const held = new Set(large.heldOutExampleIds.map(hashPart));
    expect(large.trainExampleIds.some((id) => held.has(hashPart(id)))).toBe(false);
    expect(new Set(large.trainExampleIds).size).toBe(large.trainExampleIds.length);
    expect(held.size).toBe(large.heldOutExampleIds.length);
    // Held out iff the input's hash falls below the share.
    const [example] = sampleSplits(parity, 10, { nTrain: 0, nTest: 1, seed: 3, testShare: TASK_HELD_OUT_SHARE }).test;
    expect(parseInt(inputHash('parity', example!.input).slice(0, 12), 16) / 2 ** 48).toBeLessThan(TASK_HELD_OUT_SHARE);
    expect(hashPart(large.heldOutExampleIds[0]!)).toBe(inputHash('parity', example!.input).slice(0, 16));
  });

  it('is seeded: same seed, same streams; another seed, another order of the same held-out inputs', () => {
    expect(corpus({ uniqueTokens: 500 })).toEqual(small);
    const other = corpus({ uniqueTokens: 500, seed: 4 });
    expect(Array.from(other.train)).not.toEqual(Array.from(small.train));
    expect(Array.from(other.heldOut)).not.toEqual(Array.from(small.heldOut));
    // With a 2% share, parity at depth 10 holds out 23 inputs (575 tokens): all of them, in each seed's order.
    const all = (seed: number) => corpus({ uniqueTokens: 500, heldOutTokens: 575, seed, heldOutShare: 0.02 }).heldOutExampleIds;
    expect(all(4)).toHaveLength(23);
    expect(all(4)).not.toEqual(all(3));
    expect(new Set(all(4))).toEqual(new Set(all(3)));
  });

  it("decodes to the task's own examples: input, trace and the right answer (cot), no trace (direct)", () => {
    const text = large.tokenizer.decode(large.train).split(' <eos>').slice(0, -1);
    expect(text.length).toBeGreaterThan(500);
    for (const example of text.map((t) => t.trim().split(' '))) {
      expect(example[0]).toBe('<bos>');
      const input = example.slice(1, 11);
      const trace = example.slice(12, 22);
      expect(example[11]).toBe('<sep>');
      expect(example[22]).toBe('<ans>');
      const ones = input.filter((b) => b === '1').length;
      expect(example[23]).toBe(String(ones % 2));
      expect(trace.at(-1)).toBe(String(ones % 2));
    }
    const direct = corpus({ uniqueTokens: 1300, format: 'direct' });
    const rows = direct.tokenizer.decode(direct.train).split(' <eos>').slice(0, -1);
    expect(rows.every((r) => r.trim().split(' ').length === 1 + 10 + 1 + 1)).toBe(true);
    expect(direct.tokenizer.decode(direct.train)).not.toContain('<sep>');
  });

  it('refuses a U beyond the distinct training examples at exactly their token count, in one line naming uniqueTokens', () => {
    // parity at depth 4: 16 inputs; cot examples of 13 tokens.
    const { available } = sampleSplits(parity, 4, { nTrain: 0, nTest: 0, seed: 0, testShare: TASK_HELD_OUT_SHARE });
    const most = Number(available.train) * 13;
    const at = (U: number) => corpus({ depth: 4, uniqueTokens: U, heldOutTokens: 13 });
    expect(at(most).train).toHaveLength(most);
    expect(new Set(at(most).trainExampleIds).size).toBe(Number(available.train));
    const e = errorOf(() => at(most + 1));
    expect(e.message).toBe(
      `taskCorpus: uniqueTokens = ${most + 1} exceeds the ${most} tokens that parity at depth 4 (cot) allows without repeating an example ` +
        `(${available.train} distinct training examples); lower uniqueTokens to at most ${most} or raise taskDepth`,
    );
    expect(e.message).not.toMatch(/heldOutTokens/);
    expect(errorOf(() => corpus({ depth: 4, uniqueTokens: 13, heldOutTokens: 10_000 })).message).toMatch(/^taskCorpus: heldOutTokens = 10000 exceeds the \d+ tokens .* held-out examples\); lower heldOutTokens/);
  });

  it('refuses, without drawing them, budgets beyond half of a sampled split (about how many tokens it allows)', () => {
    // s5 at depth 4: 120^4 inputs, far too many to draw half of.
    const s5: Task = findTask('s5')!;
    const e = errorOf(() => taskCorpus({ task: s5, depth: 4, format: 'cot', uniqueTokens: 4_000_000_000, heldOutTokens: 100, seed: 0 }));
    expect(e.message).toMatch(/^taskCorpus: uniqueTokens = 4000000000 exceeds the about \d+ tokens that s5 at depth 4 \(cot\) allows/);
    expect(errorOf(() => corpus({ depth: 0, uniqueTokens: 100 })).message).toMatch(/^taskCorpus: taskDepth = 0: parity has depths 1\.\.1024/);
    expect(new Tokenizer(s5).size).toBeGreaterThan(120);
  });
});
