/**
 * The ISCAS-85 `.bench` netlist format (as used by c17 … c7552 and by ABC):
 *
 *   # comment to the end of the line
 *   INPUT(1)
 *   OUTPUT(22)
 *   10 = NAND(1, 3)
 *   22 = NAND(10, 16)
 *
 * One statement per line; whitespace is free; keywords and gate names are
 * case-insensitive, node names are not. A node name is any run of characters
 * other than whitespace, parentheses, commas, '=' and '#'. Statements may come
 * in any order: a gate may read a node defined further down. `OUTPUT(y)` names
 * a node, and becomes an output called y reading node y.
 *
 * Gates: AND, OR, NAND, NOR, XOR, XNOR (any fan-in), NOT, BUFF (alias BUF).
 * Constants: `g = vdd`, `g = gnd` (any case), or `g = CONST1()`, `g = CONST0()`.
 * depthlab extensions, which other tools will not read:
 *   MAJ(a, b, c)      strict majority
 *   THR<k>(…)         at least k inputs true, e.g. THR2(a, b, c)
 *   MOD<m>(…)         number of true inputs divisible by m, e.g. MOD3(a, b, c)
 * DFF (ISCAS-89 flip-flops) is refused: depthlab circuits are combinational.
 *
 * Every error is a CircuitError('format') with a one-line message
 * `source:LINE: …` naming the token and the fix; malformed text never raises
 * anything else.
 */
import { Circuit, type NodeDescription, type OutputDescription } from '../Circuit.js';
import { CircuitError } from '../CircuitError.js';
import { GATE_KINDS, GATES, type GateKind } from '../gates.js';

export interface BenchWriteOptions {
  /** Refuse MAJ/THR/MOD and constants, so that any ISCAS tool can read the file. */
  readonly strict?: boolean;
}

type Statement =
  | { readonly kind: 'input'; readonly name: string; readonly line: number }
  | { readonly kind: 'output'; readonly name: string; readonly line: number }
  | { readonly kind: 'node'; readonly node: NodeDescription; readonly line: number };

const ISCAS_GATES: Readonly<Record<string, GateKind>> = {
  AND: 'AND', OR: 'OR', NAND: 'NAND', NOR: 'NOR', XOR: 'XOR', XNOR: 'XNOR', NOT: 'NOT', BUFF: 'BUF', BUF: 'BUF', MAJ: 'MAJ',
};
const GATE_LIST = 'AND, OR, NAND, NOR, XOR, XNOR, NOT, BUFF, or the depthlab extensions MAJ, THR<k>, MOD<m> (constants: vdd, gnd)';
const STATEMENT_FORMS = 'INPUT(name), OUTPUT(name) or name = GATE(inputs)';

const isPunct = (t: string | undefined) => t === '(' || t === ')' || t === ',' || t === '=';
const show = (t: string | undefined) => (t === undefined ? 'the end of the line' : `"${t}"`);

/**
 * Reads a `.bench` netlist. `source` names the file in error messages, and its
 * base name without `.bench` becomes the circuit's name (the format has no
 * name field, and `c432.bench` should give a circuit called c432).
 */
