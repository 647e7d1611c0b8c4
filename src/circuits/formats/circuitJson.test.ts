/**
 * Unit tests of the depthlab circuit JSON format (exact text written, exact
 * round trip, every schema rule with its one-line message) and of the file
 * helpers in index.ts (format choice by extension or content, one-line read
 * errors, atomic writes).
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Circuit } from '../Circuit.js';
import { CircuitBuilder } from '../CircuitBuilder.js';
import { CircuitError } from '../CircuitError.js';
import { evaluate } from '../evaluate.js';
import { circuitToJson, parseCircuitJson } from './circuitJson.js';
import { circuitToBench, readCircuitFile, writeCircuitFile } from './index.js';
import { errorOf } from '../_internals/errorOf.testing.js';


async function asyncErrorOf(f: () => Promise<unknown>): Promise<CircuitError> {
  try {
    await f();
  } catch (err) {
    if (err instanceof CircuitError) return err;
    throw err;
  }
  throw new Error('expected a CircuitError, but nothing was thrown');
}

function sample(): Circuit {
  const b = new CircuitBuilder('sample');
  const xs = b.inputs('x', 3);
  const g1 = b.gate('AND', [xs[0]!, xs[1]!], { name: 'g1' });
  const t = b.gate('THR', xs, { name: 't', param: 2 });
  const m = b.gate('MOD', [...xs, b.constant(true)], { name: 'm', param: 3 });
  b.output('y', g1).output('t', t).output('z', m);
  return b.build();
}

/** A valid document as a plain object, to break one field at a time. */
function doc(): Record<string, unknown> & { nodes: Record<string, unknown>[] } {
  return {
    format: 'depthlab-circuit',
    version: 1,
    inputs: ['x0', 'x1'],
    nodes: [
      { name: 'g1', op: 'AND', in: ['x0', 'x1'] },
      { name: 't', op: 'THR', k: 1, in: ['x0', 'g1'] },
      { name: 'one', op: 'CONST', value: 1 },
    ],
    outputs: [{ name: 'y', node: 't' }],
  };
}

describe('circuitToJson', () => {
  it('writes the documented shape, one node per line, with a trailing newline', () => {
    expect(circuitToJson(sample())).toBe([
      '{',
      '  "format": "depthlab-circuit",',
      '  "version": 1,',
      '  "name": "sample",',
      '  "inputs": ["x0", "x1", "x2"],',
      '  "nodes": [',
      '    {"name": "g1", "op": "AND", "in": ["x0", "x1"]},',
      '    {"name": "t", "op": "THR", "k": 2, "in": ["x0", "x1", "x2"]},',
      '    {"name": "_one0", "op": "CONST", "value": 1},',
      '    {"name": "m", "op": "MOD", "m": 3, "in": ["x0", "x1", "x2", "_one0"]}',
      '  ],',
      '  "outputs": [',
      '    {"name": "y", "node": "g1"},',
      '    {"name": "t", "node": "t"},',
      '    {"name": "z", "node": "m"}',
      '  ]',
      '}',
      '',
    ].join('\n'));
  });

  it('is plain JSON', () => {
    const data = JSON.parse(circuitToJson(sample())) as { nodes: unknown[] };
    expect(data.nodes).toHaveLength(4);
  });

  it('round-trips exactly, and is a fixpoint', () => {
    const c = sample();
    const text = circuitToJson(c);
    const back = parseCircuitJson(text);
    expect(back.toDescription()).toEqual(c.toDescription());
    expect(circuitToJson(back)).toBe(text);
  });

  it('writes an unnamed circuit without "name" and empty lists as []', () => {
    const c = Circuit.fromDescription({ inputs: ['x'], nodes: [], outputs: [{ name: 'y', node: 'x' }] });
    expect(circuitToJson(c)).toBe('{\n  "format": "depthlab-circuit",\n  "version": 1,\n  "inputs": ["x"],\n  "nodes": [],\n  "outputs": [\n    {"name": "y", "node": "x"}\n  ]\n}\n');
    expect(parseCircuitJson(circuitToJson(c)).toDescription()).toEqual(c.toDescription());
  });
});

