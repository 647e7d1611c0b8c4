/**
 * fast-check arbitraries for random circuits over the whole gate basis
 * (every kind, random fan-in, constants, shared sub-circuits, several outputs).
 * Shrinking works on the plain record, so a failing circuit shrinks to a few gates.
 */
import fc from 'fast-check';
import { Circuit, type CircuitDescription, type NodeDescription } from '../../src/circuits/Circuit.js';
import { GATE_KINDS, GATES } from '../../src/circuits/gates.js';

export interface RandomCircuitOptions {
  maxInputs?: number;
  maxGates?: number;
  maxFanIn?: number;
  maxOutputs?: number;
  /** Gate kinds to draw from (default: all). */
  kinds?: readonly (typeof GATE_KINDS)[number][];
  /** Allow constant nodes (default true). */
  constants?: boolean;
}

const gateRecord = (kinds: readonly string[], maxFanIn: number) =>
  fc.record({
    kind: fc.constantFrom(...kinds),
    picks: fc.array(fc.nat(), { minLength: 1, maxLength: maxFanIn }),
    p: fc.nat(),
    value: fc.boolean(),
  });

export function circuitDescriptionArb(options: RandomCircuitOptions = {}): fc.Arbitrary<CircuitDescription> {
  const kinds: string[] = [...(options.kinds ?? GATE_KINDS)];
  if (options.constants ?? true) kinds.push('CONST');
  return fc
    .record({
      inputs: fc.integer({ min: 1, max: options.maxInputs ?? 6 }),
      gates: fc.array(gateRecord(kinds, options.maxFanIn ?? 5), { minLength: 1, maxLength: options.maxGates ?? 30 }),
      outs: fc.array(fc.nat(), { minLength: 1, maxLength: options.maxOutputs ?? 4 }),
    })
    .map(({ inputs, gates, outs }) => {
      const names = Array.from({ length: inputs }, (_, i) => `x${i}`);
      const nodes: NodeDescription[] = [];
      gates.forEach((g, i) => {
        const name = `g${i}`;
        if (g.kind === 'CONST') {
          nodes.push({ type: 'const', name, value: g.value });
        } else {
          const kind = g.kind as (typeof GATE_KINDS)[number];
          const spec = GATES[kind];
          const refs = g.picks.slice(0, spec.maxFanIn).map((p) => names[p % names.length]!);
          const param = spec.param === 'k' ? 1 + (g.p % refs.length) : spec.param === 'm' ? 2 + (g.p % 4) : undefined;
          nodes.push(param === undefined ? { type: 'gate', name, gate: kind, inputs: refs } : { type: 'gate', name, gate: kind, inputs: refs, param });
        }
        names.push(name);
      });
      // Outputs lean towards late nodes (the deep ones), but may name any node.
      const outputs = [...new Set(outs.map((o) => names[names.length - 1 - (o % names.length)]!))].map((node, i) => ({ name: `out${i}`, node }));
      return { inputs: names.slice(0, inputs), nodes, outputs };
    });
}

export function circuitArb(options: RandomCircuitOptions = {}): fc.Arbitrary<Circuit> {
  return circuitDescriptionArb(options).map((d) => Circuit.fromDescription(d));
}

/** A circuit together with a batch of input vectors for it. */
export function circuitWithInputsArb(options: RandomCircuitOptions = {}, maxVectors = 70): fc.Arbitrary<{ circuit: Circuit; vectors: boolean[][] }> {
  return circuitArb(options).chain((circuit) =>
    fc.record({
      circuit: fc.constant(circuit),
      vectors: fc.array(fc.array(fc.boolean(), { minLength: circuit.inputs.length, maxLength: circuit.inputs.length }), { minLength: 1, maxLength: maxVectors }),
    }),
  );
}