export function parseBench(text: string, source = 'circuit.bench'): Circuit {
  const fail = (line: number, message: string): never => {
    throw new CircuitError('format', `${source}:${line}: ${message}`, `${source}:${line}`);
  };
  const lines = text.split(/\r\n|\r|\n/);
  const statements: Statement[] = [];
  lines.forEach((raw, i) => {
    const hash = raw.indexOf('#');
    const tokens = tokenize(hash < 0 ? raw : raw.slice(0, hash));
    if (tokens.length > 0) statements.push(parseStatement(tokens, i + 1, fail));
  });

  const defined = new Map<string, number>();
  const inputs: string[] = [];
  const nodes: NodeDescription[] = [];
  const outputs: OutputDescription[] = [];
  const outputLines = new Map<string, number>();
  const gateLines: number[] = [];
  for (const s of statements) {
    if (s.kind === 'output') {
      const first = outputLines.get(s.name);
      if (first !== undefined) fail(s.line, `OUTPUT(${s.name}) is already declared on line ${first}; list each output once`);
      outputLines.set(s.name, s.line);
      outputs.push({ name: s.name, node: s.name });
      continue;
    }
    const name = s.kind === 'input' ? s.name : s.node.name;
    const first = defined.get(name);
    if (first !== undefined) fail(s.line, `"${name}" is already defined on line ${first}; give every input and gate its own name`);
    defined.set(name, s.line);
    if (s.kind === 'input') inputs.push(name);
    else {
      nodes.push(s.node);
      gateLines.push(s.line);
    }
  }
  nodes.forEach((node, i) => {
    if (node.type !== 'gate') return;
    for (const ref of node.inputs) {
      if (!defined.has(ref)) fail(gateLines[i]!, `gate "${node.name}" reads "${ref}", which is never defined; declare INPUT(${ref}) or define ${ref} = GATE(...), or fix the name`);
    }
  });
  for (const out of outputs) {
    if (!defined.has(out.node)) fail(outputLines.get(out.name)!, `OUTPUT(${out.name}) names "${out.name}", which is never defined; define ${out.name} = GATE(...) or declare INPUT(${out.name})`);
  }
  if (outputs.length === 0) fail(lines.length, 'the netlist has no OUTPUT(...) line; declare at least one output, e.g. OUTPUT(y)');

  const base = source.split(/[\\/]/).pop() ?? '';
  const name = base.replace(/\.bench$/i, '');
  try {
    return Circuit.fromDescription({ ...(name === '' ? {} : { name }), inputs, nodes, outputs });
  } catch (err) {
    // The checks above leave only what needs the whole graph (cycles); point at the node's line.
    if (!(err instanceof CircuitError)) throw err;
    const line = (err.where === undefined ? undefined : defined.get(err.where) ?? outputLines.get(err.where)) ?? 1;
    return fail(line, err.message);
  }
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /[^\s(),=#]+|[(),=]/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) tokens.push(m[0]);
  return tokens;
}

function parseStatement(tokens: readonly string[], line: number, fail: (line: number, message: string) => never): Statement {
  const [first, second] = tokens;
  if (first === undefined || isPunct(first)) {
    return fail(line, `a statement cannot start with ${show(first)}; write ${STATEMENT_FORMS}`);
  }
  if (second === '(') {
    const keyword = first.toUpperCase();
    if (keyword !== 'INPUT' && keyword !== 'OUTPUT') {
      const hint = gateKindOf(first) !== undefined || keyword === 'DFF' ? `a gate needs a name: write name = ${first}(...)` : `write ${STATEMENT_FORMS}`;
      return fail(line, `"${first}(" is not a statement; ${hint}`);
    }
    const [, , name, close, extra] = tokens;
    if (name === ')') return fail(line, `${keyword}() names no node; write ${keyword}(name)`);
    if (name === undefined || isPunct(name)) return fail(line, `${keyword}( is followed by ${show(name)}; write ${keyword}(name)`);
    if (close === ',') return fail(line, `${keyword}(${name}, …) lists several nodes; write one ${keyword}(name) line per node`);
    if (close !== ')') return fail(line, `${keyword}(${name} is missing its ")", found ${show(close)}; write ${keyword}(${name})`);
    if (extra !== undefined) return fail(line, `unexpected ${show(extra)} after ${keyword}(${name}); put one statement per line`);
    return keyword === 'INPUT' ? { kind: 'input', name, line } : { kind: 'output', name, line };
  }
  if (second === '=') return { kind: 'node', node: parseDefinition(first, tokens.slice(2), line, fail), line };
  if (second === undefined) return fail(line, `"${first}" alone is not a statement; write ${STATEMENT_FORMS}`);
  if (!isPunct(second) && tokens[2] === '(') return fail(line, `missing "=" between "${first}" and "${second}"; write ${first} = ${second}(...)`);
  return fail(line, `unexpected ${show(second)} after "${first}"; write ${STATEMENT_FORMS}`);
}

/** The right-hand side of `name = …`. */
function parseDefinition(name: string, rhs: readonly string[], line: number, fail: (line: number, message: string) => never): NodeDescription {
  const [head, open] = rhs;
  if (head === undefined) return fail(line, `nothing after "${name} ="; write ${name} = GATE(inputs), ${name} = vdd or ${name} = gnd`);
  if (isPunct(head)) return fail(line, `expected a gate after "${name} =", found ${show(head)}; write ${name} = GATE(inputs)`);
  const upper = head.toUpperCase();
  if (open === undefined) {
    if (upper === 'VDD' || upper === 'GND') return { type: 'const', name, value: upper === 'VDD' };
    return fail(line, `"${name} = ${head}" is not a gate; write ${name} = BUFF(${head}) to copy a node, or ${name} = vdd / ${name} = gnd for a constant`);
  }
  if (open !== '(') return fail(line, `expected "(" after "${head}", found ${show(open)}; write ${name} = ${head}(inputs)`);

  if (upper === 'DFF') {
    return fail(line, `DFF "${name}" is a sequential element; depthlab circuits are combinational (ISCAS-89 sequential netlists are not supported — cut the flip-flops into inputs/outputs first)`);
  }
  const gate = gateKindOf(head);
  const isConst = upper === 'CONST0' || upper === 'CONST1';
  if (gate === undefined && !isConst) {
    if (upper === 'THR' || upper === 'MOD') {
      const p = upper === 'THR' ? 'k' : 'm';
      return fail(line, `${upper} needs its parameter ${p} in the name: write ${upper}<${p}>(...), e.g. ${upper === 'THR' ? 'THR2' : 'MOD3'}(a, b, c)`);
    }
    return fail(line, `"${head}" is not a .bench gate; use one of ${GATE_LIST}`);
  }

  const args = parseArguments(head, rhs, line, fail);
  if (isConst) {
    if (args.length > 0) return fail(line, `${upper}() takes no inputs, got ${args.length}; write ${name} = ${upper}()`);
    return { type: 'const', name, value: upper === 'CONST1' };
  }
  const kind = gate!.kind;
  const spec = GATES[kind];
  if (args.length === 0) return fail(line, `${head}() has no inputs; list at least one, e.g. ${name} = ${head}(a${spec.maxFanIn > 1 ? ', b' : ''})`);
  if (args.length < spec.minFanIn || args.length > spec.maxFanIn) {
    return fail(line, `${head} takes exactly ${spec.minFanIn} input, got ${args.length} (${args.join(', ')}); give "${name}" one input`);
  }
  if (gate!.param === undefined) return { type: 'gate', name, gate: kind, inputs: args };
  const problem = spec.checkParam?.(gate!.param, args.length);
  if (problem !== undefined) return fail(line, `${head}: ${problem}, got ${gate!.param}; fix the number in "${head}"`);
  return { type: 'gate', name, gate: kind, inputs: args, param: gate!.param };
}

/** `KIND(a, b, …)` starting at rhs[0]; returns the argument names. */
function parseArguments(head: string, rhs: readonly string[], line: number, fail: (line: number, message: string) => never): string[] {
  const args: string[] = [];
  let i = 2;
  if (rhs[i] === ')') i++;
  else {
    for (;;) {
      const arg = rhs[i];
      if (arg === undefined) return fail(line, `${head}( is missing its ")"; close the argument list`);
      if (arg === ',' || arg === ')') return fail(line, `empty argument in ${head}(...) before ${show(arg)}; remove the extra ","`);
      if (isPunct(arg)) return fail(line, `unexpected ${show(arg)} inside ${head}(...); arguments are node names separated by ","`);
      args.push(arg);
      const sep = rhs[i + 1];
      i += 2;
      if (sep === ',') continue;
      if (sep === ')') break;
      if (sep === undefined) return fail(line, `${head}( is missing its ")" after "${arg}"; close the argument list`);
      if (sep === '(' || sep === '=') return fail(line, `unexpected ${show(sep)} after "${arg}" inside ${head}(...); arguments are node names, not expressions`);
      return fail(line, `missing "," between "${arg}" and "${sep}" in ${head}(...)`);
    }
  }
  if (i < rhs.length) return fail(line, `unexpected ${show(rhs[i])} after the ")" of ${head}(...); put one statement per line`);
  return args;
}

/** A gate name of the file (case-insensitive): ISCAS gates, MAJ, THR<k>, MOD<m>. */
function gateKindOf(head: string): { kind: GateKind; param?: number } | undefined {
  const upper = head.toUpperCase();
  const plain = ISCAS_GATES[upper];
  if (plain !== undefined) return { kind: plain };
  const m = /^(THR|MOD)(\d+)$/.exec(upper);
  if (m === null) return undefined;
  return { kind: m[1] === 'THR' ? 'THR' : 'MOD', param: Number(m[2]) };
}

// ---------------------------------------------------------------- writing

/**
 * The circuit as `.bench` text: a `# depthlab` header with the counts, INPUT
 * lines in input order, OUTPUT lines in output order, then one line per gate
 * in topological order.
 *
 * `.bench` names an output by its node, so an output whose name differs from
 * its node's takes the gate's place under the output name when nothing else
 * claims either name, and otherwise reads the node through `name = BUFF(node)`.
 */
export function circuitToBench(circuit: Circuit, options: BenchWriteOptions = {}): string {
  const nodes = circuit.nodes;
  if (options.strict === true) {
    for (const n of nodes) {
      if (n.type === 'const') {
        throw new CircuitError('format', `node "${n.name}" is a constant, which strict ISCAS .bench cannot express; write the circuit as JSON (circuitToJson), or export without strict to write "${n.name} = ${n.value ? 'vdd' : 'gnd'}"`, n.name);
      }
      if (n.type === 'gate' && GATES[n.gate].bench === undefined) {
        throw new CircuitError('format', `gate "${n.name}" is ${n.gate}, which ISCAS .bench has no gate for; write the circuit as JSON (circuitToJson), or export without strict to use the depthlab extension ${benchGateName(n.gate, n.param)}(...)`, n.name);
      }
    }
  }

  const fileName = nodes.map((n) => n.name);
  const original = new Set(fileName);
  const readers = new Map<number, number>();
  for (const o of circuit.outputs) readers.set(o.node, (readers.get(o.node) ?? 0) + 1);
  const buffers: { name: string; node: number }[] = [];
  for (const o of circuit.outputs) {
    const node = nodes[o.node]!;
    if (o.name === node.name) continue;
    if (!original.has(o.name) && node.type === 'gate' && readers.get(o.node) === 1) fileName[o.node] = o.name;
    else buffers.push({ name: o.name, node: o.node });
  }
  const taken = new Set(fileName);
  for (const b of buffers) {
    if (taken.has(b.name)) {
      throw new CircuitError('format', `output "${b.name}" reads "${nodes[b.node]!.name}", but "${b.name}" is also the name of another node; .bench names each output by its node, so rename the output or write the circuit as JSON`, b.name);
    }
    taken.add(b.name);
  }

  const body: string[] = [];
  const counts = new Map<string, number>();
  let constants = 0;
  let extensions = false;
  const count = (kind: string) => counts.set(kind, (counts.get(kind) ?? 0) + 1);
  nodes.forEach((n, id) => {
    if (n.type === 'const') {
      constants++;
      extensions = true;
      body.push(`${fileName[id]} = ${n.value ? 'vdd' : 'gnd'}`);
    } else if (n.type === 'gate') {
      const kind = benchGateName(n.gate, n.param);
      if (GATES[n.gate].bench === undefined) extensions = true;
      count(GATES[n.gate].bench ?? n.gate);
      body.push(`${fileName[id]} = ${kind}(${n.inputs.map((i) => fileName[i]).join(', ')})`);
    }
  });
  for (const b of buffers) {
    count('BUFF');
    body.push(`${b.name} = BUFF(${fileName[b.node]})`);
  }

  const gates = body.length - constants;
  const byKind = GATE_KINDS.map((k) => GATES[k].bench ?? k)
    .filter((k) => counts.has(k))
    .map((k) => `${counts.get(k)} ${k}`);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const header = [
    circuit.name === undefined ? '# depthlab circuit' : `# depthlab circuit ${JSON.stringify(circuit.name)}`,
    `# ${plural(circuit.inputs.length, 'input')}`,
    `# ${plural(circuit.outputs.length, 'output')}`,
    `# ${plural(gates, 'gate')}${byKind.length === 0 ? '' : ` (${byKind.join(', ')})`}`,
    ...(constants === 0 ? [] : [`# ${plural(constants, 'constant')}`]),
    ...(extensions ? ['# uses depthlab extensions of .bench (MAJ, THR<k>, MOD<m>, vdd/gnd); other tools may not read them'] : []),
  ];
  return [
    ...header,
    '',
    ...circuit.inputs.map((id) => `INPUT(${fileName[id]})`),
    '',
    ...circuit.outputs.map((o) => `OUTPUT(${o.name})`),
    '',
    ...body,
    '',
  ].join('\n');
}

function benchGateName(gate: GateKind, param: number): string {
  const spec = GATES[gate];
  if (spec.bench !== undefined) return spec.bench;
  return spec.param === undefined ? gate : `${gate}${param}`;
}
