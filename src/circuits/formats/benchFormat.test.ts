/**
 * Unit tests of the `.bench` reader and writer: the real ISCAS-85 c432 netlist
 * checked against an independent line-by-line interpreter, the dialect's
 * corners (comments, case, forward references, constants, extensions), every
 * class of malformed input with its exact one-line message, and the writer's
 * header, ordering, output renaming and strict mode.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Circuit } from '../Circuit.js';
import { CircuitBuilder } from '../CircuitBuilder.js';
import { CircuitError } from '../CircuitError.js';
import { evaluate } from '../evaluate.js';
import { circuitToBench, parseBench } from './benchFormat.js';
import { errorOf } from '../_internals/errorOf.testing.js';

const C432_TEXT = readFileSync(new URL('./fixtures/c432.bench', import.meta.url), 'utf8');

/**
 * A deliberately separate reading of a plain ISCAS netlist: regular
 * expressions per line and memoised recursion over the definitions, with the
 * gate semantics written out here rather than taken from gates.ts.
 */
function oracle(text: string): { inputs: string[]; outputs: string[]; run(bits: readonly boolean[]): number[] } {
  const inputs: string[] = [];
  const outputs: string[] = [];
  const defs = new Map<string, { op: string; args: string[] }>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    let m: RegExpExecArray | null;
    if ((m = /^INPUT\((.+)\)$/.exec(line)) !== null) inputs.push(m[1]!);
    else if ((m = /^OUTPUT\((.+)\)$/.exec(line)) !== null) outputs.push(m[1]!);
    else if ((m = /^(\S+)\s*=\s*(\w+)\((.*)\)$/.exec(line)) !== null) defs.set(m[1]!, { op: m[2]!, args: m[3]!.split(',').map((s) => s.trim()) });
    else throw new Error(`oracle cannot read: ${line}`);
  }
  return {
    inputs,
    outputs,
    run(bits) {
      const value = new Map<string, boolean>(inputs.map((n, i) => [n, bits[i]!]));
      const get = (n: string): boolean => {
        const known = value.get(n);
        if (known !== undefined) return known;
        const d = defs.get(n)!;
        const a = d.args.map(get);
        const ones = a.filter(Boolean).length;
        const v = d.op === 'AND' ? ones === a.length
          : d.op === 'NAND' ? ones !== a.length
          : d.op === 'OR' ? ones > 0
          : d.op === 'NOR' ? ones === 0
          : d.op === 'XOR' ? ones % 2 === 1
          : d.op === 'NOT' ? !a[0]
          : (() => { throw new Error(`oracle: gate ${d.op}`); })();
        value.set(n, v);
        return v;
      };
      return outputs.map((o) => (get(o) ? 1 : 0));
    },
  };
}

/** Deterministic input vectors (xorshift32), so failures reproduce. */
function vectors(width: number, count: number, seed = 0x9e3779b9): boolean[][] {
  let s = seed >>> 0 || 1;
  const bit = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return (s & 1) === 1;
  };
  return Array.from({ length: count }, () => Array.from({ length: width }, bit));
}

function gateCounts(c: Circuit): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of c.nodes) if (n.type === 'gate') counts[n.gate] = (counts[n.gate] ?? 0) + 1;
  return counts;
}


