/**
 * Tests of lowering a circuit to a BitProgram.
 *
 * - Every gate kind at fan-in 1..7 with every legal parameter, as a one-gate
 *   circuit, checked over its whole truth table on both kernels (js,
 *   wasm-simd) and on an interpreter of the program written here, against
 *   GATES[kind].evaluate.
 * - Folding, common subexpressions, dead operations and liveness-based slot
 *   reuse, on hand-built circuits with known answers.
 * - Fusion: MAJ-3 becomes one stored record and three fused ones.
 * - Allocation: an independent checker walks the records in program order,
 *   tracking which record last wrote every slot. A fused record is evaluated
 *   inside its consumer (its anchor), later than its own position, so every
 *   slot it reads must still hold, at the anchor, what the slot held at the
 *   record's position; no read may hit a never-written scratch slot; a stored
 *   record's dst is none of its own direct arguments; fused records are used
 *   exactly once; every output slot still holds, at the end, the value written
 *   by its output record (or the untouched input). Together with the
 *   interpreter's truth tables, compared with the scalar `evaluate`, this is
 *   run on random circuits with and without fusion.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { circuitArb } from '../../../property-tests/circuits/arbitraries.js';
import { Circuit, type NodeDescription } from '../Circuit.js';
import { evaluate } from '../evaluate.js';
import { GATE_KINDS, GATES, type GateKind } from '../gates.js';
import { ONE, ZERO } from './BitBuilder.js';
import { type BitProgram, lowerCircuit, OP_AND, OP_NEGATE, OP_OR, OP_XOR } from './BitProgram.js';
import { BitslicedEvaluator } from './BitslicedEvaluator.js';
import { wasmSimdAvailable } from './WasmKernel.js';

const BACKENDS = wasmSimdAvailable() ? (['js', 'wasm-simd'] as const) : (['js'] as const);

interface DecodedRecord {
  readonly offset: number;
  readonly code: number;
  readonly dst: number;
  readonly args: readonly number[];
}

/** Splits `ops` into records, checking each is well-formed and the last ends exactly at the end. */
function decode(program: BitProgram): DecodedRecord[] {
  const { ops } = program;
  const records: DecodedRecord[] = [];
  for (let p = 0; p < ops.length; ) {
    const code = ops[p]!;
    const dst = ops[p + 1];
    const n = ops[p + 2];
    if (dst === undefined || n === undefined || n < 1 || p + 3 + n > ops.length) throw new Error(`record at ${p} is truncated or has no arguments`);
    if (![OP_AND, OP_OR, OP_XOR].includes(code & ~OP_NEGATE) || (code & ~(OP_NEGATE | 3)) !== 0) throw new Error(`record at ${p} has unknown code ${code}`);
    records.push({ offset: p, code, dst, args: Array.from(ops.subarray(p + 3, p + 3 + n)) });
    p += 3 + n;
  }
  return records;
}

/** Truth tables: bit a of a value is its value on assignment a (input i = bit i of a). */
function inputTable(i: number, n: number): bigint {
  let t = 0n;
  for (let a = 0; a < 2 ** n; a++) if ((a >> i) & 1) t |= 1n << BigInt(a);
  return t;
}

/**
 * Runs the program on all 2^numInputs assignments with slot semantics:
 * records in order, a fused record (dst −1) evaluated where its consumer
 * reads it (as the WASM kernel does). Returns each output's truth table.
 */
function interpret(program: BitProgram): bigint[] {
  const n = program.numInputs;
  const full = (1n << BigInt(2 ** n)) - 1n;
  const slots = new Map<number, bigint>();
  for (let i = 0; i < n; i++) slots.set(i, inputTable(i, n));
  const records = decode(program);
  const byOffset = new Map(records.map((r) => [r.offset, r]));
  const value = (r: DecodedRecord): bigint => {
    const vals = r.args.map((a) => {
      if (a < 0) {
        const f = byOffset.get(-a - 1);
        if (f === undefined) throw new Error(`record at ${r.offset} refers to no record at ${-a - 1}`);
        return value(f);
      }
      const v = slots.get(a);
      if (v === undefined) throw new Error(`record at ${r.offset} reads slot ${a}, never written`);
      return v;
    });
    const kind = r.code & 3;
    let acc = vals[0]!;
    for (const v of vals.slice(1)) acc = kind === OP_AND ? acc & v : kind === OP_OR ? acc | v : acc ^ v;
    return r.code & OP_NEGATE ? full ^ acc : acc;
  };
  for (const r of records) if (r.dst >= 0) slots.set(r.dst, value(r));
  return Array.from(program.outputs, (s) => {
    if (s === ZERO) return 0n;
    if (s === ONE) return full;
    const v = slots.get(s);
    if (v === undefined) throw new Error(`output slot ${s} was never written`);
    return v;
  });
}

