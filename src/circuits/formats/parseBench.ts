/**
 * Reading an ISCAS `.bench` netlist (the format is in benchFormat.ts): each
 * line, its `#` comment cut off, becomes a statement
 * (_internals/benchStatement.ts); then names are checked — every input and
 * gate defined once, every output declared once, every name read is defined,
 * at least one output — and the circuit is built (Circuit.fromDescription),
 * a cycle reported at its node's line. Every error is a CircuitError('format')
 * `source:LINE: …`.
 */
import { Circuit, type NodeDescription, type OutputDescription } from '../Circuit.js';
import { CircuitError } from '../CircuitError.js';
import { parseStatement, tokenize, type Statement } from './_internals/benchStatement.js';

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
