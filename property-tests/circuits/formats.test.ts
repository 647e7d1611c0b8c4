/**
 * Properties of the circuit file formats over random circuits of the whole
 * basis: the JSON format round-trips descriptions exactly; `.bench` round-trips
 * the function, the input and output names and orders, and (when outputs sit
 * on distinct gates) the size and gate counts; and both readers, fed arbitrary
 * or mutated text, either return a Circuit or throw a one-line CircuitError —
 * never any other exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Circuit } from '../../src/circuits/Circuit.js';
import { CircuitError } from '../../src/circuits/CircuitError.js';
import { evaluate } from '../../src/circuits/evaluate.js';
import { circuitToBench, parseBench } from '../../src/circuits/formats/benchFormat.js';
import { circuitToJson, parseCircuitJson } from '../../src/circuits/formats/circuitJson.js';
import { circuitArb, circuitDescriptionArb, circuitWithInputsArb } from './arbitraries.js';

const RUNS = { numRuns: 200 };

function gateCounts(c: Circuit): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of c.nodes) if (n.type === 'gate') counts[`${n.gate}/${n.param}`] = (counts[`${n.gate}/${n.param}`] ?? 0) + 1;
  return counts;
}

const outputNames = (c: Circuit) => c.outputs.map((o) => o.name);
const run = (c: Circuit, v: readonly boolean[]) => Array.from(evaluate(c, v));

/** Calls the reader; anything but a Circuit or a well-formed CircuitError fails the property. */
function readsOrRefuses(read: () => Circuit, prefix: RegExp): void {
  let result: Circuit;
  try {
    result = read();
  } catch (err) {
    if (!(err instanceof CircuitError)) throw err;
    expect(err.message).toMatch(prefix);
    expect(err.message).not.toMatch(/[\r\n\u2028\u2029]/);
    return;
  }
  expect(result).toBeInstanceOf(Circuit);
}

/** Character-level damage: delete or duplicate a stretch, or insert a troublesome piece. */
const editArb = fc.record({
  at: fc.nat(),
  kind: fc.constantFrom('delete', 'duplicate', 'insert'),
  len: fc.integer({ min: 1, max: 6 }),
  piece: fc.constantFrom('(', ')', ',', '=', '#', '\n', '\r', ' ', '\t', 'AND', 'THR', 'THR0', 'MOD1', 'DFF', 'vdd', 'INPUT', 'OUTPUT', 'x0', 'g0',
    '"', '{', '}', '[', ']', ':', '0', '-1', '1e400', '2.5', 'null', 'true', '"op"', '"k"', '"CONST"', '__proto__', '\u2028', '\uFEFF'),
});

type Edit = typeof editArb extends fc.Arbitrary<infer T> ? T : never;

function mutate(text: string, edits: readonly Edit[]): string {
  let t = text;
  for (const e of edits) {
    const at = e.at % (t.length + 1);
    if (e.kind === 'delete') t = t.slice(0, at) + t.slice(at + e.len);
    else if (e.kind === 'duplicate') t = t.slice(0, at) + t.slice(at, at + e.len) + t.slice(at);
    else t = t.slice(0, at) + e.piece + t.slice(at);
  }
  return t;
}

const mutatedArb = (write: (c: Circuit) => string) =>
  fc.tuple(circuitArb({ maxGates: 12 }), fc.array(editArb, { minLength: 1, maxLength: 8 })).map(([c, edits]) => mutate(write(c), edits));

/** Strings built from the pieces .bench statements are made of. */
const benchishArb = fc.string({
  unit: fc.constantFrom('(', ')', ',', '=', '#', '\n', ' ', 'a', 'b', 'g', '1', 'INPUT', 'OUTPUT', 'AND', 'NOT', 'BUFF', 'THR2', 'MOD3', 'MAJ', 'vdd', 'gnd', 'CONST1', 'DFF'),
  maxLength: 60,
});

