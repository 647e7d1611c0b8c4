/**
 * The NC1 families: random balanced formulas, Barrington's branching programs
 * (formula → program → circuit) and the S_k / A_k word problem, each against
 * its reference, with their closed-form shapes checked by analyzeStructure.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import type { Circuit } from '../Circuit.js';
import { BitslicedEvaluator } from '../bitslice/BitslicedEvaluator.js';
import { evaluate } from '../evaluate.js';
import { allPermutations, compose, identity, isIdentity, equal, formatPermutation, randomPermutation, sign, type Permutation } from '../groups/permutation.js';
import { alternatingGroup } from '../groups/group.js';
import { analyzeStructure } from '../structure.js';
import { ALPHA, BETA, barringtonFamily, commutator, compileBarrington, conjugate, evaluateProgram, isFullCycle, programToCircuit, relabelling, SIGMA } from './barrington.js';
import { evaluateFormula, type Formula, formulaDepth, formulaFamily, formulaToCircuit, randomBalancedFormula } from './formula.js';
import { a5Family, bitsToPermutation, encodePermutationWord, permutationToBits, s5Family, wordProblemFamily, wordProblemReference } from './wordProblem.js';

const ALL = new Map<number, boolean[][]>();
/** All 2^n assignments of n bits, x_i = bit i of the index (cached). */
function assignments(n: number): boolean[][] {
  let xs = ALL.get(n);
  if (xs === undefined) {
    xs = Array.from({ length: 2 ** n }, (_, v) => Array.from({ length: n }, (_, i) => ((v >> i) & 1) === 1));
    ALL.set(n, xs);
  }
  return xs;
}
const run = (c: Circuit, x: readonly boolean[]) => Array.from(evaluate(c, x), Boolean);
/** Assignments of n bits (all 2^n, bit-sliced) on which the circuit's outputs differ from `want`. */
function mismatches(c: Circuit, n: number, want: (x: readonly boolean[]) => boolean[]): number {
  const xs = assignments(n);
  const got = BitslicedEvaluator.compile(c).evaluateVectors(xs);
  return xs.filter((x, v) => {
    const w = want(x);
    const g = got[v]!;
    return g.length !== w.length || w.some((b, i) => (g[i] === 1) !== b);
  }).length;
}
const SEEDS = [0, 1, 2, 7, 42, 1234];

describe('random balanced formulas', () => {
  it('is complete, read-once over x0..x(2^d − 1), and deterministic in the seed', () => {
    for (let d = 0; d <= 6; d++) {
      const f = randomBalancedFormula({ depth: d, seed: 3 });
      const leaves: number[] = [];
      const walk = (g: Formula): void => {
        if (g.op === 'var') leaves.push(g.index);
        else if (g.op === 'not') walk(g.arg);
        else (walk(g.left), walk(g.right));
      };
      walk(f);
      expect(leaves).toEqual(Array.from({ length: 2 ** d }, (_, i) => i));
      expect(formulaDepth(f)).toBe(d);
      expect(randomBalancedFormula({ depth: d, seed: 3 })).toEqual(f);
    }
    const kinds = (seed: number) => JSON.stringify(randomBalancedFormula({ depth: 4, seed }));
    expect(new Set(SEEDS.map(kinds)).size).toBe(SEEDS.length);
  });

  it('formulaToCircuit agrees with evaluateFormula on every assignment (d ≤ 4) and is a formula', () => {
    for (let d = 0; d <= 4; d++) {
      for (const seed of d < 4 ? SEEDS : SEEDS.slice(0, 2)) {
        const f = randomBalancedFormula({ depth: d, seed });
        const c = formulaToCircuit(f);
        expect(mismatches(c, 2 ** d, (x) => [evaluateFormula(f, x)])).toBe(0);
        const s = analyzeStructure(c);
        expect(s.isFormula).toBe(true);
        expect(s.boundedFanIn || s.size === 0).toBe(true);
      }
    }
  });

  it('handles NOT over variables and double negations, counting them in the depth', () => {
    const f: Formula = { op: 'or', left: { op: 'not', arg: { op: 'var', index: 0 } }, right: { op: 'not', arg: { op: 'not', arg: { op: 'var', index: 2 } } } };
    const c = formulaToCircuit(f);
    expect(c.inputs.length).toBe(3);
    expect(analyzeStructure(c).depth).toBe(formulaDepth(f));
    expect(formulaDepth(f)).toBe(3);
    for (const x of assignments(3)) expect(run(c, x)).toEqual([evaluateFormula(f, x)]);
  });

  it('family shape: depth d, size 2^d − 1, exact', () => {
    for (const n of [1, 2, 3, 5, 8, 64, 100]) {
      const p = formulaFamily.params(n);
      const s = analyzeStructure(formulaFamily.build(p));
      expect({ depth: s.depth, size: s.size, exact: true }).toEqual(formulaFamily.shape(p));
      expect(2 ** p.depth).toBeGreaterThanOrEqual(n);
    }
  });
});