/** The scalar evaluator's truth table of every output. */
function scalarTables(circuit: Circuit): bigint[] {
  const n = circuit.inputs.length;
  const tables = circuit.outputs.map(() => 0n);
  for (let a = 0; a < 2 ** n; a++) {
    const out = evaluate(circuit, Array.from({ length: n }, (_, i) => (a >> i) & 1));
    out.forEach((bit, o) => {
      if (bit) tables[o] = tables[o]! | (1n << BigInt(a));
    });
  }
  return tables;
}

const INPUT = -2; // writer of a slot that still holds its input
const UNWRITTEN = -3;

/** Independent checker of slot allocation and fusion; returns the problems found (none = correct). */
function checkAllocation(program: BitProgram): string[] {
  const problems: string[] = [];
  const records = decode(program);
  const { numInputs, numSlots } = program;
  if (records.length !== program.numOps) problems.push(`numOps ${program.numOps} but ${records.length} records`);
  const wordOps = records.reduce((s, r) => s + Math.max(r.args.length - 1, 1), 0);
  if (wordOps !== program.wordOps) problems.push(`wordOps ${program.wordOps} but the records cost ${wordOps}`);

  const byOffset = new Map(records.map((r, i) => [r.offset, i]));
  const fusedUses = new Map<number, number>();
  // writer[s]: index of the record that last wrote slot s, INPUT, or UNWRITTEN.
  const writer: number[] = Array.from({ length: numSlots }, (_, s) => (s < numInputs ? INPUT : UNWRITTEN));
  // What each record's slot arguments held at the record's own position.
  const seenAtPosition = new Map<number, number[]>();
  const height = new Map<number, number>();

  records.forEach((r, index) => {
    const where = `record ${index} (offset ${r.offset})`;
    let h = 1;
    seenAtPosition.set(index, r.args.map((a) => (a >= 0 ? writer[a] ?? UNWRITTEN : UNWRITTEN)));
    for (const a of r.args) {
      if (a >= 0) {
        if (a >= numSlots) problems.push(`${where} reads slot ${a} >= numSlots ${numSlots}`);
        continue;
      }
      const f = byOffset.get(-a - 1);
      if (f === undefined || f >= index) {
        problems.push(`${where} refers to ${-a - 1}, not an earlier record`);
        continue;
      }
      if (records[f]!.dst !== -1) problems.push(`${where} inlines record ${f}, which is stored (dst ${records[f]!.dst})`);
      fusedUses.set(f, (fusedUses.get(f) ?? 0) + 1);
      h = Math.max(h, height.get(f)! + 1);
    }
    height.set(index, h);
    if (r.dst === -1) return;
    if (r.dst < 0 || r.dst >= numSlots) {
      problems.push(`${where} writes slot ${r.dst}, outside 0..${numSlots - 1}`);
      return;
    }
    if (h > 6) problems.push(`${where} evaluates a fused tree of height ${h} > 6`);
    if (r.args.includes(r.dst)) problems.push(`${where} writes slot ${r.dst}, which is also its argument`);
    // The record runs now, evaluating its whole fused tree: every slot read in
    // the tree must hold what it held at the reading record's own position.
    const visit = (i: number) => {
      const rec = records[i]!;
      rec.args.forEach((a, k) => {
        if (a < 0) {
          const f = byOffset.get(-a - 1);
          if (f !== undefined && f < i) visit(f);
          return;
        }
        const now = writer[a];
        if (now === UNWRITTEN) problems.push(`record ${i} (run at ${index}) reads slot ${a}, never written`);
        else if (now !== seenAtPosition.get(i)![k]) {
          problems.push(`record ${i} (run at ${index}) reads slot ${a}: written by ${seenAtPosition.get(i)![k]} at its position but by ${now} when it runs`);
        }
      });
    };
    visit(index);
    writer[r.dst] = index;
  });
  records.forEach((r, i) => {
    if (r.dst === -1 && fusedUses.get(i) !== 1) problems.push(`fused record ${i} is used ${fusedUses.get(i) ?? 0} times, not once`);
  });
  program.outputs.forEach((slot, o) => {
    const rec = program.outputRecords[o]!;
    if (slot < 0) {
      if (slot !== ZERO && slot !== ONE) problems.push(`output ${o} names slot ${slot}`);
      if (rec !== -1) problems.push(`constant output ${o} has record ${rec}`);
    } else if (rec === -1) {
      if (slot >= numInputs) problems.push(`output ${o} has no record but slot ${slot} is no input slot`);
      else if (writer[slot] !== INPUT) problems.push(`input slot ${slot} (output ${o}) is overwritten by record ${writer[slot]}`);
    } else {
      const i = byOffset.get(rec);
      if (i === undefined) problems.push(`output ${o} names record offset ${rec}, which starts no record`);
      else if (records[i]!.dst !== slot) problems.push(`output ${o} is in slot ${slot} but its record writes ${records[i]!.dst}`);
      else if (writer[slot] !== i) problems.push(`output ${o}'s slot ${slot} is overwritten by record ${writer[slot]} after record ${i}`);
    }
  });
  return problems;
}