describe('parseCircuitJson', () => {
  it('reads nodes in any order and constants as 0/1 or true/false', () => {
    const c = parseCircuitJson(JSON.stringify({
      format: 'depthlab-circuit',
      version: 1,
      inputs: ['a', 'b'],
      nodes: [
        { name: 'y', op: 'OR', in: ['n', 'f'] },
        { name: 'n', op: 'NOT', in: ['a'] },
        { name: 'f', op: 'CONST', value: false },
        { name: 'w', op: 'CONST', value: true },
      ],
      outputs: [{ name: 'y', node: 'y' }, { name: 'w', node: 'w' }],
    }));
    expect(c.nodes.map((n) => n.name)).toEqual(['a', 'b', 'n', 'f', 'y', 'w']);
    expect(Array.from(evaluate(c, [0, 0]))).toEqual([1, 1]);
    expect(Array.from(evaluate(c, [1, 0]))).toEqual([0, 1]);
  });

  const broken: [string, (d: ReturnType<typeof doc>) => unknown, string][] = [
    ['an unknown gate', (d) => { d.nodes[0]!.op = 'ANDD'; }, 'nodes[0].op: "ANDD" is not a gate; use one of NOT, BUF, AND, OR, NAND, NOR, XOR, XNOR, MAJ, THR, MOD, CONST'],
    ['a missing op', (d) => { delete d.nodes[2]!.op; }, 'nodes[2].op: missing, expected a gate; use one of NOT, BUF, AND, OR, NAND, NOR, XOR, XNOR, MAJ, THR, MOD, CONST'],
    ['k on a gate other than THR', (d) => { d.nodes[0]!.k = 2; }, 'nodes[0].k: unexpected key "k"; only THR nodes take "k"; remove it or change "op" to "THR"'],
    ['m on THR', (d) => { d.nodes[1]!.m = 2; }, 'nodes[1].m: unexpected key "m"; only MOD nodes take "m"; remove it or change "op" to "MOD"'],
    ['inputs on a constant', (d) => { d.nodes[2]!.in = []; }, 'nodes[2].in: unexpected key "in"; CONST nodes read no inputs; remove "in"'],
    ['THR without k', (d) => { delete d.nodes[1]!.k; }, 'nodes[1].k: missing, expected an integer threshold (THR\'s k); give THR an integer "k" in 1..(number of inputs), e.g. "k": 2'],
    ['a fractional k', (d) => { d.nodes[1]!.k = 1.5; }, 'nodes[1].k: 1.5 is not an integer threshold (THR\'s k); give THR an integer "k" in 1..(number of inputs), e.g. "k": 2'],
    ['a constant of 2', (d) => { d.nodes[2]!.value = 2; }, 'nodes[2].value: 2 is not a constant value; use "value": 0 or "value": 1'],
    ['a reference that is not a string', (d) => { d.nodes[0]!.in = ['x0', 7]; }, 'nodes[0].in[1]: 7 is not a node name; write each input reference as a string naming an input, constant or gate'],
    ['a node that is not an object', (d) => { d.nodes[1] = 'g2' as never; }, 'nodes[1]: "g2" is not a node object; write the node as {"name": "g1", "op": "AND", "in": ["x0", "x1"]}'],
    ['an unknown top-level key', (d) => { d.inptus = []; }, 'inptus: unexpected key "inptus"; remove it (allowed keys here: format, version, name, inputs, nodes, outputs)'],
    ['an unknown output key', (d) => { (d.outputs as Record<string, unknown>[])[0]!.bit = 0; }, 'outputs[0].bit: unexpected key "bit"; remove it (allowed keys here: name, node)'],
    ['a missing inputs list', (d) => { delete d.inputs; }, 'inputs: missing, expected an array of input names; list the input names, e.g. "inputs": ["x0", "x1"]'],
    ['a wrong format tag', (d) => { d.format = 'netlist'; }, 'format: "netlist" is not "depthlab-circuit"; set "format": "depthlab-circuit" (is this a depthlab circuit file?)'],
    ['a future version', (d) => { d.version = 2; }, 'version: 2 is not a supported version; set "version": 1 (the only version this reader knows)'],
    ['outputs as an object', (d) => { d.outputs = { y: 't' }; }, 'outputs: an object is not an array of outputs; list the outputs, e.g. "outputs": [{"name": "y", "node": "g1"}]'],
    ['a key that is not an identifier', (d) => { d.nodes[0]!['odd key'] = 1; }, 'nodes[0]["odd key"]: unexpected key "odd key"; remove it (allowed keys here: name, op, in, and k for THR, m for MOD, value for CONST)'],
  ];

  it.each(broken)('rejects %s with a one-line message naming the path, the value and the fix', (_what, breakIt, message) => {
    const d = doc();
    breakIt(d);
    const err = errorOf(() => parseCircuitJson(JSON.stringify(d), 'c.json'));
    expect(err.rule).toBe('format');
    expect(err.message).toBe(`c.json: ${message}`);
  });

  it('rejects a top level that is not an object', () => {
    expect(errorOf(() => parseCircuitJson('[1, 2]')).message).toBe(
      'circuit.json: top level: an array of 2 items is not a circuit object; write {"format": "depthlab-circuit", "version": 1, "inputs": [...], "nodes": [...], "outputs": [...]}',
    );
  });

  it('shortens long values', () => {
    const d = doc();
    d.nodes[0]!.op = 'A'.repeat(200);
    expect(errorOf(() => parseCircuitJson(JSON.stringify(d))).message).toBe(
      `circuit.json: nodes[0].op: "${'A'.repeat(39)}…" is not a gate; use one of NOT, BUF, AND, OR, NAND, NOR, XOR, XNOR, MAJ, THR, MOD, CONST`,
    );
  });

  it('reports invalid JSON on one line, with the position when JSON.parse gives one', () => {
    const missingComma = '{\n  "format": "depthlab-circuit",\n  "version": 1\n  "inputs": []\n}';
    const err = errorOf(() => parseCircuitJson(missingComma, 'c.json'));
    expect(err.rule).toBe('format');
    expect(err.message).toMatch(/^c\.json: invalid JSON at line 4, column 3 \(.+\); check the brackets, commas and quotes there$/);
    expect(errorOf(() => parseCircuitJson('{"format": ')).message).toMatch(/^circuit\.json: invalid JSON at the end of the text \(.+\); check/);
    expect(errorOf(() => parseCircuitJson('')).message).toMatch(/^circuit\.json: invalid JSON at the end of the text/);
    const token = errorOf(() => parseCircuitJson('{"a":\n\n  x   }')).message;
    expect(token).toMatch(/^circuit\.json: invalid JSON \(unexpected character "x" in .*\); check the brackets, commas and quotes$/);
    expect(token).not.toMatch(/[\r\n]/);
  });

  it('passes structural errors through with their rule, prefixed by the file name', () => {
    const cycle = doc();
    cycle.nodes[0]!.in = ['x0', 't'];
    const e1 = errorOf(() => parseCircuitJson(JSON.stringify(cycle), 'c.json'));
    expect(e1.rule).toBe('cycle');
    expect(e1.message).toBe('c.json: gate "g1" is on a cycle of 2 gates (g1 -> t -> g1); a circuit must be acyclic');

    const unknown = doc();
    unknown.nodes[0]!.in = ['x0', 'x9'];
    const e2 = errorOf(() => parseCircuitJson(JSON.stringify(unknown), 'c.json'));
    expect(e2.rule).toBe('unknown-reference');
    expect(e2.message).toBe('c.json: gate "g1" reads "x9", which is not declared; declare it as an input, constant or gate');

    const arity = doc();
    arity.nodes[0] = { name: 'g1', op: 'NOT', in: ['x0', 'x1'] };
    const e3 = errorOf(() => parseCircuitJson(JSON.stringify(arity), 'c.json'));
    expect(e3.rule).toBe('arity');
    expect(e3.message).toBe('c.json: gate "g1": NOT takes exactly 1 input, got 2');

    const lines = doc();
    lines.outputs = [{ name: 'a\nb', node: 't' }, { name: 'a\nb', node: 'g1' }];
    expect(errorOf(() => parseCircuitJson(JSON.stringify(lines), 'c.json')).message).toBe(
      'c.json: output name "a\\nb" is not usable: names are non-empty and contain no whitespace, parentheses, commas, \'=\' or \'#\'',
    );

    const threshold = doc();
    threshold.nodes[1]!.k = 5;
    expect(errorOf(() => parseCircuitJson(JSON.stringify(threshold), 'c.json')).message).toBe(
      'c.json: gate "t": THR threshold k must be an integer in 1..2 (its fan-in), got 5',
    );
  });
});

