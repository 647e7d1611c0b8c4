import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateNodes } from '../evaluate.js';
import { analyzeStructure } from '../structure.js';
import type { CircuitFamily } from './CircuitFamily.js';
import { circuitValueFamily, evaluateInstance, instanceToCircuit, randomLayeredInstance, type CircuitValueParams } from './circuitValue.js';
import { edgeIndex, reachabilityFamily, reachabilitySquaringFamily, type ReachabilityParams } from './reachability.js';

const bitsOf = (v: number, width: number) => Array.from({ length: width }, (_, i) => ((v >> i) & 1) === 1);

function expectAgrees<P>(family: CircuitFamily<P>, p: P, inputs: Iterable<boolean[]>): void {
  const c = family.build(p);
  const wrong: boolean[][] = [];
  for (const x of inputs) {
    const got = evaluate(c, x);
    const want = family.reference(p, x);
    if (got.length !== want.length || want.some((w, i) => w !== (got[i] === 1))) wrong.push(x);
  }
  expect({ p, wrong: wrong.slice(0, 3) }).toEqual({ p, wrong: [] });
}

function* allInputs(width: number): Generator<boolean[]> {
  for (let v = 0; v < 2 ** width; v++) yield bitsOf(v, width);
}

function expectShape<P>(family: CircuitFamily<P>, grid: readonly P[]): void {
  for (const p of grid) {
    const s = analyzeStructure(family.build(p));
    const shape = family.shape(p);
    expect(shape.exact).toBe(true);
    expect({ p, depth: s.depth, size: s.size }).toEqual({ p, depth: shape.depth, size: shape.size });
    expect(s.boundedFanIn).toBe(true);
  }
}

const grid = <A, B>(as: readonly A[], bs: readonly B[]): [A, B][] => as.flatMap((a) => bs.map((b): [A, B] => [a, b]));
const depthOf = <P>(family: CircuitFamily<P>, p: P) => analyzeStructure(family.build(p)).depth;

describe('cvp family', () => {
  it('matches the instance evaluation exhaustively on small instances', () => {
    for (const [depth, width] of [...grid([1, 2, 3, 4, 6], [2, 3, 4, 5]), ...grid([1, 5, 12], [8])]) {
      for (const seed of [0, 1, 7]) expectAgrees(circuitValueFamily, { depth, width, seed }, allInputs(width));
    }
    expectAgrees(circuitValueFamily, { depth: 10, width: 14, seed: 3 }, allInputs(14));
  });

  it('agrees with the circuit on every gate, layer by layer, on random instances', () => {
    const params = fc.record({ depth: fc.integer({ min: 1, max: 40 }), width: fc.integer({ min: 2, max: 24 }), seed: fc.integer() });
    fc.assert(fc.property(params, fc.infiniteStream(fc.boolean()), (p: CircuitValueParams, stream) => {
      const inst = randomLayeredInstance(p);
      const c = instanceToCircuit(inst);
      const x = [...stream.take(p.width)];
      const nodes = evaluateNodes(c, x);
      const ids = new Map(c.nodes.map((n, id) => [n.name, id]));
      const layers = evaluateInstance(inst, x);
      expect(layers).toHaveLength(p.depth + 1);
      expect(layers[0]).toEqual(x);
      layers.slice(1).forEach((layer, k) => layer.forEach((v, j) => expect(nodes[ids.get(`g${k + 1}_${j}`)!] === 1).toBe(v)));
      expect(Array.from(evaluate(circuitValueFamily.build(p), x), Boolean)).toEqual(circuitValueFamily.reference(p, x));
    }), { numRuns: 100 });
  });

  it('draws two distinct inputs per gate from the layer below', () => {
    for (const layer of randomLayeredInstance({ depth: 50, width: 3, seed: 5 }).layers) {
      for (const { a, b } of layer) expect(a !== b && a >= 0 && b >= 0 && a < 3 && b < 3).toBe(true);
    }
  });

  it('has depth d and size d·w exactly, and depth linear in d', () => {
    expectShape(circuitValueFamily, grid([1, 2, 3, 5, 8, 13, 32], [2, 3, 4, 8]).flatMap(([depth, width]) => [0, 1].map((seed) => ({ depth, width, seed }))));
    for (const n of [1, 3, 8, 20]) expect(depthOf(circuitValueFamily, circuitValueFamily.params(2 * n))).toBe(2 * depthOf(circuitValueFamily, circuitValueFamily.params(n)));
  });

  it('is reproducible from its seed, and different seeds give different instances', () => {
    const p = { depth: 6, width: 8, seed: 42 };
    expect(circuitValueFamily.build(p).toDescription()).toEqual(circuitValueFamily.build({ ...p }).toDescription());
    expect(randomLayeredInstance(p)).toEqual(randomLayeredInstance(p));
    const seen = new Set(Array.from({ length: 20 }, (_, seed) => JSON.stringify(randomLayeredInstance({ ...p, seed }))));
    expect(seen.size).toBe(20);
    const outputKinds = (residue: number) => new Set(Array.from({ length: 16 }, (_, k) => randomLayeredInstance({ ...p, seed: 4 * k + residue }).layers[0]![0]!.gate));
    for (const residue of [0, 1, 2, 3]) expect(outputKinds(residue).size).toBeGreaterThan(1);
    expect(randomLayeredInstance({ ...p, seed: 2 ** 40 })).not.toEqual(randomLayeredInstance({ ...p, seed: 0 }));
    const nodes = (seed: number) => circuitValueFamily.build({ ...p, seed }).toDescription().nodes;
    expect(nodes(1)).not.toEqual(nodes(2));
  });

  it('rejects a width below 2 and instances that read outside the layer below', () => {
    expect(() => randomLayeredInstance({ depth: 3, width: 1, seed: 0 })).toThrow(/width/);
    expect(() => randomLayeredInstance({ depth: 0, width: 4, seed: 0 })).toThrow(/depth/);
    expect(() => instanceToCircuit({ inputs: 2, layers: [[{ gate: 'AND', a: 0, b: 2 }]] })).toThrow(/layer 1/);
    expect(() => evaluateInstance({ inputs: 2, layers: [] }, [true, false])).toThrow(/layer/);
  });
});