function oneGate(kind: GateKind, fanIn: number, param?: number): Circuit {
  const inputs = Array.from({ length: fanIn }, (_, i) => `x${i}`);
  const node: NodeDescription = param === undefined ? { type: 'gate', name: 'g', gate: kind, inputs } : { type: 'gate', name: 'g', gate: kind, inputs, param };
  return Circuit.fromDescription({ inputs, nodes: [node], outputs: [{ name: 'y', node: 'g' }] });
}

/** Every (kind, fan-in, parameter) with fan-in 1..7 and every legal parameter (MOD's m up to fan-in + 2). */
function gateCases(): [string, GateKind, number, number | undefined][] {
  const cases: [string, GateKind, number, number | undefined][] = [];
  for (const kind of GATE_KINDS) {
    const spec = GATES[kind];
    for (let n = spec.minFanIn; n <= Math.min(7, spec.maxFanIn); n++) {
      const params = spec.param === 'k' ? Array.from({ length: n }, (_, i) => i + 1) : spec.param === 'm' ? Array.from({ length: n + 1 }, (_, i) => i + 2) : [undefined];
      for (const p of params) cases.push([`${kind}/${n}${p === undefined ? '' : ` ${spec.param}=${p}`}`, kind, n, p]);
    }
  }
  return cases;
}

const bit = (lane: Uint32Array, v: number) => (lane[v >>> 5]! >>> (v & 31)) & 1;

describe('lowering each gate kind', () => {
  it.each(gateCases())('%s agrees with its truth function on every input', (_label, kind, n, param) => {
    const circuit = oneGate(kind, n, param);
    const vectors = 2 ** n;
    const want = Array.from({ length: vectors }, (_, a) => {
      let ones = 0;
      for (let i = 0; i < n; i++) ones += (a >> i) & 1;
      return GATES[kind].evaluate(ones, n, param ?? 0) ? 1 : 0;
    });
    const wantTable = want.reduce((t, b, a) => (b ? t | (1n << BigInt(a)) : t), 0n);
    for (const fuse of [false, true]) {
      const program = lowerCircuit(circuit, { fuse });
      expect(checkAllocation(program)).toEqual([]);
      expect(interpret(program), `fuse ${fuse}`).toEqual([wantTable]);
    }
    const lanes = Array.from({ length: n }, (_, i) => {
      const lane = new Uint32Array(Math.ceil(vectors / 32));
      for (let a = 0; a < vectors; a++) if ((a >> i) & 1) lane[a >>> 5]! |= 1 << (a & 31);
      return lane;
    });
    for (const backend of BACKENDS) {
      const ev = BitslicedEvaluator.compile(circuit, { backend });
      const [out] = ev.run(lanes, vectors);
      expect(Array.from({ length: vectors }, (_, a) => bit(out!, a)), backend).toEqual(want);
      expect(ev.countOnes(lanes, vectors), backend).toEqual([want.reduce<number>((s, b) => s + b, 0)]);
    }
  });
});

