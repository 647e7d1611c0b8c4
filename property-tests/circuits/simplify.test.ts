/**
 * Properties of the simplification passes on random circuits over the whole
 * gate basis: every pass and `simplify` compute the same function (checked
 * over the full truth table), never grow size or depth, keep the signature
 * (input and output names, in order), and are idempotent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Circuit } from '../../src/circuits/Circuit.js';
import { evaluate } from '../../src/circuits/evaluate.js';
import { propagateConstants, removeDeadGates, removeDoubleNegations, simplify } from '../../src/circuits/simplify.js';
import { circuitArb } from './arbitraries.js';

const NUM_RUNS = 300;

/** Every output on every input vector; the arbitrary keeps inputs at 6 or fewer. */
function truthTable(c: Circuit): string[] {
  const n = c.inputs.length;
  return Array.from({ length: 2 ** n }, (_, v) => evaluate(c, Array.from({ length: n }, (_, i) => (v >> i) & 1)).join(''));
}

/** Longest path, counted in gates, from an input or constant to an output. */
function depth(c: Circuit): number {
  const d: number[] = [];
  c.nodes.forEach((n, id) => {
    d[id] = n.type === 'gate' ? 1 + Math.max(...n.inputs.map((i) => d[i]!)) : 0;
  });
  return Math.max(...c.outputs.map((o) => d[o.node]!));
}

const signature = (c: Circuit) => ({ name: c.name, inputs: c.inputNames(), outputs: c.outputs.map((o) => o.name) });

const PASSES: readonly [string, (c: Circuit) => Circuit][] = [
  ['propagateConstants', propagateConstants],
  ['removeDoubleNegations', removeDoubleNegations],
  ['removeDeadGates', removeDeadGates],
  ['simplify', (c) => simplify(c).circuit],
];

describe.each(PASSES)('%s', (_name, pass) => {
  it('preserves the function, the signature, and does not grow size or depth', () => {
    fc.assert(
      fc.property(circuitArb(), (c) => {
        const s = pass(c);
        expect(signature(s)).toEqual(signature(c));
        expect(truthTable(s)).toEqual(truthTable(c));
        expect(s.size).toBeLessThanOrEqual(c.size);
        expect(depth(s)).toBeLessThanOrEqual(depth(c));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(circuitArb(), (c) => {
        const once = pass(c);
        const twice = pass(once);
        expect(twice.size).toBe(once.size);
        expect(twice.toDescription()).toEqual(once.toDescription());
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('simplify', () => {
  it('leaves no buffers, no double negations, no dead nodes and no foldable constants', () => {
    fc.assert(
      fc.property(circuitArb(), (c) => {
        const s = simplify(c).circuit;
        const readers = new Set([...s.outputs.map((o) => o.node), ...s.nodes.flatMap((n) => (n.type === 'gate' ? n.inputs : []))]);
        s.nodes.forEach((n, id) => {
          if (n.type !== 'input') expect(readers.has(id), n.name).toBe(true);
          if (n.type !== 'gate') return;
          expect(n.gate).not.toBe('BUF');
          const under = s.node(n.inputs[0]!);
          if (n.gate === 'NOT') expect(under.type === 'gate' && under.gate === 'NOT').toBe(false);
          // Only MOD may keep constants, fewer than its modulus.
          const constants = n.inputs.filter((i) => s.node(i).type === 'const').length;
          expect(constants).toBeLessThan(n.gate === 'MOD' ? n.param : 1);
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('reports each pass with sizes that chain from the input to the result', () => {
    fc.assert(
      fc.property(circuitArb(), fc.subarray(['constants', 'negations', 'dead'] as const, { minLength: 1 }), (c, passes) => {
        const { circuit, report } = simplify(c, { passes });
        expect(report[0]!.sizeBefore).toBe(c.size);
        expect(report.at(-1)!.sizeAfter).toBe(circuit.size);
        report.slice(1).forEach((r, i) => expect(r.sizeBefore).toBe(report[i]!.sizeAfter));
        expect(truthTable(circuit)).toEqual(truthTable(c));
        expect(simplify(circuit, { passes }).circuit.size).toBe(circuit.size);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