describe('parseBench on ISCAS-85 c432', () => {
  const c432 = parseBench(C432_TEXT, 'c432.bench');
  const ref = oracle(C432_TEXT);

  it('has the published size: 36 inputs, 7 outputs, 160 gates', () => {
    expect(c432.inputs.length).toBe(36);
    expect(c432.outputs.length).toBe(7);
    expect(c432.size).toBe(160);
    expect(gateCounts(c432)).toEqual({ AND: 4, NAND: 79, NOR: 19, NOT: 40, XOR: 18 });
    expect(c432.name).toBe('c432');
  });

  it('keeps the file order of inputs and outputs, and the numeric node names', () => {
    expect(c432.inputNames()).toEqual(ref.inputs);
    expect(c432.inputNames().slice(0, 4)).toEqual(['1', '4', '8', '11']);
    expect(c432.outputs.map((o) => o.name)).toEqual(['223', '329', '370', '421', '430', '431', '432']);
    for (const o of c432.outputs) expect(c432.node(o.node).name).toBe(o.name);
  });

  it('computes the hand-checked outputs on all-zeros, all-ones and every-third-bit inputs', () => {
    const zeros = Array<boolean>(36).fill(false);
    const ones = Array<boolean>(36).fill(true);
    const third = Array.from({ length: 36 }, (_, i) => i % 3 === 0);
    expect(Array.from(evaluate(c432, zeros))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(evaluate(c432, ones))).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(Array.from(evaluate(c432, third))).toEqual([1, 1, 1, 1, 0, 0, 0]);
    for (const v of [zeros, ones, third]) expect(Array.from(evaluate(c432, v))).toEqual(ref.run(v));
  });

  it('agrees with the independent interpreter on 200 pseudo-random inputs', () => {
    for (const v of vectors(36, 200)) expect(Array.from(evaluate(c432, v))).toEqual(ref.run(v));
  });

  it('survives an export/import round trip: same names, size, and outputs', () => {
    const text = circuitToBench(c432);
    expect(text.startsWith('# depthlab circuit "c432"\n# 36 inputs\n# 7 outputs\n# 160 gates (40 NOT, 4 AND, 79 NAND, 19 NOR, 18 XOR)\n')).toBe(true);
    const back = parseBench(text, 'c432.bench');
    expect(back.toDescription()).toEqual(c432.toDescription());
    expect(back.size).toBe(160);
    for (const v of vectors(36, 100, 7)) expect(Array.from(evaluate(back, v))).toEqual(Array.from(evaluate(c432, v)));
    // The export is plain ISCAS, so the independent interpreter reads it too.
    const again = oracle(text);
    for (const v of vectors(36, 50, 11)) expect(again.run(v)).toEqual(ref.run(v));
    expect(circuitToBench(c432, { strict: true })).toBe(text);
  });
});

