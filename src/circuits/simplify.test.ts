/**
 * Unit tests for the simplification passes on hand-built circuits: each pass on
 * its textbook case, constant folding of every gate kind checked against
 * `evaluate` over whole truth tables, and the fixed-point driver.
 */
import { describe, expect, it } from 'vitest';
import { Circuit, type CircuitNode } from './Circuit.js';
import { CircuitBuilder, type Wire } from './CircuitBuilder.js';
import { evaluate } from './evaluate.js';
import { GATE_KINDS, GATES, type GateKind } from './gates.js';
import { propagateConstants, removeDeadGates, removeDoubleNegations, simplify } from './simplify.js';

/** Every output on every input vector, as one string per vector. */
function truthTable(c: Circuit): string[] {
  const n = c.inputs.length;
  return Array.from({ length: 2 ** n }, (_, v) => evaluate(c, Array.from({ length: n }, (_, i) => (v >> i) & 1)).join(''));
}

/** The node an output names. */
function outputNode(c: Circuit, index = 0): CircuitNode {
  return c.node(c.outputs[index]!.node);
}

function gateOf(c: Circuit, index = 0): { gate: GateKind; param: number; inputs: string[] } {
  const node = outputNode(c, index);
  if (node.type !== 'gate') throw new Error(`output ${index} names a ${node.type}, not a gate`);
  return { gate: node.gate, param: node.param, inputs: node.inputs.map((i) => c.node(i).name) };
}

/** One gate whose input slots are each a fresh input (`x`) or a constant (1, 0). */
function gateWithConstants(kind: GateKind, param: number | undefined, slots: readonly ('x' | 1 | 0)[]): Circuit {
  const b = new CircuitBuilder();
  let vars = 0;
  const wires: Wire[] = slots.map((s) => (s === 'x' ? b.input(`x${vars++}`) : b.constant(s === 1)));
  if (vars === 0) b.input('unused');
  b.output('y', b.gate(kind, wires, param === undefined ? {} : { param }));
  return b.build();
}

/** All words of length n over the alphabet. */
function words<T>(alphabet: readonly T[], n: number): T[][] {
  if (n === 0) return [[]];
  return words(alphabet, n - 1).flatMap((w) => alphabet.map((a) => [...w, a]));
}

/** The legal parameters of a kind at a fan-in (undefined: the kind has none). */
function params(kind: GateKind, fanIn: number): (number | undefined)[] {
  const p = GATES[kind].param;
  if (p === 'k') return Array.from({ length: fanIn }, (_, i) => i + 1);
  if (p === 'm') return [2, 3, 4, 5];
  return [undefined];
}