describe('readCircuitFile / writeCircuitFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'depthlab-formats-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes and reads back both formats, choosing by extension', async () => {
    const c = sample();
    await writeCircuitFile(join(dir, 'a.json'), c);
    expect(await readFile(join(dir, 'a.json'), 'utf8')).toBe(circuitToJson(c));
    expect((await readCircuitFile(join(dir, 'a.json'))).toDescription()).toEqual(c.toDescription());

    await writeCircuitFile(join(dir, 'a.bench'), c);
    expect(await readFile(join(dir, 'a.bench'), 'utf8')).toBe(circuitToBench(c));
    const back = await readCircuitFile(join(dir, 'a.bench'));
    expect(back.name).toBe('a');
    expect(back.inputNames()).toEqual(c.inputNames());
  });

  it('sniffs the format when the extension says nothing', async () => {
    const c = sample();
    await writeCircuitFile(join(dir, 'as-json.txt'), c, 'json');
    await writeCircuitFile(join(dir, 'as-bench.txt'), c, 'bench');
    await writeFile(join(dir, 'bom.txt'), `\uFEFF  ${circuitToJson(c)}`);
    for (const name of ['as-json.txt', 'as-bench.txt', 'bom.txt']) {
      const back = await readCircuitFile(join(dir, name));
      for (const v of [[0, 0, 0], [1, 1, 0], [1, 1, 1]]) expect(Array.from(evaluate(back, v))).toEqual(Array.from(evaluate(c, v)));
    }
  });

  it('names the file in parse errors', async () => {
    await writeFile(join(dir, 'bad.bench'), 'INPUT(a)\ng = ANDD(a)\n');
    expect((await asyncErrorOf(() => readCircuitFile(join(dir, 'bad.bench')))).message.startsWith(`${join(dir, 'bad.bench')}:2: "ANDD" is not a .bench gate`)).toBe(true);
  });

  it('reports an unreadable file on one line', async () => {
    const missing = join(dir, 'missing.json');
    const err = await asyncErrorOf(() => readCircuitFile(missing));
    expect(err.rule).toBe('format');
    expect(err.message).toBe(`cannot read ${missing}: no such file or directory`);
    expect((await asyncErrorOf(() => readCircuitFile(dir))).message).toBe(`cannot read ${dir}: it is a directory`);
  });

  it('leaves nothing behind when the write cannot happen', async () => {
    const before = await readdir(dir);
    const noDir = join(dir, 'no', 'such', 'dir', 'c.json');
    expect((await asyncErrorOf(() => writeCircuitFile(noDir, sample()))).message).toBe(`cannot write ${noDir}: its directory does not exist`);
    expect((await asyncErrorOf(() => writeCircuitFile(join(dir, 'c.txt'), sample()))).message).toMatch(/^cannot tell the format of .*c\.txt from its extension/);
    expect((await asyncErrorOf(() => writeCircuitFile(join(dir, 'strict.bench'), sample(), 'bench', { strict: true }))).message).toMatch(/^gate "t" is THR/);
    expect(await readdir(dir)).toEqual(before);
  });

  it('replaces an existing file whole, leaving no temporary files', async () => {
    const path = join(dir, 'replace.json');
    await writeFile(path, 'old contents');
    await writeCircuitFile(path, sample());
    expect(await readFile(path, 'utf8')).toBe(circuitToJson(sample()));
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
