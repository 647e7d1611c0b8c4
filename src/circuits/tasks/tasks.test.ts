/**
 * Tasks against independent oracles: word-problem traces recomputed with
 * permutation matrices, Boolean answers recomputed from integers, splits
 * disjoint and exact, suites reproducible, tokenizer consistent.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { allPermutations, formatPermutation, parsePermutation, sign } from '../groups/permutation.js';
import { generateSuite } from './generateSuite.js';
import { allTasks, findTask } from './registry.js';
import { inputHash, sampleSplits, SplitRequestError, splitOfHash } from './splits.js';
import { Tokenizer } from './Tokenizer.js';
import type { Task } from './Task.js';

/** Left-to-right product via 0/1 permutation matrices: P(p)[i][j] = [p(i) = j], P(p·q) = P(p)P(q). */
function matrixProduct(perms: readonly string[]): string {
  const k = perms[0]!.length;
  let m: number[][] = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
  for (const s of perms) {
    const p = [...s].map((c) => Number(c) - 1);
    m = m.map((row) => Array.from({ length: k }, (_, j) => row.reduce((acc, v, l) => acc + v * (p[l] === j ? 1 : 0), 0)));
  }
  return m.map((row) => String(row.indexOf(1) + 1)).join('');
}

const task = (id: string): Task => findTask(id)!;

describe('word problems', () => {
  it('S5 traces are the prefix products (checked with permutation matrices)', () => {
    const t = task('s5');
    const rng = xoroshiro128plus(1);
    for (let n = 1; n <= 12; n++) {
      const input = t.randomInput(n, rng) as string[];
      const { trace, answer } = t.solve(n, input);
      trace.forEach((p, i) => expect(p).toBe(matrixProduct(input.slice(0, i + 1))));
      expect(answer).toBe(trace[n - 1]);
    }
  });

  it('A5 inputs, traces and answers stay in A5', () => {
    const t = task('a5');
    const rng = xoroshiro128plus(2);
    for (let r = 0; r < 50; r++) {
      const input = t.randomInput(8, rng) as string[];
      for (const s of [...input, ...t.solve(8, input).trace]) expect(sign(parsePermutation(s)!)).toBe(1);
    }
    expect(t.vocabulary()).toHaveLength(60);
  });

  it('Z60 sums residues, and other groups come by name', () => {
    const t = task('z60');
    expect(t.solve(3, ['59', '2', '30']).trace).toEqual(['59', '1', '31']);
    expect(findTask('s4')!.vocabulary()).toEqual(allPermutations(4).map(formatPermutation));
    expect(findTask('word', { group: 'A4' })!.id).toBe('word-a4');
    expect(findTask('word', { group: 'Q8' })).toBeUndefined();
    expect(() => t.solve(2, ['60', '1'])).toThrow(/not an element of Z60/);
  });

  it('A4 × Z5: 60 elements "even-permutation.residue", products componentwise (matrices and sums mod 5), not abelian', () => {
    const t = task('a4xz5');
    expect(t).toMatchObject({ taskClass: 'TC0', parameters: { group: 'A4xZ5', order: 60 } });
    const names = t.vocabulary();
    expect(names).toHaveLength(60);
    expect(new Set(names).size).toBe(60);
    for (const name of names) {
      const [perm, residue] = name.split('.') as [string, string];
      expect(sign(parsePermutation(perm)!)).toBe(1);
      expect(Number(residue)).toBeLessThan(5);
    }
    const rng = xoroshiro128plus(3);
    for (let n = 1; n <= 10; n++) {
      const input = t.randomInput(n, rng) as string[];
      const { trace } = t.solve(n, input);
      trace.forEach((g, i) => {
        const prefix = input.slice(0, i + 1);
        const sum = prefix.reduce((acc, s) => acc + Number(s.split('.')[1]), 0) % 5;
        expect(g).toBe(`${matrixProduct(prefix.map((s) => s.split('.')[0]!))}.${sum}`);
      });
    }
    const [a, b] = ['2143.1', '1342.0'];
    expect(t.solve(2, [a, b]).answer).not.toBe(t.solve(2, [b, a]).answer);
    expect(findTask('word', { group: 'a4×z5' })!.id).toBe('word-a4xz5');
    expect(() => t.solve(1, ['2134.1'])).toThrow(/not an element of A4xZ5/); // an odd permutation
  });
});

