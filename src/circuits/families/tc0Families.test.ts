/**
 * The TC0 families — threshold, mod-count, comparison, addition (carry
 * lookahead), iterated addition — against their references: exhaustively for
 * every parameter choice with at most 14 input bits, on random inputs
 * (fast-check) at the listed sizes, their closed-form shapes against
 * analyzeStructure, constant depth over their sizes, and the fact iterated
 * addition rests on: a THR gate counts a repeated input once per occurrence,
 * in `evaluate` and in both BitslicedEvaluator backends.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BitslicedEvaluator } from '../bitslice/BitslicedEvaluator.js';
import { laneBit, packVectors } from '../bitslice/lanes.js';
import type { Circuit } from '../Circuit.js';
import { CircuitBuilder } from '../CircuitBuilder.js';
import { evaluate } from '../evaluate.js';
import { analyzeStructure } from '../structure.js';
import { additionFamily } from './carryLookaheadAdder.js';
import type { CircuitFamily } from './CircuitFamily.js';
import { comparisonFamily } from './comparison.js';
import { iteratedAdditionFamily } from './iteratedAddition.js';
import { modCountFamily } from './modCount.js';
import { thresholdFamily } from './threshold.js';

/** As the registry holds them: each family must fit the plain CircuitFamily type. */
const AS_REGISTERED: readonly CircuitFamily[] = [thresholdFamily, modCountFamily, comparisonFamily, additionFamily, iteratedAdditionFamily];

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const bitsOf = (v: number, width: number) => Array.from({ length: width }, (_, i) => ((v >> i) & 1) === 1);
const inputsByWidth = new Map<number, boolean[][]>();
/** All 2^width input vectors, vector v holding the bits of v (shared between tests, never mutated). */
function allInputs(width: number): readonly boolean[][] {
  let all = inputsByWidth.get(width);
  if (all === undefined) inputsByWidth.set(width, (all = range(0, 2 ** width - 1).map((v) => bitsOf(v, width))));
  return all;
}
const lanesByWidth = new Map<number, Uint32Array[]>();
/** The same vectors as input lanes for the bit-sliced evaluator. */
function inputLanes(width: number): Uint32Array[] {
  let lanes = lanesByWidth.get(width);
  if (lanes === undefined) lanesByWidth.set(width, (lanes = packVectors(allInputs(width), width)));
  return lanes;
}
const run = (c: Circuit, x: readonly boolean[]) => Array.from(evaluate(c, x), Boolean);

/** A family with the parameter choices it is checked at (`exhaustive`: all of them ≤ 14 input bits). */
interface Case<P> {
  readonly family: CircuitFamily<P>;
  readonly exhaustive: readonly P[];
  readonly random: readonly P[];
  readonly shapes: readonly P[];
}

const defaults = <P>(family: CircuitFamily<P>, ns: readonly number[]) => ns.map((n) => family.params(n));

const CASES = [
  {
    family: thresholdFamily,
    exhaustive: range(1, 14).flatMap((n) => range(1, n).map((k) => ({ n, k }))),
    random: [...defaults(thresholdFamily, thresholdFamily.sizes), { n: 64, k: 1 }, { n: 64, k: 32 }, { n: 64, k: 64 }],
    shapes: range(1, 20).flatMap((n) => range(1, n).map((k) => ({ n, k }))),
  } satisfies Case<{ n: number; k: number }>,
  {
    family: modCountFamily,
    exhaustive: [...range(1, 9), 16].flatMap((m) => range(1, 14).map((n) => ({ n, m }))),
    random: [...defaults(modCountFamily, modCountFamily.sizes), { n: 64, m: 2 }, { n: 64, m: 5 }, { n: 64, m: 8 }, { n: 40, m: 41 }],
    shapes: [...range(1, 10), 16, 64].flatMap((m) => range(1, 40).map((n) => ({ n, m }))),
  } satisfies Case<{ n: number; m: number }>,
  {
    family: comparisonFamily,
    exhaustive: defaults(comparisonFamily, range(1, 7)),
    random: defaults(comparisonFamily, comparisonFamily.sizes),
    shapes: defaults(comparisonFamily, range(1, 40)),
  } satisfies Case<{ n: number }>,
  {
    family: additionFamily,
    exhaustive: defaults(additionFamily, range(1, 7)),
    random: defaults(additionFamily, additionFamily.sizes),
    shapes: defaults(additionFamily, range(1, 40)),
  } satisfies Case<{ n: number }>,
  {
    family: iteratedAdditionFamily,
    // n·b ≤ 14 input bits; b ≤ 5 keeps S_max (the THR fan-in) small enough to enumerate.
    exhaustive: range(1, 5).flatMap((b) => range(1, Math.floor(14 / b)).map((n) => ({ n, b }))),
    random: [...defaults(iteratedAdditionFamily, iteratedAdditionFamily.sizes), { n: 17, b: 4 }, { n: 20, b: 1 }, { n: 6, b: 6 }],
    shapes: [...range(1, 5).flatMap((b) => range(1, 12).map((n) => ({ n, b }))), ...defaults(iteratedAdditionFamily, iteratedAdditionFamily.sizes)],
  } satisfies Case<{ n: number; b: number }>,
] as const;