/** A circuit from inputs and named nodes, with outputs naming nodes. */
function build(inputs: string[], nodes: NodeDescription[], outputs: string[]): Circuit {
  return Circuit.fromDescription({ inputs, nodes, outputs: outputs.map((node, i) => ({ name: `o${i}`, node })) });
}

const gate = (name: string, kind: GateKind, inputs: string[], param?: number): NodeDescription =>
  param === undefined ? { type: 'gate', name, gate: kind, inputs } : { type: 'gate', name, gate: kind, inputs, param };

describe('folding', () => {
  const circuit = build(
    ['a', 'b', 'c'],
    [
      { type: 'const', name: 't', value: true },
      { type: 'const', name: 'f', value: false },
      gate('and_t', 'AND', ['a', 't']), // a
      gate('or_f', 'OR', ['f', 'b']), // b
      gate('or_t', 'OR', ['a', 't', 'c']), // ONE
      gate('and_f', 'AND', ['b', 'f']), // ZERO
      gate('xor_aa', 'XOR', ['a', 'a']), // ZERO
      gate('xnor_aa', 'XNOR', ['a', 'a']), // ONE
      gate('xor_at', 'XOR', ['a', 't', 't']), // a
      gate('na', 'NOT', ['a']),
      gate('nna', 'NOT', ['na']), // a
      gate('a_or_na', 'OR', ['a', 'na']), // ONE
      gate('a_and_na', 'AND', ['na', 'a']), // ZERO
      gate('buf_c', 'BUF', ['c']), // c
      gate('and_cc', 'AND', ['c', 'c', 'c']), // c
      gate('maj_1', 'MAJ', ['b']), // b
      gate('thr_1', 'THR', ['c', 'f', 'f'], 1), // c
      gate('mod_3', 'MOD', ['f', 'f'], 3), // ONE
      gate('not_t', 'NOT', ['t']), // ZERO
    ],
    ['t', 'f', 'a', 'and_t', 'or_f', 'or_t', 'and_f', 'xor_aa', 'xnor_aa', 'xor_at', 'nna', 'a_or_na', 'a_and_na', 'buf_c', 'and_cc', 'maj_1', 'thr_1', 'mod_3', 'not_t'],
  );

  it.each([false, true])('outputs that are constants or inputs cost no operations (fuse %s)', (fuse) => {
    const program = lowerCircuit(circuit, { fuse });
    expect(program.numOps).toBe(0);
    expect(program.ops.length).toBe(0);
    expect(program.wordOps).toBe(0);
    expect(Array.from(program.outputs)).toEqual([ONE, ZERO, 0, 0, 1, ONE, ZERO, ZERO, ONE, 0, 0, ONE, ZERO, 2, 2, 1, 2, ONE, ZERO]);
    expect(Array.from(program.outputRecords)).toEqual(new Array(19).fill(-1));
    expect(program.numInputs).toBe(3);
    expect(program.numSlots).toBe(3);
  });

  it.each(BACKENDS)('and evaluate to those constants and inputs (%s)', (backend) => {
    const ev = BitslicedEvaluator.compile(circuit, { backend });
    const vectors = Array.from({ length: 8 }, (_, a) => [a & 1, (a >> 1) & 1, (a >> 2) & 1]);
    expect(ev.evaluateVectors(vectors).map((v) => Array.from(v))).toEqual(vectors.map((v) => Array.from(evaluate(circuit, v))));
  });

  it('a circuit without inputs has slot count at least 1 and constant outputs', () => {
    const program = lowerCircuit(build([], [{ type: 'const', name: 't', value: true }, gate('n', 'NOT', ['t'])], ['t', 'n']));
    expect(Array.from(program.outputs)).toEqual([ONE, ZERO]);
    expect(program.numOps).toBe(0);
    expect(program.numSlots).toBeGreaterThanOrEqual(1);
  });
});