describe('JSON format', () => {
  it('(a) round-trips every description exactly, and writing is a fixpoint', () => {
    fc.assert(fc.property(circuitArb(), (c) => {
      const text = circuitToJson(c);
      const back = parseCircuitJson(text);
      expect(back.toDescription()).toEqual(c.toDescription());
      expect(circuitToJson(back)).toBe(text);
    }), RUNS);
  });

  it('(d) reads arbitrary JSON values only into a Circuit or a CircuitError', () => {
    fc.assert(fc.property(fc.json(), (text) => {
      readsOrRefuses(() => parseCircuitJson(text), /^circuit\.json: /);
    }), RUNS);
  });

  it('(d) reads mutated circuit JSON only into a Circuit or a CircuitError', () => {
    fc.assert(fc.property(mutatedArb(circuitToJson), (text) => {
      readsOrRefuses(() => parseCircuitJson(text), /^circuit\.json: /);
    }), RUNS);
  });

  it('(d) reads valid JSON with one field replaced by an arbitrary value only into a Circuit or a CircuitError', () => {
    const fields = ['format', 'version', 'name', 'inputs', 'nodes', 'outputs', 'node.name', 'node.op', 'node.in', 'node.k', 'node.m', 'node.value', 'output.name', 'output.node', 'extra'];
    fc.assert(fc.property(circuitArb({ maxGates: 8 }), fc.constantFrom(...fields), fc.nat(), fc.option(fc.jsonValue(), { nil: undefined }), (c, field, pick, value) => {
      const data = JSON.parse(circuitToJson(c)) as Record<string, unknown> & { nodes: Record<string, unknown>[]; outputs: Record<string, unknown>[] };
      const [where, key] = field.includes('.') ? field.split('.') as [string, string] : ['top', field];
      const target = where === 'node' ? data.nodes[pick % Math.max(1, data.nodes.length)] : where === 'output' ? data.outputs[pick % data.outputs.length] : data;
      if (target !== undefined) {
        if (value === undefined) delete target[key];
        else target[key] = value;
      }
      readsOrRefuses(() => parseCircuitJson(JSON.stringify(data)), /^circuit\.json: /);
    }), RUNS);
  });
});

describe('.bench format', () => {
  it('(b) round-trips the function and the input and output names and orders', () => {
    fc.assert(fc.property(circuitWithInputsArb({}, 20), ({ circuit, vectors }) => {
      const back = parseBench(circuitToBench(circuit));
      expect(back.inputNames()).toEqual(circuit.inputNames());
      expect(outputNames(back)).toEqual(outputNames(circuit));
      for (const v of vectors) expect(run(back, v)).toEqual(run(circuit, v));
    }), RUNS);
  });

  it('(b) keeps size and gate counts when every output sits on its own gate', () => {
    const onGates = circuitWithInputsArb({}, 20).filter(({ circuit }) => circuit.outputs.every((o) => circuit.node(o.node).type === 'gate'));
    fc.assert(fc.property(onGates, ({ circuit, vectors }) => {
      const back = parseBench(circuitToBench(circuit));
      expect(back.size).toBe(circuit.size);
      expect(gateCounts(back)).toEqual(gateCounts(circuit));
      expect(back.inputNames()).toEqual(circuit.inputNames());
      expect(outputNames(back)).toEqual(outputNames(circuit));
      for (const v of vectors) expect(run(back, v)).toEqual(run(circuit, v));
    }), RUNS);
  });

  it('(b) with outputs named like other nodes, either refuses cleanly or round-trips names and function', () => {
    const pickArb = fc.record({ pick: fc.nat(), odd: fc.option(fc.stringMatching(/^[A-Za-z0-9_.]{1,4}$/), { nil: undefined, freq: 4 }) });
    const arb = fc.tuple(circuitDescriptionArb(), fc.array(pickArb), fc.array(fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), { minLength: 1, maxLength: 10 }))
      .map(([d, picks, vectors]) => {
        const names = [...d.inputs, ...d.nodes.map((n) => n.name)];
        const used = new Set<string>();
        const outputs = d.outputs.map((o, i) => {
          const p = picks[i] ?? { pick: 0, odd: undefined };
          // Output names that may collide with node names, or be fresh.
          const wanted = p.odd ?? names[p.pick % names.length]!;
          const name = used.has(wanted) || p.pick % 3 === 0 ? o.name : wanted;
          used.add(name);
          return { name, node: o.node };
        });
        const circuit = Circuit.fromDescription({ ...d, outputs });
        return { circuit, vectors: vectors.map((v) => v.slice(0, d.inputs.length)) };
      });
    fc.assert(fc.property(arb, ({ circuit, vectors }) => {
      let text: string;
      try {
        text = circuitToBench(circuit);
      } catch (err) {
        expect(err).toBeInstanceOf(CircuitError);
        return;
      }
      const back = parseBench(text);
      expect(back.inputNames()).toEqual(circuit.inputNames());
      expect(outputNames(back)).toEqual(outputNames(circuit));
      for (const v of vectors) expect(run(back, v)).toEqual(run(circuit, v));
    }), RUNS);
  });

  it('(c) reads arbitrary strings only into a Circuit or a CircuitError', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), benchishArb), (text) => {
      readsOrRefuses(() => parseBench(text), /^circuit\.bench:\d+: /);
    }), RUNS);
  });

  it('(c) reads mutated .bench text only into a Circuit or a CircuitError', () => {
    fc.assert(fc.property(mutatedArb((c) => circuitToBench(c)), (text) => {
      readsOrRefuses(() => parseBench(text), /^circuit\.bench:\d+: /);
    }), RUNS);
  });
});
