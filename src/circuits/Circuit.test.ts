/** Construction rules of Circuit.fromDescription and the builder: each broken rule gives its one-line message. */
import { describe, expect, it } from 'vitest';
import { Circuit, type CircuitDescription } from './Circuit.js';
import { CircuitBuilder } from './CircuitBuilder.js';
import { CircuitError } from './CircuitError.js';
import { evaluate } from './evaluate.js';
import { errorOf } from './_internals/errorOf.testing.js';


const base: CircuitDescription = {
  inputs: ['a', 'b'],
  nodes: [{ type: 'gate', name: 'g', gate: 'AND', inputs: ['a', 'b'] }],
  outputs: [{ name: 'y', node: 'g' }],
};

describe('Circuit.fromDescription', () => {
  it('sorts nodes topologically, keeping declaration order where it can', () => {
    const c = Circuit.fromDescription({
      inputs: ['a', 'b'],
      nodes: [
        { type: 'gate', name: 'top', gate: 'OR', inputs: ['mid', 'b'] },
        { type: 'gate', name: 'mid', gate: 'NOT', inputs: ['a'] },
      ],
      outputs: [{ name: 'y', node: 'top' }],
    });
    expect(c.nodes.map((n) => n.name)).toEqual(['a', 'b', 'mid', 'top']);
    c.nodes.forEach((n, id) => {
      if (n.type === 'gate') for (const i of n.inputs) expect(i).toBeLessThan(id);
    });
    expect(Array.from(evaluate(c, [0, 0]))).toEqual([1]);
    expect(Array.from(evaluate(c, [1, 0]))).toEqual([0]);
  });

  it('is immutable', () => {
    const c = Circuit.fromDescription(base);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.nodes)).toBe(true);
    expect(() => (c.nodes as unknown as unknown[]).push(1)).toThrow();
  });

  it('round-trips through its description', () => {
    const c = Circuit.fromDescription(base);
    expect(Circuit.fromDescription(c.toDescription()).toDescription()).toEqual(c.toDescription());
  });

  it('rejects each broken rule with a message naming the node', () => {
    const cases: [CircuitDescription, string, string][] = [
      [{ ...base, inputs: ['a', 'a'] }, 'duplicate-name', '"a" is declared twice'],
      [{ ...base, nodes: [{ type: 'gate', name: 'g', gate: 'AND', inputs: ['a', 'zz'] }] }, 'unknown-reference', 'gate "g" reads "zz", which is not declared'],
      [{ ...base, nodes: [{ type: 'gate', name: 'g', gate: 'NOT', inputs: ['a', 'b'] }] }, 'arity', 'gate "g": NOT takes exactly 1 input, got 2'],
      [{ ...base, nodes: [{ type: 'gate', name: 'g', gate: 'AND', inputs: [] }] }, 'arity', 'gate "g": AND takes at least 1 inputs, got 0'],
      [{ ...base, nodes: [{ type: 'gate', name: 'g', gate: 'THR', inputs: ['a', 'b'], param: 3 }] }, 'parameter', 'THR threshold k must be an integer in 1..2'],
      [{ ...base, nodes: [{ type: 'gate', name: 'g', gate: 'THR', inputs: ['a', 'b'] }] }, 'parameter', 'THR needs its parameter k'],
      [{ ...base, nodes: [{ type: 'gate', name: 'g', gate: 'MOD', inputs: ['a', 'b'], param: 1 }] }, 'parameter', 'MOD modulus m must be an integer >= 2'],
      [{ ...base, nodes: [{ type: 'gate', name: 'g', gate: 'AND', inputs: ['a', 'b'], param: 1 }] }, 'parameter', 'AND takes no parameter'],
      [{ ...base, outputs: [] }, 'output', 'the circuit has no outputs'],
      [{ ...base, outputs: [{ name: 'y', node: 'nope' }] }, 'output', 'output "y" refers to "nope"'],
      [{ ...base, outputs: [{ name: 'y', node: 'g' }, { name: 'y', node: 'a' }] }, 'output', 'output "y" is declared twice'],
      [{ ...base, inputs: ['a b', 'b'] }, 'format', 'node name "a b" is not usable'],
      [
        {
          inputs: ['a'],
          nodes: [
            { type: 'gate', name: 'p', gate: 'AND', inputs: ['a', 'q'] },
            { type: 'gate', name: 'q', gate: 'OR', inputs: ['p', 'a'] },
          ],
          outputs: [{ name: 'y', node: 'p' }],
        },
        'cycle',
        'is on a cycle of 2 gates (p -> q -> p)',
      ],
    ];
    for (const [desc, rule, fragment] of cases) {
      const err = errorOf(() => Circuit.fromDescription(desc));
      expect(err.rule).toBe(rule);
      expect(err.message).toContain(fragment);
      expect(err.message).not.toContain('\n');
    }
  });

  it('reports a long cycle in one short line', () => {
    const n = 5000;
    const nodes = Array.from({ length: n }, (_, i) => ({ type: 'gate' as const, name: `g${i}`, gate: 'NOT' as const, inputs: [`g${(i + 1) % n}`] }));
    const err = errorOf(() => Circuit.fromDescription({ inputs: [], nodes, outputs: [{ name: 'y', node: 'g0' }] }));
    expect(err.rule).toBe('cycle');
    expect(err.message.length).toBeLessThan(300);
    expect(err.message).toContain(`cycle of ${n} gates`);
  });

  it('handles a chain of 200,000 gates without recursion limits', () => {
    const n = 200_000;
    const nodes = Array.from({ length: n }, (_, i) => ({ type: 'gate' as const, name: `g${i}`, gate: 'NOT' as const, inputs: [i === 0 ? 'x' : `g${i - 1}`] }));
    const c = Circuit.fromDescription({ inputs: ['x'], nodes: nodes.reverse(), outputs: [{ name: 'y', node: `g${n - 1}` }] });
    expect(c.size).toBe(n);
    expect(Array.from(evaluate(c, [1]))).toEqual([1]); // an even number of negations
  });
});

describe('CircuitBuilder', () => {
  it('reads like the math and evaluates correctly (full adder, exhaustive)', () => {
    const c = new CircuitBuilder('full-adder');
    const [a, b, cin] = c.inputs('x', 3) as [ReturnType<typeof c.input>, ReturnType<typeof c.input>, ReturnType<typeof c.input>];
    c.output('sum', c.xor(a, b, cin)).output('carry', c.majority(a, b, cin));
    const adder = c.build();
    for (let v = 0; v < 8; v++) {
      const bits = [v & 1, (v >> 1) & 1, (v >> 2) & 1];
      const total = bits[0]! + bits[1]! + bits[2]!;
      expect(Array.from(evaluate(adder, bits))).toEqual([total % 2, total >= 2 ? 1 : 0]);
    }
  });

  it('shares constants and refuses duplicate names', () => {
    const c = new CircuitBuilder();
    expect(c.constant(true)).toBe(c.constant(true));
    c.input('x');
    expect(() => c.input('x')).toThrow(CircuitError);
    const x2 = c.input('_0');
    const g = c.and(x2, c.constant(false)); // automatic names skip the taken "_0"
    expect(g.name).not.toBe('_0');
    c.output('y', c.threshold(1, [g, x2])).output('z', c.mod(3, [x2, x2, x2]));
    const built = c.build();
    expect(Array.from(evaluate(built, [0, 1]))).toEqual([1, 1]);
  });
});
