/**
 * The exact denoiser against a brute-force oracle written here from the task
 * API alone (every input, its solved sequence, keep those equal to the
 * visible tokens, count symbols), and its two methods against each other:
 * enumeration and the prefix-product DP must agree on word problems — on
 * consistent states and on inconsistent ones, where both condition on the
 * valid sequences with the fewest disagreements.
 */
import { describe, expect, it } from 'vitest';
import { findTask, type Task } from '../../circuits/tasks/index.js';
import { rngFromSeed, uniform01 } from '../_internals/random.js';
import { DenoiserRefusal, exactDenoiser, type ExactDenoiser, type Marginals } from './exactDenoiser.js';
import type { MaskedToken } from './maskSchedule.js';

function bruteForce(task: Task, depth: number, state: readonly MaskedToken[]): Marginals {
  const kept: string[][] = [];
  for (const input of task.allInputs(depth)) {
    const sol = task.solve(depth, input);
    const s = task.symbols({ id: '', family: task.id, depth, input, trace: sol.trace, answer: sol.answer });
    const seq = [...s.input, ...s.trace, ...s.answer];
    if (state.every((tok, i) => tok === null || tok === seq[i])) kept.push(seq);
  }
  const out: Marginals = new Map();
  state.forEach((tok, i) => {
    if (tok !== null) return;
    const m = new Map<string, number>();
    for (const seq of kept) m.set(seq[i]!, (m.get(seq[i]!) ?? 0) + 1 / kept.length);
    out.set(i, m);
  });
  return out;
}

function expectSameMarginals(a: Marginals, b: Marginals, digits = 9): void {
  expect([...a.keys()].sort((x, y) => x - y)).toEqual([...b.keys()].sort((x, y) => x - y));
  for (const [pos, dist] of a) {
    const other = b.get(pos)!;
    const keys = new Set([...dist.keys(), ...other.keys()]);
    for (const k of keys) expect(dist.get(k) ?? 0).toBeCloseTo(other.get(k) ?? 0, digits);
  }
}

/** A valid sequence with each position masked with probability pMask. */
function randomConsistentState(d: ExactDenoiser, seed: number, pMask: number): MaskedToken[] {
  const rng = rngFromSeed(seed);
  const input = d.task.randomInput(d.depth, rng);
  const sol = d.task.solve(d.depth, input);
  const s = d.task.symbols({ id: '', family: d.task.id, depth: d.depth, input, trace: sol.trace, answer: sol.answer });
  return [...s.input, ...s.trace, ...s.answer].map((tok) => (uniform01(rng) < pMask ? null : tok));
}

/** Every position masked with probability pMask, the others an arbitrary symbol of the vocabulary. */
function randomArbitraryState(d: ExactDenoiser, seed: number, pMask: number): MaskedToken[] {
  const rng = rngFromSeed(seed);
  const vocab = d.task.vocabulary();
  return Array.from({ length: d.layout.length }, () => (uniform01(rng) < pMask ? null : vocab[Math.floor(uniform01(rng) * vocab.length)]!));
}