describe('parseBench dialect', () => {
  it('tolerates comments, blank lines, free whitespace, any case and CRLF', () => {
    const c = parseBench([
      '# a comment line',
      '',
      '  input ( a )   # trailing comment',
      'Input(b)',
      '\toutput(y)',
      'y=nand( a ,b )',
      '',
    ].join('\r\n'));
    expect(c.inputNames()).toEqual(['a', 'b']);
    expect(Array.from(evaluate(c, [1, 1]))).toEqual([0]);
    expect(Array.from(evaluate(c, [1, 0]))).toEqual([1]);
  });

  it('accepts references before definitions', () => {
    const c = parseBench('OUTPUT(y)\ny = AND(t, c)\nt = NOT(a)\nINPUT(a)\nINPUT(c)\n');
    expect(c.inputNames()).toEqual(['a', 'c']);
    expect(Array.from(evaluate(c, [0, 1]))).toEqual([1]);
    expect(Array.from(evaluate(c, [1, 1]))).toEqual([0]);
  });

  it('reads BUFF and BUF as BUF, and node names with odd characters', () => {
    const c = parseBench('INPUT(1gat)\nINPUT(x.y[3])\nOUTPUT(p)\nOUTPUT(q)\np = BUFF(1gat)\nq = buf(x.y[3])\n');
    expect(gateCounts(c)).toEqual({ BUF: 2 });
    expect(Array.from(evaluate(c, [1, 0]))).toEqual([1, 0]);
  });

  it('reads constants: vdd, gnd in any case, CONST1() and CONST0()', () => {
    const c = parseBench('INPUT(a)\nOUTPUT(y)\nOUTPUT(z)\nOUTPUT(w)\nOUTPUT(v)\nh = VDD\nl = gnd\ny = AND(a, h)\nz = OR(a, l)\nw = CONST1()\nv = const0( )\n');
    expect(c.size).toBe(2);
    expect(c.nodes.filter((n) => n.type === 'const').map((n) => n.name)).toEqual(['h', 'l', 'w', 'v']);
    expect(Array.from(evaluate(c, [1]))).toEqual([1, 1, 1, 0]);
    expect(Array.from(evaluate(c, [0]))).toEqual([0, 0, 1, 0]);
  });

  it('reads the depthlab extensions MAJ, THR<k> and MOD<m>', () => {
    const c = parseBench('INPUT(a)\nINPUT(b)\nINPUT(c)\nOUTPUT(m)\nOUTPUT(t)\nOUTPUT(r)\nm = MAJ(a, b, c)\nt = thr3(a, b, c)\nr = MOD2(a, b, c)\n');
    expect(c.nodes.filter((n) => n.type === 'gate').map((n) => (n.type === 'gate' ? [n.gate, n.param] : []))).toEqual([['MAJ', 0], ['THR', 3], ['MOD', 2]]);
    expect(Array.from(evaluate(c, [1, 1, 0]))).toEqual([1, 0, 1]);
    expect(Array.from(evaluate(c, [1, 1, 1]))).toEqual([1, 1, 0]);
  });

  it('lets an output name an input, and a node be named like a keyword', () => {
    const c = parseBench('INPUT(INPUT)\nOUTPUT(INPUT)\nOUTPUT(vdd)\nvdd = NOT(INPUT)\n');
    expect(c.outputs.map((o) => o.name)).toEqual(['INPUT', 'vdd']);
    expect(Array.from(evaluate(c, [1]))).toEqual([1, 0]);
  });
});