describe('common subexpressions and dead operations', () => {
  it('two identical gates (inputs in any order, repeated) lower to one operation', () => {
    const program = lowerCircuit(build(['a', 'b'], [gate('g1', 'AND', ['a', 'b']), gate('g2', 'AND', ['b', 'a', 'b'])], ['g1', 'g2']));
    expect(program.numOps).toBe(1);
    expect(program.outputs[0]).toBe(program.outputs[1]);
    expect(program.outputRecords[0]).toBe(0);
    expect(program.outputRecords[1]).toBe(0);
  });

  it('identical subexpressions inside different gate kinds are shared (XOR(a,b) and XNOR(b,a))', () => {
    const program = lowerCircuit(build(['a', 'b'], [gate('x', 'XOR', ['a', 'b']), gate('y', 'XNOR', ['b', 'a'])], ['x', 'y']));
    expect(program.numOps).toBe(2); // the XOR and one negation of it
    expect(interpret(program)).toEqual([0b0110n, 0b1001n]);
  });

  it('gates no output reads produce no operations', () => {
    const live = [gate('g', 'AND', ['a', 'b'])];
    const dead = [gate('d1', 'XOR', ['a', 'c']), gate('d2', 'MAJ', ['d1', 'b', 'c']), gate('d3', 'MOD', ['d2', 'a', 'b', 'c'], 3)];
    const without = lowerCircuit(build(['a', 'b', 'c'], live, ['g']));
    const withDead = lowerCircuit(build(['a', 'b', 'c'], [...dead, ...live], ['g']));
    expect(withDead.numOps).toBe(1);
    expect(Array.from(withDead.ops)).toEqual(Array.from(without.ops));
    expect(withDead.wordOps).toBe(1);
  });

  it('intermediate operations a gate lowering does not need are dropped (MAJ-3 keeps only its carry)', () => {
    const program = lowerCircuit(build(['a', 'b', 'c'], [gate('m', 'MAJ', ['a', 'b', 'c'])], ['m']));
    // xor(a, b), and(a, b), and(c, a^b), or(...); the sum bit a^b^c is dead.
    expect(program.numOps).toBe(4);
    expect(interpret(program)).toEqual([0b11101000n]);
  });
});

describe('slot allocation', () => {
  it('a 1000-gate chain of alternating ANDs and NOTs reuses slots (numSlots <= numInputs + 3)', () => {
    const inputs = Array.from({ length: 8 }, (_, i) => `x${i}`);
    const nodes: NodeDescription[] = [];
    let prev = 'x0';
    for (let i = 0; i < 1000; i++) {
      const name = `g${i}`;
      nodes.push(i % 2 === 0 ? gate(name, 'AND', [prev, inputs[(i / 2 + 1) % 8]!]) : gate(name, 'NOT', [prev]));
      prev = name;
    }
    const circuit = build(inputs, nodes, [prev]);
    for (const fuse of [false, true]) {
      const program = lowerCircuit(circuit, { fuse });
      expect(program.numOps).toBe(1000);
      expect(program.numSlots).toBeLessThanOrEqual(inputs.length + 3);
      expect(checkAllocation(program)).toEqual([]);
    }
    const vectors = Array.from({ length: 256 }, (_, a) => inputs.map((_, i) => (a >> i) & 1));
    for (const backend of BACKENDS) {
      const ev = BitslicedEvaluator.compile(circuit, { backend });
      expect(ev.evaluateVectors(vectors).map((v) => v[0])).toEqual(vectors.map((v) => evaluate(circuit, v)[0]));
    }
  });

  it('a long chain of NOTs folds away entirely', () => {
    const nodes: NodeDescription[] = [];
    let prev = 'a';
    for (let i = 0; i < 1000; i++) {
      nodes.push(gate(`n${i}`, 'NOT', [prev]));
      prev = `n${i}`;
    }
    const even = lowerCircuit(build(['a'], nodes, [prev]));
    expect(even.numOps).toBe(0);
    expect(Array.from(even.outputs)).toEqual([0]);
    const odd = lowerCircuit(build(['a'], nodes.slice(0, 999), ['n998']));
    expect(odd.numOps).toBe(1);
    expect(odd.numSlots).toBe(2);
  });

  it('the slots of unused inputs serve as scratch space', () => {
    // Only x0 and x1 are read; the chain's temporaries fit in the other input slots.
    const inputs = ['x0', 'x1', 'x2', 'x3', 'x4'];
    const program = lowerCircuit(build(inputs, [gate('g', 'XOR', ['x0', 'x1']), gate('h', 'NOT', ['g']), gate('k', 'AND', ['h', 'x0'])], ['k']));
    expect(program.numSlots).toBe(5);
    expect(checkAllocation(program)).toEqual([]);
  });
});