describe('propagateConstants', () => {
  it('drops neutral constants and folds absorbing ones', () => {
    const b = new CircuitBuilder();
    const [x, y] = b.inputs('x', 2);
    b.output('and', b.and(x!, b.constant(true), y!));
    b.output('zero', b.and(x!, b.constant(false)));
    b.output('one', b.or(y!, b.constant(true)));
    const c = propagateConstants(b.build());
    expect(gateOf(c, 0)).toEqual({ gate: 'AND', param: 0, inputs: ['x0', 'x1'] });
    expect(outputNode(c, 1)).toMatchObject({ type: 'const', value: false });
    expect(outputNode(c, 2)).toMatchObject({ type: 'const', value: true });
    expect(c.size).toBe(1);
  });

  it('turns a gate left with one input into BUF or NOT', () => {
    const b = new CircuitBuilder();
    const x = b.input('x');
    b.output('buf', b.and(x, b.constant(true)));
    b.output('not', b.nand(x, b.constant(true)));
    b.output('xnor', b.xor(x, b.constant(true)));
    const c = propagateConstants(b.build());
    expect([0, 1, 2].map((i) => gateOf(c, i).gate)).toEqual(['BUF', 'NOT', 'NOT']);
  });

  it('lets constants flow forward in one sweep', () => {
    const b = new CircuitBuilder();
    const [x, y, z] = b.inputs('x', 3);
    const dead = b.and(x!, b.constant(false));
    const g = b.or(dead, y!, z!);
    b.output('y', b.xor(g, b.nor(dead, b.constant(false))));
    const c = propagateConstants(b.build());
    // XOR(g, NOR(false, false)) = XOR(g, true) = NOT(g).
    expect(gateOf(c)).toEqual({ gate: 'NOT', param: 0, inputs: [g.name] });
    expect(c.node(c.nodeId(g.name)!)).toMatchObject({ gate: 'OR' });
    expect(truthTable(c)).toEqual(truthTable(b.build()));
    expect(propagateConstants(c)).toBe(c);
  });

  it('shifts THR and MAJ thresholds and keeps MOD residues', () => {
    const fold = (kind: GateKind, param: number | undefined, slots: ('x' | 1 | 0)[]) => gateOf(propagateConstants(gateWithConstants(kind, param, slots)));
    expect(fold('THR', 3, ['x', 'x', 'x', 1])).toEqual({ gate: 'THR', param: 2, inputs: ['x0', 'x1', 'x2'] });
    expect(fold('MAJ', undefined, ['x', 'x', 'x', 1, 0])).toEqual({ gate: 'THR', param: 2, inputs: ['x0', 'x1', 'x2'] });
    expect(fold('MOD', 3, ['x', 'x', 1, 1, 1])).toEqual({ gate: 'MOD', param: 3, inputs: ['x0', 'x1'] });
    // Four trues leave one, which MOD(3) still needs; the false goes.
    const kept = fold('MOD', 3, ['x', 'x', 0, 1, 1, 1, 1]);
    expect(kept).toMatchObject({ gate: 'MOD', param: 3 });
    expect(kept.inputs.slice(0, 2)).toEqual(['x0', 'x1']);
    expect(kept.inputs[2]).toMatch(/one/);
    expect(kept.inputs).toHaveLength(3);
    expect(outputNode(propagateConstants(gateWithConstants('THR', 2, ['x', 1, 1])))).toMatchObject({ type: 'const', value: true });
    expect(outputNode(propagateConstants(gateWithConstants('THR', 4, ['x', 'x', 1, 0])))).toMatchObject({ type: 'const', value: false });
    // count + 1 ≡ 0 (mod 5) cannot happen with two inputs left.
    expect(outputNode(propagateConstants(gateWithConstants('MOD', 5, ['x', 'x', 1])))).toMatchObject({ type: 'const', value: false });
  });

  describe.each(GATE_KINDS)('%s with constant inputs, every placement up to fan-in 5', (kind) => {
    it('computes the same truth table and reads no constant it does not need', () => {
      const spec = GATES[kind];
      for (let n = spec.minFanIn; n <= Math.min(spec.maxFanIn, 5); n++) {
        for (const slots of words(['x', 1, 0] as const, n)) {
          for (const param of params(kind, n)) {
            const before = gateWithConstants(kind, param, slots);
            const after = propagateConstants(before);
            const where = `${kind}(${param ?? ''}) over ${slots.join(',')}`;
            expect(truthTable(after), where).toEqual(truthTable(before));
            expect(after.size, where).toBeLessThanOrEqual(before.size);
            const node = outputNode(after);
            if (node.type !== 'gate') continue;
            const constants = node.inputs.filter((i) => after.node(i).type === 'const').length;
            // Only MOD keeps constants, and then fewer than its modulus.
            expect(constants, where).toBeLessThan(node.gate === 'MOD' ? node.param : 1);
          }
        }
      }
    });
  });
});