describe('parseBench errors', () => {
  const cases: [string, string, string][] = [
    ['unbalanced parentheses in a gate', 'INPUT(a)\nINPUT(b)\ng = AND(a, b\nOUTPUT(g)', 'c.bench:3: AND( is missing its ")" after "b"; close the argument list'],
    ['unbalanced parentheses in INPUT', 'INPUT(a', 'c.bench:1: INPUT(a is missing its ")", found the end of the line; write INPUT(a)'],
    ['an extra closing parenthesis', 'INPUT(a)\ng = NOT(a))\nOUTPUT(g)', 'c.bench:2: unexpected ")" after the ")" of NOT(...); put one statement per line'],
    ['a missing "="', 'INPUT(a)\ng AND(a, a)', 'c.bench:2: missing "=" between "g" and "AND"; write g = AND(...)'],
    ['an empty argument list', 'INPUT(a)\ng = AND()\nOUTPUT(g)', 'c.bench:2: AND() has no inputs; list at least one, e.g. g = AND(a, b)'],
    ['an empty argument', 'INPUT(a)\ng = OR(a,,a)', 'c.bench:2: empty argument in OR(...) before ","; remove the extra ","'],
    ['a missing comma', 'INPUT(a)\ng = OR(a a)', 'c.bench:2: missing "," between "a" and "a" in OR(...)'],
    ['an unknown gate', 'INPUT(a)\n\ng = ANDD(a)', 'c.bench:3: "ANDD" is not a .bench gate; use one of AND, OR, NAND, NOR, XOR, XNOR, NOT, BUFF, or the depthlab extensions MAJ, THR<k>, MOD<m> (constants: vdd, gnd)'],
    ['a flip-flop', 'INPUT(G0)\n# state\n\n\n\n\n\n\n\n\n\nG5 = DFF(G0)', 'c.bench:12: DFF "G5" is a sequential element; depthlab circuits are combinational (ISCAS-89 sequential netlists are not supported — cut the flip-flops into inputs/outputs first)'],
    ['an input declared twice', 'INPUT(a)\nINPUT(a)', 'c.bench:2: "a" is already defined on line 1; give every input and gate its own name'],
    ['a gate defined twice', 'INPUT(a)\nOUTPUT(g)\ng = NOT(a)\ng = BUFF(a)', 'c.bench:4: "g" is already defined on line 3; give every input and gate its own name'],
    ['a gate named like an input', 'INPUT(a)\na = NOT(a)', 'c.bench:2: "a" is already defined on line 1; give every input and gate its own name'],
    ['an output declared twice', 'INPUT(a)\nOUTPUT(a)\nOUTPUT(a)', 'c.bench:3: OUTPUT(a) is already declared on line 2; list each output once'],
    ['an output of an undefined node', 'INPUT(a)\nOUTPUT(z)', 'c.bench:2: OUTPUT(z) names "z", which is never defined; define z = GATE(...) or declare INPUT(z)'],
    ['an undefined reference', 'INPUT(a)\nOUTPUT(g)\ng = AND(a, q)', 'c.bench:3: gate "g" reads "q", which is never defined; declare INPUT(q) or define q = GATE(...), or fix the name'],
    ['a cycle', 'INPUT(a)\nOUTPUT(g)\ng = AND(a, h)\nh = OR(g, a)', 'c.bench:3: gate "g" is on a cycle of 2 gates (g -> h -> g); a circuit must be acyclic'],
    ['no outputs', 'INPUT(a)\ng = NOT(a)\n', 'c.bench:3: the netlist has no OUTPUT(...) line; declare at least one output, e.g. OUTPUT(y)'],
    ['an empty file', '', 'c.bench:1: the netlist has no OUTPUT(...) line; declare at least one output, e.g. OUTPUT(y)'],
    ['NOT of two inputs', 'INPUT(a)\ng = NOT(a, a)', 'c.bench:2: NOT takes exactly 1 input, got 2 (a, a); give "g" one input'],
    ['a threshold above the fan-in', 'INPUT(a)\ng = THR3(a, a)', 'c.bench:2: THR3: THR threshold k must be an integer in 1..2 (its fan-in), got 3; fix the number in "THR3"'],
    ['a modulus below 2', 'INPUT(a)\ng = MOD1(a)', 'c.bench:2: MOD1: MOD modulus m must be an integer >= 2, got 1; fix the number in "MOD1"'],
    ['THR without its k', 'INPUT(a)\ng = THR(a)', 'c.bench:2: THR needs its parameter k in the name: write THR<k>(...), e.g. THR2(a, b, c)'],
    ['an alias without a gate', 'INPUT(a)\ng = a', 'c.bench:2: "g = a" is not a gate; write g = BUFF(a) to copy a node, or g = vdd / g = gnd for a constant'],
    ['nothing after "="', 'g =', 'c.bench:1: nothing after "g ="; write g = GATE(inputs), g = vdd or g = gnd'],
    ['an unnamed gate', 'AND(a, b)', 'c.bench:1: "AND(" is not a statement; a gate needs a name: write name = AND(...)'],
    ['an unknown keyword', 'WIRE(a)', 'c.bench:1: "WIRE(" is not a statement; write INPUT(name), OUTPUT(name) or name = GATE(inputs)'],
    ['two names in INPUT', 'INPUT(a, b)', 'c.bench:1: INPUT(a, …) lists several nodes; write one INPUT(name) line per node'],
    ['an empty INPUT', 'INPUT()', 'c.bench:1: INPUT() names no node; write INPUT(name)'],
    ['a stray word', 'INPUT(a)\nhello', 'c.bench:2: "hello" alone is not a statement; write INPUT(name), OUTPUT(name) or name = GATE(inputs)'],
    ['a line starting with punctuation', ') = AND(a)', 'c.bench:1: a statement cannot start with ")"; write INPUT(name), OUTPUT(name) or name = GATE(inputs)'],
    ['a constant with inputs', 'INPUT(a)\nc = CONST1(a)', 'c.bench:2: CONST1() takes no inputs, got 1; write c = CONST1()'],
    ['a nested call', 'INPUT(a)\ng = AND(NOT(a))', 'c.bench:2: unexpected "(" after "NOT" inside AND(...); arguments are node names, not expressions'],
  ];

  it.each(cases)('%s', (_what, text, message) => {
    const err = errorOf(() => parseBench(text, 'c.bench'));
    expect(err.rule).toBe('format');
    expect(err.message).toBe(message);
    expect(err.message).not.toMatch(/[\r\n]/);
  });

  it('names the default source circuit.bench', () => {
    expect(errorOf(() => parseBench('INPUT(a)\nINPUT(a)')).message.startsWith('circuit.bench:2: ')).toBe(true);
  });
});