describe.each(CASES.map((c) => [c.family.name, c as Case<unknown>] as const))('family %s', (_name, { family, exhaustive, random, shapes }) => {
  it('fits the registry, with a unique name and 3–6 sizes', () => {
    expect(AS_REGISTERED.filter((f) => f.name === family.name)).toHaveLength(1);
    expect(family.sizes.length).toBeGreaterThanOrEqual(3);
    expect(family.sizes.length).toBeLessThanOrEqual(6);
  });

  it('matches its reference on every input (scalar evaluate), default parameters, ≤ 12 input bits', () => {
    for (let n = 1; n <= 14; n++) {
      const p = family.params(n);
      const c = family.build(p);
      if (c.inputs.length > 12) continue;
      allInputs(c.inputs.length).forEach((x, v) => {
        const got = run(c, x);
        const want = family.reference(p, x);
        if (got.length !== want.length || got.some((g, i) => g !== want[i])) expect({ params: p, input: v, got }).toEqual({ params: p, input: v, got: want });
      });
    }
  });

  it('matches its reference on every input (bit-sliced), every parameter choice with ≤ 14 input bits', () => {
    for (const p of exhaustive) {
      const c = family.build(p);
      expect(c.inputs.length).toBeLessThanOrEqual(14);
      const inputs = allInputs(c.inputs.length);
      const lanes = BitslicedEvaluator.compile(c, { backend: 'js' }).run(inputLanes(c.inputs.length), inputs.length);
      inputs.forEach((x, v) => {
        const want = family.reference(p, x);
        if (want.length !== lanes.length || lanes.some((lane, o) => (laneBit(lane, v) === 1) !== want[o])) {
          expect({ params: p, input: v, got: lanes.map((lane) => laneBit(lane, v) === 1) }).toEqual({ params: p, input: v, got: want });
        }
      });
    }
  });

  it('matches its reference on random inputs at its sizes', () => {
    const built = random.map((p) => [p, family.build(p)] as const);
    fc.assert(
      fc.property(fc.constantFrom(...built), fc.infiniteStream(fc.boolean()), ([p, c], stream) => {
        const x = [...stream.take(c.inputs.length)];
        expect(run(c, x)).toEqual(family.reference(p, x));
      }),
      { numRuns: 100 },
    );
  });

  it('has exactly the depth and size of its closed form', () => {
    for (const p of shapes) {
      const s = analyzeStructure(family.build(p));
      expect({ params: p, depth: s.depth, size: s.size }).toEqual({ params: p, ...family.shape(p), exact: undefined });
      expect(family.shape(p).exact).toBe(true);
    }
  });

  it('has the same depth at every size (constant depth)', () => {
    const depths = family.sizes.map((n) => analyzeStructure(family.build(family.params(n))).depth);
    expect(new Set(depths).size).toBe(1);
    expect(depths[0]).toBeLessThanOrEqual(4);
  });
});

describe('constant depth across parameters', () => {
  it('mod-count has depth 4 for every n ≥ 2 and m ≥ 2', () => {
    for (const m of [2, 3, 5, 8, 13]) for (const n of [2, 3, 7, 30, 100]) expect(analyzeStructure(modCountFamily.build({ n, m })).depth).toBe(4);
  });

  it('addition has depth 4 for every n ≥ 3', () => {
    for (const n of [3, 5, 17, 70]) expect(analyzeStructure(additionFamily.build({ n })).depth).toBe(4);
  });

  it('iterated addition has depth 4 whenever n(2^b − 1) ≥ 2', () => {
    for (const b of [1, 2, 3, 5]) for (const n of [2, 3, 9, 24]) expect(analyzeStructure(iteratedAdditionFamily.build({ n, b })).depth).toBe(4);
  });
});

describe('THR with repeated inputs counts every occurrence', () => {
  // y_k = THR_k(x0, x0, x0, x1, x1, x2) = [3·x0 + 2·x1 + x2 ≥ k], k = 1 … 6.
  const b = new CircuitBuilder('weighted-threshold');
  const [x0, x1, x2] = b.inputs('x', 3);
  const listed = [x0!, x0!, x0!, x1!, x1!, x2!];
  for (let k = 1; k <= 6; k++) b.output(`y${k}`, b.threshold(k, listed));
  const circuit = b.build();
  const vectors = range(0, 7).map((v) => bitsOf(v, 3));
  const expected = vectors.map(([a, c, d]) => range(1, 6).map((k) => 3 * Number(a) + 2 * Number(c) + Number(d) >= k));

  it('in evaluate', () => {
    expect(vectors.map((x) => run(circuit, x))).toEqual(expected);
  });

  it.each(['js', 'wasm-simd'] as const)('in BitslicedEvaluator, backend %s', (backend) => {
    const ev = BitslicedEvaluator.compile(circuit, { backend });
    expect(ev.backend).toBe(backend);
    expect(ev.evaluateVectors(vectors).map((out) => Array.from(out, Boolean))).toEqual(expected);
  });

  it.each(['js', 'wasm-simd'] as const)('so bit-sliced iterated addition matches its reference, backend %s', (backend) => {
    for (const p of [{ n: 3, b: 3 }, { n: 2, b: 5 }, { n: 12, b: 1 }]) {
      const c = iteratedAdditionFamily.build(p);
      const all = allInputs(c.inputs.length);
      const got = BitslicedEvaluator.compile(c, { backend }).evaluateVectors(all).map((out) => Array.from(out, Boolean));
      expect(got).toEqual(all.map((x) => iteratedAdditionFamily.reference(p, x)));
    }
  });
});