describe('fusion', () => {
  const maj3 = build(['a', 'b', 'c'], [gate('m', 'MAJ', ['a', 'b', 'c'])], ['m']);

  it('MAJ-3 lowers to exactly one stored record, the rest fused (dst = -1)', () => {
    const program = lowerCircuit(maj3, { fuse: true });
    const records = decode(program);
    expect(records.filter((r) => r.dst >= 0)).toHaveLength(1);
    expect(records.filter((r) => r.dst === -1)).toHaveLength(records.length - 1);
    expect(records.length).toBeGreaterThan(1);
    const stored = records.find((r) => r.dst >= 0)!;
    expect(program.outputRecords[0]).toBe(stored.offset);
    expect(program.outputs[0]).toBe(stored.dst);
    expect(checkAllocation(program)).toEqual([]);
    expect(interpret(program)).toEqual([0b11101000n]);
  });

  it('without fuse every record is stored', () => {
    const records = decode(lowerCircuit(maj3));
    expect(records.every((r) => r.dst >= 0)).toBe(true);
  });

  it('a value read twice is never fused, and outputs are always stored', () => {
    const program = lowerCircuit(build(['a', 'b', 'c'], [gate('x', 'AND', ['a', 'b']), gate('y', 'OR', ['x', 'c']), gate('z', 'XOR', ['x', 'c'])], ['y', 'z', 'x']), { fuse: true });
    const records = decode(program);
    expect(records.every((r) => r.dst >= 0)).toBe(true);
    expect(checkAllocation(program)).toEqual([]);
  });

  it('fused trees stay at most 6 levels deep along a long single-use chain', () => {
    const inputs = Array.from({ length: 4 }, (_, i) => `x${i}`);
    const nodes: NodeDescription[] = [];
    let prev = 'x0';
    for (let i = 0; i < 40; i++) {
      nodes.push(gate(`g${i}`, i % 2 === 0 ? 'AND' : 'OR', [prev, inputs[(i % 3) + 1]!]));
      prev = `g${i}`;
    }
    const program = lowerCircuit(build(inputs, nodes, [prev]), { fuse: true });
    const records = decode(program);
    expect(records.filter((r) => r.dst === -1).length).toBeGreaterThan(20);
    expect(checkAllocation(program)).toEqual([]);
  });
});

describe('allocation checker on random circuits', () => {
  it.each([false, true])('every random circuit allocates correctly and computes its outputs (fuse %s)', (fuse) => {
    fc.assert(
      fc.property(circuitArb({ maxFanIn: 7, maxGates: 40 }), (circuit) => {
        const program = lowerCircuit(circuit, { fuse });
        expect(checkAllocation(program)).toEqual([]);
        expect(interpret(program)).toEqual(scalarTables(circuit));
      }),
      { numRuns: 200 },
    );
  });

  it('the checker itself notices a slot overwritten before a fused read and a read of a never-written slot', () => {
    // Record 0 (fused): a & b. Record 1 writes slot 0 (=a). Record 2 stores (record 0) | c, reading a too late.
    const clobbered: BitProgram = {
      numInputs: 3, numSlots: 4, numOps: 3, wordOps: 3,
      ops: Int32Array.of(OP_AND, -1, 2, 0, 1, OP_XOR, 0, 2, 1, 2, OP_OR, 3, 2, -1, 2),
      outputs: Int32Array.of(3), outputRecords: Int32Array.of(10),
    };
    expect(checkAllocation(clobbered).join('\n')).toMatch(/reads slot 0: written by -2 at its position but by 1 when it runs/);
    const scratch: BitProgram = {
      numInputs: 1, numSlots: 2, numOps: 1, wordOps: 1,
      ops: Int32Array.of(OP_AND, 1, 2, 0, 1), outputs: Int32Array.of(1), outputRecords: Int32Array.of(0),
    };
    expect(checkAllocation(scratch).join('\n')).toMatch(/slot 1, which is also its argument|never written/);
  });
});