describe('Barrington', () => {
  it('fixed permutations: α, β and their commutator are 5-cycles; relabelling conjugates one cycle into another', () => {
    expect(formatPermutation(SIGMA)).toBe('23451');
    for (const p of [SIGMA, ALPHA, BETA, commutator(ALPHA, BETA)]) expect(isFullCycle(p)).toBe(true);
    expect(formatPermutation(commutator(ALPHA, BETA))).toBe('54213');
    const cycles = allPermutations(5).filter(isFullCycle);
    expect(cycles.length).toBe(24);
    for (const a of cycles) for (const b of cycles) expect(equal(conjugate(a, relabelling(a, b)), b)).toBe(true);
    expect(isFullCycle(identity(5))).toBe(false);
  });

  it('the program multiplies to σ iff the formula is true, identity otherwise; length 4^d; instructions in S5', () => {
    const lengths: number[] = [];
    for (let d = 0; d <= 3; d++) {
      for (const seed of SEEDS) {
        const f = randomBalancedFormula({ depth: d, seed });
        const program = compileBarrington(f);
        expect(program.length).toBeLessThanOrEqual(4 ** d);
        expect(program.length).toBe(4 ** d);
        if (seed === 0) lengths.push(program.length);
        for (const ins of program) {
          for (const p of [ins.ifZero, ins.ifOne]) expect(new Set(p).size === 5 && p.length === 5 && Math.max(...p) === 4).toBe(true);
          expect(equal(ins.ifZero, ins.ifOne)).toBe(false);
          expect(ins.variable).toBeLessThan(2 ** d);
        }
        for (const x of assignments(2 ** d)) {
          const product = evaluateProgram(program, x);
          if (evaluateFormula(f, x)) expect(formatPermutation(product)).toBe('23451');
          else expect(isIdentity(product)).toBe(true);
        }
      }
    }
    expect(lengths).toEqual([1, 4, 16, 64]);
  });

  it('compiles NOT over variables, double negation and repeated variables', () => {
    const x = (index: number): Formula => ({ op: 'var', index });
    const f: Formula = { op: 'and', left: { op: 'not', arg: x(1) }, right: { op: 'or', left: x(0), right: { op: 'not', arg: { op: 'not', arg: x(1) } } } };
    const program = compileBarrington(f);
    expect(program.length).toBeLessThanOrEqual(4 ** 2);
    for (const bits of assignments(2)) {
      const product = evaluateProgram(program, bits);
      expect(evaluateFormula(f, bits) ? equal(product, SIGMA) : isIdentity(product)).toBe(true);
      expect(run(programToCircuit(program, 2), bits)).toEqual([evaluateFormula(f, bits)]);
    }
  });

  it('programToCircuit agrees with the formula on every assignment (d ≤ 3)', () => {
    for (let d = 0; d <= 3; d++) {
      for (const seed of SEEDS.slice(0, 4)) {
        const p = { depth: d, seed };
        const f = randomBalancedFormula(p);
        const c = barringtonFamily.build(p);
        const s = analyzeStructure(c);
        expect(s.boundedFanIn).toBe(true);
        expect(s.basis).toBe('AC0');
        expect({ depth: s.depth, size: s.size, exact: true }).toEqual(barringtonFamily.shape(p));
        expect(mismatches(c, 2 ** d, (x) => [evaluateFormula(f, x)])).toBe(0);
        for (const x of assignments(2 ** d)) expect(barringtonFamily.reference(p, x)).toEqual([evaluateFormula(f, x)]);
      }
    }
  });

  it('family scale: params(n) compiles a depth-⌈log4 n⌉ formula, 4^d ≥ n instructions', () => {
    const depths = [1, 2, 4, 5, 16, 17, 50, 64].map((n) => {
      const { depth } = barringtonFamily.params(n);
      expect(4 ** depth).toBeGreaterThanOrEqual(n);
      expect(depth === 0 || 4 ** (depth - 1) < n).toBe(true);
      return depth;
    });
    expect(depths).toEqual([0, 1, 1, 2, 2, 3, 3, 3]);
  });

  it('an empty program is the identity and never accepts', () => {
    expect(isIdentity(evaluateProgram([], []))).toBe(true);
    const c = programToCircuit([], 1);
    expect(run(c, [true])).toEqual([false]);
  });
});