describe('circuitToBench', () => {
  it('writes the header, INPUT and OUTPUT lines in order, then gates in topological order', () => {
    const b = new CircuitBuilder('demo');
    const [x, y] = [b.input('x'), b.input('y')];
    const n = b.gate('NOT', [x], { name: 'n' });
    const g = b.gate('AND', [n, y], { name: 'g' });
    b.output('g', g).output('n', n);
    expect(circuitToBench(b.build())).toBe([
      '# depthlab circuit "demo"',
      '# 2 inputs',
      '# 2 outputs',
      '# 2 gates (1 NOT, 1 AND)',
      '',
      'INPUT(x)',
      'INPUT(y)',
      '',
      'OUTPUT(g)',
      'OUTPUT(n)',
      '',
      'n = NOT(x)',
      'g = AND(n, y)',
      '',
    ].join('\n'));
  });

  it('writes the extensions and constants, and marks the header', () => {
    const b = new CircuitBuilder();
    const xs = b.inputs('x', 3);
    b.output('m', b.gate('MAJ', xs, { name: 'm' }));
    b.output('t', b.gate('THR', xs, { name: 't', param: 2 }));
    b.output('r', b.gate('MOD', xs, { name: 'r', param: 3 }));
    b.output('k', b.gate('OR', [xs[0]!, b.constant(true), b.constant(false)], { name: 'k' }));
    const text = circuitToBench(b.build());
    expect(text).toContain('# depthlab circuit\n# 3 inputs\n# 4 outputs\n# 4 gates (1 OR, 1 MAJ, 1 THR, 1 MOD)\n# 2 constants\n# uses depthlab extensions');
    expect(text).toContain('\nm = MAJ(x0, x1, x2)\nt = THR2(x0, x1, x2)\nr = MOD3(x0, x1, x2)\n_one0 = vdd\n_zero1 = gnd\nk = OR(x0, _one0, _zero1)\n');
    const back = parseBench(text);
    expect(back.toDescription().nodes).toEqual(b.build().toDescription().nodes);
  });

  it('renames a gate to its output name when nothing else claims either', () => {
    const b = new CircuitBuilder();
    const [x, y] = [b.input('x'), b.input('y')];
    const g = b.gate('XOR', [x, y], { name: 'g' });
    b.output('sum', g).output('carry', b.gate('AND', [x, y], { name: 'c' }));
    const text = circuitToBench(b.build());
    expect(text).toContain('\nOUTPUT(sum)\nOUTPUT(carry)\n\nsum = XOR(x, y)\ncarry = AND(x, y)\n');
    const back = parseBench(text);
    expect(back.size).toBe(2);
    expect(back.outputs.map((o) => o.name)).toEqual(['sum', 'carry']);
  });

  it('renames references to a renamed gate', () => {
    const b = new CircuitBuilder();
    const x = b.input('x');
    const n = b.gate('NOT', [x], { name: 'n' });
    b.output('y', n).output('z', b.gate('NOT', [n], { name: 'nn' }));
    expect(circuitToBench(b.build())).toContain('\ny = NOT(x)\nz = NOT(y)\n');
  });

  it('reads a node through BUFF when it is an input, a shared gate, or its name is taken', () => {
    const b = new CircuitBuilder();
    const [x, y] = [b.input('x'), b.input('y')];
    const g = b.gate('OR', [x, y], { name: 'g' });
    b.output('copy', x).output('g', g).output('again', g);
    const text = circuitToBench(b.build());
    expect(text).toContain('\ng = OR(x, y)\ncopy = BUFF(x)\nagain = BUFF(g)\n');
    expect(text).toContain('# 3 gates (2 BUFF, 1 OR)');
    const back = parseBench(text);
    expect(back.outputs.map((o) => o.name)).toEqual(['copy', 'g', 'again']);
    for (const v of [[0, 0], [1, 0], [0, 1]]) expect(Array.from(evaluate(back, v))).toEqual(Array.from(evaluate(b.build(), v)));
  });

  it('swaps names through a rename when an output is called like another gate', () => {
    const c = Circuit.fromDescription({
      inputs: ['x'],
      nodes: [
        { type: 'gate', name: 'a', gate: 'NOT', inputs: ['x'] },
        { type: 'gate', name: 'b', gate: 'BUF', inputs: ['x'] },
      ],
      outputs: [{ name: 'out', node: 'a' }, { name: 'a', node: 'b' }],
    });
    const back = parseBench(circuitToBench(c));
    expect(back.outputs.map((o) => o.name)).toEqual(['out', 'a']);
    expect(Array.from(evaluate(back, [1]))).toEqual([0, 1]);
  });

  it('refuses an output named like a node it cannot free', () => {
    const c = Circuit.fromDescription({
      inputs: ['x'],
      nodes: [{ type: 'gate', name: 'g', gate: 'NOT', inputs: ['x'] }],
      outputs: [{ name: 'x', node: 'g' }],
    });
    const err = errorOf(() => circuitToBench(c));
    expect(err.message).toBe('output "x" reads "g", but "x" is also the name of another node; .bench names each output by its node, so rename the output or write the circuit as JSON');
  });

  it('never meets an output name that .bench cannot spell: circuits refuse them', () => {
    const err = errorOf(() => Circuit.fromDescription({ inputs: ['x'], nodes: [], outputs: [{ name: 'out put', node: 'x' }] }));
    expect(err.rule).toBe('format');
    expect(err.message).toBe('output name "out put" is not usable: names are non-empty and contain no whitespace, parentheses, commas, \'=\' or \'#\'');
  });

  it('in strict mode refuses the extensions and constants, naming the node and suggesting JSON', () => {
    const b = new CircuitBuilder();
    const xs = b.inputs('x', 3);
    b.output('t', b.gate('THR', xs, { name: 't', param: 2 }));
    expect(errorOf(() => circuitToBench(b.build(), { strict: true })).message).toBe(
      'gate "t" is THR, which ISCAS .bench has no gate for; write the circuit as JSON (circuitToJson), or export without strict to use the depthlab extension THR2(...)',
    );
    const k = new CircuitBuilder();
    k.input('x');
    k.output('one', k.gate('BUF', [k.constant(true)], { name: 'one' }));
    const err = errorOf(() => circuitToBench(k.build(), { strict: true }));
    expect(err.rule).toBe('format');
    expect(err.message).toBe('node "_one0" is a constant, which strict ISCAS .bench cannot express; write the circuit as JSON (circuitToJson), or export without strict to write "_one0 = vdd"');
  });

  it('keeps a circuit name with newlines inside the header comment', () => {
    const b = new CircuitBuilder('two\nlines');
    b.output('y', b.gate('NOT', [b.input('x')], { name: 'y' }));
    const text = circuitToBench(b.build());
    expect(text.split('\n')[0]).toBe('# depthlab circuit "two\\nlines"');
    expect(parseBench(text).size).toBe(1);
  });
});