describe('Boolean tasks', () => {
  const rng = xoroshiro128plus(3);
  const cases: [string, number, (bits: string, n: number) => string][] = [
    ['majority', 9, (b, n) => (2 * [...b].filter((c) => c === '1').length > n ? '1' : '0')],
    ['threshold', 10, (b, n) => ([...b].filter((c) => c === '1').length >= Math.ceil(n / 3) ? '1' : '0')],
    ['parity', 11, (b) => String([...b].filter((c) => c === '1').length % 2)],
    ['mod-count', 12, (b) => String([...b].filter((c) => c === '1').length % 3)],
    ['comparison', 6, (b, n) => (parseInt(b.slice(0, n), 2) > parseInt(b.slice(n), 2) ? '1' : '0')],
    ['addition', 6, (b, n) => (parseInt(b.slice(0, n), 2) + parseInt(b.slice(n), 2)).toString(2).padStart(n + 1, '0')],
    ['iterated-addition', 5, (b, n) => (b.match(/.{4}/g)!.reduce((s, x) => s + parseInt(x, 2), 0)).toString(2).padStart(4 + Math.ceil(Math.log2(n)), '0')],
  ];
  it.each(cases)('%s answers equal the integer computation', (id, n, oracle) => {
    const t = task(id);
    for (let r = 0; r < 200; r++) {
      const bits = t.randomInput(n, rng) as string;
      expect(t.solve(n, bits).answer).toBe(oracle(bits, n));
    }
  });

  it('traces end in the answer where they are prefix quantities', () => {
    for (const id of ['parity', 'mod-count']) {
      const t = task(id);
      const { trace, answer } = t.solve(7, '1011001');
      expect(trace[trace.length - 1]).toBe(answer);
    }
    expect(task('addition').solve(3, '011011').trace).toEqual(['1', '1', '0']); // 3 + 3: carries out of bits 0, 1, 2
  });
});

describe('splits', () => {
  it('are disjoint, exact when enumerated, and refuse impossible requests', () => {
    const t = task('parity');
    const s = sampleSplits(t, 6, { nTrain: 20, nTest: 10, seed: 1 });
    const train = new Set(s.train.map((e) => e.input));
    for (const e of s.test) expect(train.has(e.input)).toBe(false);
    expect(s.available.exact).toBe(true);
    expect(s.available.train + s.available.test).toBe(64n);
    expect(new Set(s.train.map((e) => e.id)).size).toBe(20);
    expect(() => sampleSplits(t, 6, { nTrain: Number(s.available.train) + 1, nTest: 0, seed: 1 })).toThrow(SplitRequestError);
    expect(() => sampleSplits(t, 40, { nTrain: 2 ** 39, nTest: 0, seed: 1 })).toThrow(/about/);
  });

  it('put an input in the same split whatever the seed', () => {
    const t = task('s5');
    for (const seed of [1, 2, 3]) {
      const s = sampleSplits(t, 5, { nTrain: 50, nTest: 50, seed });
      for (const e of s.train) expect(splitOfHash(inputHash('s5', e.input), 0.5)).toBe('train');
      for (const e of s.test) expect(splitOfHash(inputHash('s5', e.input), 0.5)).toBe('test');
    }
  });

  it('give the same suite for the same seed and a different one for another seed', () => {
    const spec = { task: task('a5'), depths: [3, 6], nTrain: 30, nTest: 10, seed: 9, depthSplit: 3 };
    const text = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    expect(text(generateSuite(spec))).toBe(text(generateSuite(spec)));
    expect(text(generateSuite({ ...spec, seed: 10 }).perDepth)).not.toBe(text(generateSuite(spec).perDepth));
    const g = generateSuite(spec).depthGeneralization!;
    expect(g.train.every((e) => e.depth <= 3) && g.test.every((e) => e.depth > 3)).toBe(true);
  });
});

describe('Tokenizer', () => {
  it.each(allTasks().map((t) => [t.id, t] as const))('%s: every symbol has an id and sequences decode back', (_id, t) => {
    const tok = new Tokenizer(t);
    const depth = Math.max(t.minDepth, 3);
    const example = generateSuite({ task: t, depths: [depth], nTrain: 3, nTest: 0, seed: 4 }).perDepth[0]!.train[0]!;
    const sym = t.symbols(example);
    const cot = tok.encode(example, 'cot');
    expect(tok.decode(cot.tokens)).toEqual(['<bos>', ...sym.input, '<sep>', ...sym.trace, '<ans>', ...sym.answer, '<eos>']);
    expect(tok.decode(cot.tokens.filter((_, i) => cot.targets[i] === 1))).toEqual([...sym.trace, '<ans>', ...sym.answer, '<eos>']);
    const ans = tok.encode(example, 'answer');
    expect(tok.decode(ans.tokens.filter((_, i) => ans.targets[i] === 1))).toEqual([...sym.answer, '<eos>']);
    if (sym.labels === undefined) expect(() => tok.encode(example, 'tagged')).toThrow(/no per-position labels/);
    else expect(tok.encode(example, 'tagged').targets).toHaveLength(sym.input.length);
  });
});
