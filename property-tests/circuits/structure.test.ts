/**
 * Structure and composition properties: depth and size of composed circuits
 * obey their bounds, structural statistics agree with independent
 * recomputations, and composition computes the composed function.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Circuit } from '../../src/circuits/Circuit.js';
import { compose, parallel } from '../../src/circuits/compose.js';
import { evaluate } from '../../src/circuits/evaluate.js';
import { analyzeStructure } from '../../src/circuits/structure.js';
import { circuitArb, circuitDescriptionArb } from './arbitraries.js';
import { Circuit as CircuitClass } from '../../src/circuits/Circuit.js';

const RUNS = { numRuns: 300 };

/** Independent depth: memoised longest path, walking back from each output by name. */
function depthByRecursion(c: Circuit): number {
  const desc = c.toDescription();
  const byName = new Map(desc.nodes.map((n) => [n.name, n]));
  const memo = new Map<string, number>();
  const depthOf = (name: string): number => {
    const cached = memo.get(name);
    if (cached !== undefined) return cached;
    const node = byName.get(name);
    const d = node === undefined || node.type === 'const' ? 0 : 1 + Math.max(...node.inputs.map(depthOf));
    memo.set(name, d);
    return d;
  };
  return Math.max(0, ...desc.outputs.map((o) => depthOf(o.node)));
}

const bits = (v: number, n: number) => Array.from({ length: n }, (_, i) => (v >> i) & 1);

/** A pair (inner, outer) with outer's input count equal to inner's output count. */
const composableArb = circuitArb({ maxInputs: 5 }).chain((inner) =>
  circuitDescriptionArb({ maxInputs: 1 }).map((d) => {
    const k = inner.outputs.length;
    const inputs = Array.from({ length: k }, (_, i) => `y${i}`);
    // Re-point the outer description's single input x0 at y0 and let its gates also read the others.
    const nodes = d.nodes.map((n, j) => (n.type === 'gate' ? { ...n, inputs: n.inputs.map((r) => (r === 'x0' ? inputs[j % k]! : r)) } : n));
    const outputs = d.outputs.map((o) => (o.node === 'x0' ? { ...o, node: inputs[0]! } : o));
    return { inner, outer: CircuitClass.fromDescription({ inputs, nodes, outputs }) };
  }),
);

describe('structure', () => {
  it('depth agrees with an independent longest-path computation', () => {
    fc.assert(fc.property(circuitArb(), (c) => {
      expect(analyzeStructure(c).depth).toBe(depthByRecursion(c));
    }), RUNS);
  });

  it('size, wires, gate counts and formula-ness agree with their definitions', () => {
    fc.assert(fc.property(circuitArb(), (c) => {
      const s = analyzeStructure(c);
      const desc = c.toDescription();
      const gates = desc.nodes.filter((n) => n.type === 'gate');
      expect(s.size).toBe(gates.length);
      expect(s.wires).toBe(gates.reduce((w, g) => w + g.inputs.length, 0));
      expect(Object.values(s.gateCounts).reduce((a, b) => a + b, 0)).toBe(gates.length);
      const feeds = new Map<string, number>();
      for (const g of gates) for (const r of g.inputs) feeds.set(r, (feeds.get(r) ?? 0) + 1);
      for (const o of desc.outputs) feeds.set(o.node, (feeds.get(o.node) ?? 0) + 1);
      expect(s.isFormula).toBe(gates.every((g) => (feeds.get(g.name) ?? 0) <= 1));
      expect(s.boundedFanIn).toBe(gates.every((g) => g.inputs.length <= 2));
    }), RUNS);
  });
});

describe('composition', () => {
  it('outer ∘ inner computes outer(inner(x)), with size and depth within their bounds', () => {
    fc.assert(fc.property(composableArb, ({ inner, outer }) => {
      const c = compose(outer, inner);
      const [si, so, sc] = [analyzeStructure(inner), analyzeStructure(outer), analyzeStructure(c)];
      expect(sc.size).toBe(si.size + so.size);
      expect(sc.depth).toBeLessThanOrEqual(si.depth + so.depth);
      expect(sc.depth).toBeGreaterThanOrEqual(so.depth);
      const n = inner.inputs.length;
      for (let v = 0; v < 2 ** n; v++) {
        const x = bits(v, n);
        expect(Array.from(evaluate(c, x))).toEqual(Array.from(evaluate(outer, Array.from(evaluate(inner, x)))));
      }
    }), RUNS);
  });

  it('a ‖ b adds sizes, takes the larger depth, and computes both', () => {
    fc.assert(fc.property(circuitArb({ maxInputs: 3 }), circuitArb({ maxInputs: 3 }), (a, b) => {
      const c = parallel(a, b);
      const [sa, sb, sc] = [analyzeStructure(a), analyzeStructure(b), analyzeStructure(c)];
      expect(sc.size).toBe(sa.size + sb.size);
      expect(sc.depth).toBe(Math.max(sa.depth, sb.depth));
      const [na, nb] = [a.inputs.length, b.inputs.length];
      for (let v = 0; v < 2 ** (na + nb); v++) {
        const x = bits(v, na + nb);
        expect(Array.from(evaluate(c, x))).toEqual([...evaluate(a, x.slice(0, na)), ...evaluate(b, x.slice(na))]);
      }
    }), RUNS);
  });
});