/** Edge bits from a density: a bit is set when its draw (0…99) is below `percent`. */
const edgeBits = (p: ReachabilityParams, percent: number, draws: fc.Stream<number>) => [...draws.take(p.layers * p.width * p.width)].map((d) => d < percent);

describe.each([
  ['reachability', reachabilityFamily],
  ['reachability-squaring', reachabilitySquaringFamily],
] as const)('%s family', (_name, family) => {
  it('matches the graph search exhaustively when L·w² ≤ 14', () => {
    for (const [layers, width] of [...grid([1, 2, 3, 5, 8, 14], [1]), ...grid([1], [2, 3]), [2, 2], [3, 2]] as const) {
      expectAgrees(family, { layers, width }, allInputs(layers * width * width));
    }
  });

  it('matches the graph search on random graphs of varying density', () => {
    const outcomes = new Set<boolean>();
    const params = fc.record({ layers: fc.integer({ min: 1, max: 24 }), width: fc.integer({ min: 1, max: 6 }) });
    fc.assert(fc.property(params, fc.integer({ min: 5, max: 60 }), fc.infiniteStream(fc.integer({ min: 0, max: 99 })), (p, percent, draws) => {
      const x = edgeBits(p, percent, draws);
      const [want] = family.reference(p, x);
      outcomes.add(want!);
      expect(Array.from(evaluate(family.build(p), x), Boolean)).toEqual([want]);
    }), { numRuns: 100, seed: 1 });
    expect(outcomes).toEqual(new Set([true, false]));
  });

  it('follows a path to the target and only to the target', () => {
    const p = { layers: 6, width: 5 };
    const path = [0, 3, 1, 4, 2, 2, 0];
    const x = new Array<boolean>(6 * 25).fill(false);
    path.slice(1).forEach((j, l) => { x[edgeIndex(5, l, path[l]!, j)] = true; });
    const c = family.build(p);
    expect(Array.from(evaluate(c, x), Boolean)).toEqual([true]);
    x[edgeIndex(5, 5, 2, 0)] = false;
    x[edgeIndex(5, 5, 2, 1)] = true;
    expect(Array.from(evaluate(c, x), Boolean)).toEqual([false]);
    expect(family.reference(p, x)).toEqual([false]);
  });

  it('has the depth and size its closed form states', () => {
    expectShape(family, grid([1, 2, 3, 5, 8, 16, 33], [1, 2, 3, 4, 5, 7]).map(([layers, width]) => ({ layers, width })));
  });
});

describe('reachability depth growth', () => {
  it('is linear in L layer by layer and logarithmic by matrix products', () => {
    for (const width of [1, 2, 4, 5]) {
      for (const layers of [1, 3, 8, 20]) {
        expect(depthOf(reachabilityFamily, { layers: 2 * layers, width })).toBe(2 * depthOf(reachabilityFamily, { layers, width }));
      }
      for (const layers of [2, 4, 8, 16]) {
        const step = 1 + Math.ceil(Math.log2(width));
        expect(depthOf(reachabilitySquaringFamily, { layers: 2 * layers, width })).toBe(depthOf(reachabilitySquaringFamily, { layers, width }) + step);
      }
    }
  });

  it('builds the source row from constant nodes, one and zero, not folded away', () => {
    const s = analyzeStructure(reachabilityFamily.build({ layers: 1, width: 3 }));
    expect(s.constants).toBe(2);
    expect(s.size).toBe(3 * 5);
    expect(() => reachabilityFamily.build({ layers: 0, width: 3 })).toThrow(/layers/);
  });
});