describe('word problem', () => {
  const randomPerms = (rng: ReturnType<typeof xoroshiro128plus>, n: number, k: number, even: boolean): Permutation[] =>
    Array.from({ length: n }, () => (even ? alternatingGroup(k).random(rng) : randomPermutation(k, rng)));

  it('one-hot encoding round-trips and rejects non-permutations', () => {
    const rng = xoroshiro128plus(9);
    for (let t = 0; t < 20; t++) {
      const p = randomPermutation(5, rng);
      expect(formatPermutation(bitsToPermutation(permutationToBits(p), 5)!)).toBe(formatPermutation(p));
    }
    const bad = permutationToBits(identity(3));
    bad[1] = true;
    expect(bitsToPermutation(bad, 3)).toBeUndefined();
    expect(bitsToPermutation(Array<boolean>(9).fill(false), 3)).toBeUndefined();
  });

  it('matches the composed permutations on random valid inputs (n = 1..16, k = 3..5)', () => {
    const rng = xoroshiro128plus(11);
    for (let k = 3; k <= 5; k++) {
      const family = wordProblemFamily('S', k);
      for (let n = 1; n <= 16; n++) {
        const c = family.build({ n });
        for (let t = 0; t < 8; t++) {
          const perms = randomPerms(rng, n, k, false);
          const x = encodePermutationWord(perms);
          const want = permutationToBits(perms.reduce((a, b) => compose(a, b), identity(k)));
          expect(family.reference({ n }, x)).toEqual(want);
          expect(run(c, x)).toEqual(want);
        }
      }
    }
  });

  it('matches the Boolean matrix product on arbitrary bits', () => {
    const rng = xoroshiro128plus(12);
    for (const n of [1, 2, 3, 7]) {
      const c = s5Family.build({ n });
      for (let t = 0; t < 30; t++) {
        const x = Array.from({ length: 25 * n }, () => uniformInt(rng, 0, 3) === 0);
        expect(run(c, x)).toEqual(wordProblemReference(n, 5, x));
      }
    }
  });

  it('A5: products of even permutations stay even, through the circuit', () => {
    const rng = xoroshiro128plus(13);
    for (const n of [1, 2, 5, 16]) {
      const c = a5Family.build({ n });
      for (let t = 0; t < 20; t++) {
        const perms = randomPerms(rng, n, 5, true);
        expect(perms.every((p) => sign(p) === 1)).toBe(true);
        const out = bitsToPermutation(run(c, encodePermutationWord(perms)), 5);
        expect(out).toBeDefined();
        expect(sign(out!)).toBe(1);
      }
    }
    expect(a5Family.summary).toContain('even');
    expect(a5Family.name).toBe('a5');
    expect(s5Family.name).toBe('s5');
  });

  it('depth and size equal their closed forms and depth grows like log2 n', () => {
    for (const k of [1, 2, 3, 5]) {
      const family = wordProblemFamily(k === 2 ? 'A' : 'S', k);
      for (const n of [1, 2, 3, 4, 5, 8, 9, 16, 33]) {
        const s = analyzeStructure(family.build({ n }));
        expect({ depth: s.depth, size: s.size, exact: true }).toEqual(family.shape({ n }));
        expect(s.boundedFanIn || s.size === 0).toBe(true);
      }
    }
    const depth = (n: number) => analyzeStructure(s5Family.build({ n })).depth;
    expect(depth(16) - depth(8)).toBe(depth(8) - depth(4));
    expect([depth(4), depth(8), depth(16)]).toEqual([8, 12, 16]);
  });
});