describe('removeDoubleNegations', () => {
  const chain = (length: number) => {
    const b = new CircuitBuilder();
    let w = b.input('x');
    for (let i = 0; i < length; i++) w = b.not(w);
    b.output('y', w);
    return b.build();
  };

  it('collapses NOT(NOT(x)) to x, leaving the output on the input', () => {
    const c = removeDoubleNegations(chain(2));
    expect(c.size).toBe(0);
    expect(outputNode(c)).toMatchObject({ type: 'input', name: 'x' });
  });

  it.each([1, 3, 4, 7, 10])('collapses a chain of %i NOTs to at most one', (length) => {
    const before = chain(length);
    const c = removeDoubleNegations(before);
    expect(c.size).toBe(length % 2);
    expect(truthTable(c)).toEqual(truthTable(before));
  });

  it('bypasses buffers and merges two NOTs of the same node', () => {
    const b = new CircuitBuilder();
    const [x, y] = b.inputs('x', 2);
    const n1 = b.not(y!);
    const n3 = b.not(b.not(n1));
    b.output('y', b.and(b.buf(b.buf(x!)), b.not(b.not(y!)), n1, n3));
    const before = b.build();
    const c = removeDoubleNegations(before);
    expect(c.size).toBe(2);
    expect(gateOf(c)).toMatchObject({ gate: 'AND', inputs: ['x0', 'x1', n1.name, n1.name] });
    expect(truthTable(c)).toEqual(truthTable(before));
    expect(removeDoubleNegations(c)).toBe(c);
  });
});

describe('removeDeadGates', () => {
  it('drops unreachable gates and constants but keeps unused inputs', () => {
    const b = new CircuitBuilder();
    const [x, y] = b.inputs('x', 3);
    b.or(b.and(x!, y!), b.constant(true));
    b.output('y', b.xor(x!, y!));
    const c = removeDeadGates(b.build());
    expect(c.size).toBe(1);
    expect(c.nodes.filter((n) => n.type === 'const')).toHaveLength(0);
    expect(c.inputNames()).toEqual(['x0', 'x1', 'x2']);
    expect(removeDeadGates(c)).toBe(c);
  });
});

describe('simplify', () => {
  const messy = () => {
    const b = new CircuitBuilder('messy');
    const [x, y, z] = b.inputs('x', 3);
    const t = b.constant(true);
    b.not(b.not(z!)); // dead
    const g = b.buf(b.and(x!, t));
    b.output('first', b.or(b.not(b.not(g)), b.and(y!, b.constant(false))));
    b.output('second', b.threshold(2, [y!, z!, t]));
    return b.build();
  };

  it('runs the three passes to a fixed point and reports sizes', () => {
    const before = messy();
    const { circuit, report } = simplify(before);
    expect(truthTable(circuit)).toEqual(truthTable(before));
    expect(circuit.name).toBe('messy');
    expect(circuit.inputNames()).toEqual(['x0', 'x1', 'x2']);
    expect(circuit.outputs.map((o) => o.name)).toEqual(['first', 'second']);
    // first = x0, second = OR(x1, x2) as THR(1).
    expect(outputNode(circuit, 0)).toMatchObject({ type: 'input', name: 'x0' });
    expect(gateOf(circuit, 1)).toMatchObject({ gate: 'THR', param: 1, inputs: ['x1', 'x2'] });
    expect(circuit.size).toBe(1);
    expect(report.map((r) => r.pass)).toEqual(['constants', 'negations', 'dead', 'constants', 'negations', 'dead']);
    expect(report[0]!.sizeBefore).toBe(before.size);
    expect(report.at(-1)!.sizeAfter).toBe(circuit.size);
    expect(report.slice(3).every((r) => r.sizeBefore === r.sizeAfter)).toBe(true);
  });

  it('runs only the passes asked for', () => {
    const { circuit, report } = simplify(messy(), { passes: ['dead'] });
    expect(new Set(report.map((r) => r.pass))).toEqual(new Set(['dead']));
    expect(circuit.size).toBe(messy().size - 2);
  });

  it('is idempotent and returns a simplified circuit unchanged', () => {
    const once = simplify(messy()).circuit;
    const twice = simplify(once);
    expect(twice.circuit).toBe(once);
    expect(twice.report).toHaveLength(3);
  });
});