function sumsToOne(m: Marginals): void {
  for (const dist of m.values()) expect([...dist.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
}

describe('exact denoiser by enumeration', () => {
  const parity = findTask('parity')!;
  const d = exactDenoiser(parity, 6);

  it('agrees with brute force on parity at depth 6, marginals summing to 1', () => {
    expect(d.method).toBe('enumerate');
    expect(d.layout).toEqual({ inputLength: 6, traceLength: 6, answerLength: 1, length: 13 });
    for (let seed = 0; seed < 40; seed++) {
      const state = randomConsistentState(d, seed, [0.2, 0.5, 0.8, 1][seed % 4]!);
      const post = d.posterior(state);
      expect(post.mismatches).toBe(0);
      sumsToOne(post.marginals);
      expectSameMarginals(post.marginals, bruteForce(parity, 6, state));
    }
  });

  it('knows the structure: all masked gives 64 completions and fair input bits; the answer follows the visible input', () => {
    const all = d.posterior(new Array<MaskedToken>(13).fill(null));
    expect(Math.exp(all.logCompletions)).toBeCloseTo(64, 9);
    expect(all.marginals.get(0)!.get('1')).toBeCloseTo(0.5, 12);
    const state: MaskedToken[] = ['1', '1', '0', '1', '0', '0', ...new Array<MaskedToken>(7).fill(null)];
    expect(d.marginals(state).get(12)).toEqual(new Map([['1', 1]]));
  });

  it('refuses more than 2^17 inputs with a clear message, and the DP on non-word tasks', () => {
    expect(() => exactDenoiser(findTask('s5')!, 3, { method: 'enumerate' })).toThrow(/1728000 inputs, more than 2\^17/);
    expect(() => exactDenoiser(parity, 18)).toThrow(DenoiserRefusal);
    expect(() => exactDenoiser(parity, 6, { method: 'word-dp' })).toThrow(/not a word problem/);
  });

  it('on an inconsistent state, conditions on the valid sequences nearest to the visible tokens', () => {
    // Input 111111 has trace 101010 and answer 0; claiming answer 1 costs one disagreement.
    const state: MaskedToken[] = ['1', '1', '1', '1', '1', '1', ...new Array<MaskedToken>(6).fill(null), '1'];
    const post = d.posterior(state);
    expect(post.mismatches).toBe(1);
    expect(d.nearestDistance(['1', '1', '1', '1', '1', '1', '1', '0', '1', '0', '1', '0', '1'])).toBe(1);
    expect(d.nearestDistance(['1', '1', '1', '1', '1', '1', '1', '0', '1', '0', '1', '0', '0'])).toBe(0);
    sumsToOne(post.marginals);
  });
});

describe('exact denoiser by prefix-product DP', () => {
  it('agrees with brute force and with enumeration on S5 at depth 2', () => {
    const s5 = findTask('s5')!;
    const dp = exactDenoiser(s5, 2);
    const en = exactDenoiser(s5, 2, { method: 'enumerate' });
    expect(dp.method).toBe('word-dp');
    for (let seed = 0; seed < 12; seed++) {
      const state = randomConsistentState(dp, seed, [0.3, 0.6, 1][seed % 3]!);
      const a = dp.posterior(state);
      sumsToOne(a.marginals);
      expectSameMarginals(a.marginals, bruteForce(s5, 2, state));
      expectSameMarginals(a.marginals, en.marginals(state));
      expect(a.logCompletions).toBeCloseTo(en.posterior(state).logCompletions, 9);
    }
    for (let seed = 100; seed < 140; seed++) {
      const state = randomArbitraryState(dp, seed, 0.4);
      const a = dp.posterior(state);
      const b = en.posterior(state);
      expect(a.mismatches).toBe(b.mismatches);
      expect(a.logCompletions).toBeCloseTo(b.logCompletions, 9);
      expectSameMarginals(a.marginals, b.marginals);
    }
  });

  it('agrees with enumeration on A4 (depth 4) and S4 (depth 3), consistent or not', () => {
    for (const [id, depth] of [['a4', 4], ['s4', 3]] as const) {
      const task = findTask(id)!;
      const dp = exactDenoiser(task, depth, { method: 'word-dp' });
      const en = exactDenoiser(task, depth, { method: 'enumerate' });
      for (let seed = 0; seed < 30; seed++) {
        const state = seed % 2 === 0 ? randomConsistentState(dp, seed, 0.5) : randomArbitraryState(dp, seed, 0.5);
        const a = dp.posterior(state);
        const b = en.posterior(state);
        expect(a.mismatches).toBe(b.mismatches);
        expect(a.logCompletions).toBeCloseTo(b.logCompletions, 9);
        expectSameMarginals(a.marginals, b.marginals);
      }
    }
  });

  it('is exact on S5 at depth 8 (120^8 inputs)', () => {
    const s5 = findTask('s5')!;
    const d = exactDenoiser(s5, 8);
    const all = d.posterior(new Array<MaskedToken>(17).fill(null));
    expect(all.logCompletions).toBeCloseTo(8 * Math.log(120), 9);
    for (const dist of all.marginals.values()) {
      expect(dist.size).toBe(120);
      for (const p of dist.values()) expect(p).toBeCloseTo(1 / 120, 12);
    }
    // Given the input, trace and answer are determined; given p3 and p4, g4 = p3^{-1}·p4 is.
    const input = ['21345', '13245', '12435', '12354', '23451', '34512', '45123', '51234'];
    const sol = s5.solve(8, input);
    const given = d.marginals([...input, ...new Array<MaskedToken>(9).fill(null)]);
    sol.trace.forEach((p, i) => expect(given.get(8 + i)).toEqual(new Map([[p, 1]])));
    expect(given.get(16)).toEqual(new Map([[sol.answer, 1]]));
    const state = new Array<MaskedToken>(17).fill(null);
    state[8 + 2] = sol.trace[2]!;
    state[8 + 3] = sol.trace[3]!;
    expect(d.marginals(state).get(3)).toEqual(new Map([[input[3]!, 1]]));
    expect(d.marginals(state).get(2)!.size).toBe(120);
  });
});
