/**
 * The probe cell's pure parts: config validation and hashing, encoding and
 * padding, seeded epoch shuffling, and the free-running answer reader of the
 * causal kinds (against scripted generations).
 */
import { describe, expect, it } from 'vitest';
import { findTask, generateSuite, Tokenizer } from '../../circuits/tasks/index.js';
import { cellConfig, CellConfigError, cellHash } from './CellConfig.js';
import { resolveCell } from './runCell.js';
import { batchAt, encodeSet, PAD_ID } from './_internals/encodedSet.js';
import { evaluateCausal } from './kinds/evaluateCausal.js';

describe('cellConfig', () => {
  it('fills in defaults and hashes equal configs equally, whatever the key order or spelling of defaults', () => {
    const a = cellConfig({ task: 's5', depth: 8, model: 'ar' });
    expect(a).toMatchObject({ layers: 2, dModel: 64, heads: 4, steps: 400, batchSize: 32, seed: 0, unmaskOrder: 'confidence' });
    const b = cellConfig({ seed: 0, model: 'ar', depth: 8, layers: 2, task: 's5' });
    expect(cellHash(a)).toBe(cellHash(b));
    expect(cellHash(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(cellHash(cellConfig({ task: 's5', depth: 8, model: 'ar', seed: 1 }))).not.toBe(cellHash(a));
  });

  it.each([
    [{ task: 's5', depth: 8, model: 'gpt' }, 'model'],
    [{ task: 's5', depth: -1, model: 'ar' }, 'depth'],
    [{ task: 's5', depth: 8, model: 'ar', layers: 0 }, 'layers'],
    [{ task: 's5', depth: 8, model: 'ar', dModel: 30, heads: 4 }, 'heads'],
    [{ task: 's5', depth: 8, model: 'ar', earlyStop: 0.9 }, 'evalEvery'],
    [{ task: 's5', depth: 8, model: 'ar', colour: 'red' }, '(config)'],
    [{ depth: 8, model: 'ar' }, 'task'],
  ])('rejects %j naming %s in one line', (input, field) => {
    let error: unknown;
    try {
      cellConfig(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CellConfigError);
    expect((error as CellConfigError).field).toBe(field);
    expect((error as Error).message).not.toContain('\n');
  });

  it('checks the task, its depth range and whether it has labels for tagged', () => {
    expect(() => resolveCell({ task: 'nope', depth: 3, model: 'ar' })).toThrow(/task = "nope": unknown; choose one of .*s5/);
    expect(() => resolveCell({ task: 'parity', depth: 10_000_000, model: 'ar' })).toThrow(/depth = 10000000: parity has depths/);
    expect(() => resolveCell({ task: 'formula', depth: 2, model: 'tagged' })).toThrow(/no per-position labels/);
    expect(resolveCell({ task: 's5', depth: 4, model: 'tagged' }).task.id).toBe('s5');
  });

  it('leaves nTrain and nTest out by default (capped by the depth at run time)', () => {
    expect(cellConfig({ task: 'parity', depth: 4, model: 'ar' }).nTrain).toBeUndefined();
  });
});

describe('encodeSet', () => {
  const task = findTask('s5')!;
  const suite = generateSuite({ task, depths: [5], nTrain: 20, nTest: 5, seed: 1 }).perDepth[0]!;
  const tok = new Tokenizer(task);

  it.each(['answer', 'cot', 'tagged'] as const)('%s: pads to one length and locates the prompt and the answer', (format) => {
    const set = encodeSet(tok, format, suite.train, suite.test);
    for (const [e, ex] of [...set.train.map((e, i) => [e, suite.train[i]!] as const)]) {
      expect(e.tokens).toHaveLength(set.length);
      expect(e.targets).toHaveLength(set.length);
      const raw = tok.encode(ex, format);
      expect(e.tokens.slice(0, raw.tokens.length)).toEqual(raw.tokens);
      expect(e.tokens.slice(raw.tokens.length).every((t) => t === PAD_ID)).toBe(true);
      expect(e.answerIds).toEqual(task.symbols(ex).answer.map((s) => tok.id(s)));
      if (format === 'tagged') continue;
      const marker = format === 'cot' ? '<sep>' : '<ans>';
      expect(tok.decode([e.tokens[e.promptLength - 1]!])).toEqual([marker]);
      expect(e.answerPositions.map((i) => e.tokens[i])).toEqual(e.answerIds);
      expect(tok.decode([e.tokens[e.answerPositions.at(-1)! + 1]!])).toEqual(['<eos>']);
    }
  });
});

describe('batchAt', () => {
  it('visits every example once per epoch, in a seeded order that differs between epochs', () => {
    const xs = Array.from({ length: 10 }, (_, i) => i);
    const epoch = (e: number, seed: number) => [0, 1].flatMap((s) => batchAt(xs, 5, 2 * e + s, seed));
    expect([...epoch(0, 3)].sort((a, b) => a - b)).toEqual(xs);
    expect([...epoch(1, 3)].sort((a, b) => a - b)).toEqual(xs);
    expect(epoch(0, 3)).not.toEqual(epoch(1, 3));
    expect(epoch(0, 3)).toEqual(epoch(0, 3));
    expect(epoch(0, 4)).not.toEqual(epoch(0, 3));
    // A batch straddling an epoch boundary: 3 from the end of epoch 0, 4 from epoch 1.
    expect(batchAt(xs, 7, 1, 3)).toEqual([...batchAt(xs, 10, 0, 3).slice(7), ...batchAt(xs, 10, 1, 3).slice(0, 4)]);
  });
});

describe('evaluateCausal (the free-running answer reader) against scripted generations', () => {
  // Vocabulary: 0 pad, 1 bos, 2 sep, 3 ans, 4 eos, 5.. symbols.
  const example = (trace: number[], answer: number[]) => {
    const tokens = [1, 9, 9, 2, ...trace, 3, ...answer, 4];
    const promptLength = 4;
    const answerStart = promptLength + trace.length + 1;
    return {
      tokens,
      targets: tokens.map((_, i) => (i >= promptLength ? 1 : 0)),
      real: tokens.map(() => 1),
      promptLength,
      answerPositions: answer.map((_, i) => answerStart + i),
      answerIds: answer,
    };
  };
  const scripted = (outputs: number[][]) => ({
    evaluate: () => ({ tokenAccuracy: 1, sequenceAccuracy: 1, positions: 1, sequences: 1 }),
    greedyDecodeBatch: () => outputs,
  });

  it('reads the answer after the generated <ans> up to <eos>, and scores the trace separately', () => {
    const ex = example([5, 6], [7]);
    const outs = [
      [5, 6, 3, 7, 4], // right trace, right answer
      [6, 6, 3, 7, 4], // wrong trace, right answer
      [5, 6, 3, 8, 4], // right trace, wrong answer
      [5, 6, 7, 4], // no <ans>: wrong
      [5, 6, 3, 7], // answer never closed by <eos>: wrong
      [5, 6, 3, 7, 7, 4], // answer too long: wrong
    ];
    const ev = evaluateCausal(scripted(outs), outs.map(() => ex), true, { ans: 3, eos: 4 }, 12);
    expect(ev.answerAccuracy).toBeCloseTo(2 / 6);
    expect(ev.details['trace_accuracy']).toBeCloseTo(4 / 6);
  });

  it('answer format: the answer is read from the start of the generation', () => {
    const ex = { ...example([], [7, 8]), promptLength: 5 };
    const outs = [[7, 8, 4], [7, 8, 9], [7, 4]];
    const ev = evaluateCausal(scripted(outs), outs.map(() => ex), false, { ans: 3, eos: 4 }, 12);
    expect(ev.answerAccuracy).toBeCloseTo(1 / 3);
    expect(ev.details['trace_accuracy']).toBeUndefined();
  });
});
