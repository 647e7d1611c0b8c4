/**
 * The depthlab circuit JSON format, version 1: a plain, lossless file for any
 * circuit over the whole gate basis (unlike `.bench`, which has no MAJ/THR/MOD).
 *
 *   {
 *     "format": "depthlab-circuit",
 *     "version": 1,
 *     "name": "maj3",                                   (optional)
 *     "inputs": ["x0", "x1", "x2"],                     (input bits, in order)
 *     "nodes": [                                        (any order; references may point forward)
 *       {"name": "g1", "op": "AND", "in": ["x0", "x1"]},
 *       {"name": "t", "op": "THR", "k": 2, "in": ["x0", "x1", "x2"]},
 *       {"name": "m", "op": "MOD", "m": 3, "in": ["x0", "x1", "x2"]},
 *       {"name": "one", "op": "CONST", "value": 1}
 *     ],
 *     "outputs": [{"name": "y", "node": "t"}]           (output bits, in order)
 *   }
 *
 * `op` is a gate kind of gates.ts (NOT, BUF, AND, OR, NAND, NOR, XOR, XNOR, MAJ,
 * THR, MOD) or CONST. `k` belongs to THR only, `m` to MOD only, `value` (0/1,
 * true/false also read) to CONST only, and CONST takes no `in`. Unknown keys are
 * errors rather than being ignored, so that a typo (`"inptus"`) cannot silently
 * drop part of a circuit.
 *
 * The writer puts one node per line, in topological order, so diffs of
 * generated circuits stay readable; `parseCircuitJson(circuitToJson(c))` gives
 * back exactly `c.toDescription()`.
 *
 * Every error is a CircuitError with a one-line message: file, JSON path,
 * the value found there and the fix.
 */
import { z } from 'zod';
import { Circuit, type CircuitDescription, type NodeDescription } from '../Circuit.js';
import { CircuitError } from '../CircuitError.js';
import { GATE_KINDS, GATES, type GateKind } from '../gates.js';

export const CIRCUIT_JSON_FORMAT = 'depthlab-circuit';
export const CIRCUIT_JSON_VERSION = 1;

const OPS: readonly string[] = [...GATE_KINDS, 'CONST'];
type PlainKind = Exclude<GateKind, 'THR' | 'MOD'>;
const PLAIN_KINDS = GATE_KINDS.filter((k): k is PlainKind => GATES[k].param === undefined) as [PlainKind, ...PlainKind[]];

const nodeName = z.string();
const refs = z.array(z.string());

const nodeSchema = z.discriminatedUnion('op', [
  z.strictObject({ name: nodeName, op: z.enum(PLAIN_KINDS), in: refs }),
  z.strictObject({ name: nodeName, op: z.literal('THR'), k: z.int(), in: refs }),
  z.strictObject({ name: nodeName, op: z.literal('MOD'), m: z.int(), in: refs }),
  z.strictObject({ name: nodeName, op: z.literal('CONST'), value: z.union([z.literal(0), z.literal(1), z.boolean()]) }),
]);

const circuitSchema = z.strictObject({
  format: z.literal(CIRCUIT_JSON_FORMAT),
  version: z.literal(CIRCUIT_JSON_VERSION),
  name: z.string().optional(),
  inputs: z.array(z.string()),
  nodes: z.array(nodeSchema),
  outputs: z.array(z.strictObject({ name: z.string(), node: z.string() })),
});

type CircuitJson = z.infer<typeof circuitSchema>;
type NodeJson = z.infer<typeof nodeSchema>;

/** Reads a circuit from JSON text; `source` names the file in error messages. */
export function parseCircuitJson(text: string, source = 'circuit.json'): Circuit {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CircuitError('format', `${source}: ${jsonSyntaxProblem(text, err)}`, source);
  }
  const parsed = circuitSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue === undefined ? [] : issue.path;
    throw schemaError(source, data, issue, path);
  }
  try {
    return Circuit.fromDescription(toDescription(parsed.data));
  } catch (err) {
    if (err instanceof CircuitError) throw new CircuitError(err.rule, `${source}: ${oneLine(err.message)}`, err.where);
    throw err;
  }
}

/** The circuit as JSON text: 2-space indentation, one node per line, trailing newline. */
export function circuitToJson(circuit: Circuit): string {
  const desc = circuit.toDescription();
  const s = (v: unknown) => JSON.stringify(v);
  const list = (items: string[]) => (items.length === 0 ? '[]' : `[\n${items.map((i) => `    ${i}`).join(',\n')}\n  ]`);
  const lines = [
    `  "format": ${s(CIRCUIT_JSON_FORMAT)}`,
    `  "version": ${CIRCUIT_JSON_VERSION}`,
    ...(desc.name === undefined ? [] : [`  "name": ${s(desc.name)}`]),
    `  "inputs": [${desc.inputs.map(s).join(', ')}]`,
    `  "nodes": ${list(desc.nodes.map((n) => nodeToJson(n)))}`,
    `  "outputs": ${list(desc.outputs.map((o) => `{"name": ${s(o.name)}, "node": ${s(o.node)}}`))}`,
  ];
  return `{\n${lines.join(',\n')}\n}\n`;
}

function nodeToJson(node: NodeDescription): string {
  const s = (v: unknown) => JSON.stringify(v);
  if (node.type === 'const') return `{"name": ${s(node.name)}, "op": "CONST", "value": ${node.value ? 1 : 0}}`;
  const param = GATES[node.gate].param;
  const p = param === undefined ? '' : `, ${s(param)}: ${node.param ?? 0}`;
  return `{"name": ${s(node.name)}, "op": ${s(node.gate)}${p}, "in": [${node.inputs.map(s).join(', ')}]}`;
}

function toDescription(data: CircuitJson): CircuitDescription {
  return {
    ...(data.name === undefined ? {} : { name: data.name }),
    inputs: data.inputs,
    nodes: data.nodes.map(nodeFromJson),
    outputs: data.outputs.map((o) => ({ name: o.name, node: o.node })),
  };
}

function nodeFromJson(node: NodeJson): NodeDescription {
  switch (node.op) {
    case 'CONST':
      return { type: 'const', name: node.name, value: node.value === 1 || node.value === true };
    case 'THR':
      return { type: 'gate', name: node.name, gate: 'THR', inputs: node.in, param: node.k };
    case 'MOD':
      return { type: 'gate', name: node.name, gate: 'MOD', inputs: node.in, param: node.m };
    default:
      return { type: 'gate', name: node.name, gate: node.op, inputs: node.in };
  }
}

// ---------------------------------------------------------------- error messages

/** What each field must hold, keyed by its path with array indices as '#'. */
const FIELDS: Record<string, { what: string; fix: string }> = {
  '': { what: 'a circuit object', fix: `write {"format": "${CIRCUIT_JSON_FORMAT}", "version": 1, "inputs": [...], "nodes": [...], "outputs": [...]}` },
  format: { what: `"${CIRCUIT_JSON_FORMAT}"`, fix: `set "format": "${CIRCUIT_JSON_FORMAT}" (is this a depthlab circuit file?)` },
  version: { what: 'a supported version', fix: `set "version": ${CIRCUIT_JSON_VERSION} (the only version this reader knows)` },
  name: { what: 'a string', fix: 'give the circuit name as a string, or leave "name" out' },
  inputs: { what: 'an array of input names', fix: 'list the input names, e.g. "inputs": ["x0", "x1"]' },
  'inputs.#': { what: 'an input name', fix: 'write each input name as a string' },
  nodes: { what: 'an array of nodes', fix: 'list the nodes, e.g. "nodes": [{"name": "g1", "op": "AND", "in": ["x0", "x1"]}]' },
  'nodes.#': { what: 'a node object', fix: 'write the node as {"name": "g1", "op": "AND", "in": ["x0", "x1"]}' },
  'nodes.#.name': { what: 'a node name', fix: 'write the node name as a string' },
  'nodes.#.op': { what: 'a gate', fix: `use one of ${OPS.join(', ')}` },
  'nodes.#.in': { what: 'an array of node names', fix: 'list the nodes this gate reads, e.g. "in": ["x0", "x1"]' },
  'nodes.#.in.#': { what: 'a node name', fix: 'write each input reference as a string naming an input, constant or gate' },
  'nodes.#.k': { what: "an integer threshold (THR's k)", fix: 'give THR an integer "k" in 1..(number of inputs), e.g. "k": 2' },
  'nodes.#.m': { what: "an integer modulus (MOD's m)", fix: 'give MOD an integer "m" >= 2, e.g. "m": 3' },
  'nodes.#.value': { what: 'a constant value', fix: 'use "value": 0 or "value": 1' },
  outputs: { what: 'an array of outputs', fix: 'list the outputs, e.g. "outputs": [{"name": "y", "node": "g1"}]' },
  'outputs.#': { what: 'an output object', fix: 'write the output as {"name": "y", "node": "g1"}' },
  'outputs.#.name': { what: 'an output name', fix: 'write the output name as a string' },
  'outputs.#.node': { what: 'a node name', fix: 'name the input, constant or gate this output reads, as a string' },
};

/** Fixes for keys that are valid somewhere, but not where they were found. */
const MISPLACED: Record<string, string> = {
  k: 'only THR nodes take "k"; remove it or change "op" to "THR"',
  m: 'only MOD nodes take "m"; remove it or change "op" to "MOD"',
  value: 'only CONST nodes take "value"; remove it or change "op" to "CONST"',
  in: 'CONST nodes read no inputs; remove "in"',
};

const ALLOWED_KEYS: Record<string, string> = {
  '': 'format, version, name, inputs, nodes, outputs',
  'nodes.#': 'name, op, in, and k for THR, m for MOD, value for CONST',
  'outputs.#': 'name, node',
};

function schemaError(source: string, data: unknown, issue: z.core.$ZodIssue | undefined, path: readonly PropertyKey[]): CircuitError {
  if (issue?.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const at = formatPath([...path, key]);
    const shape = shapeOf(path);
    const fix = (shape === 'nodes.#' ? MISPLACED[key] : undefined)
      ?? `remove it (allowed keys here: ${ALLOWED_KEYS[shape] ?? 'none'})`;
    return new CircuitError('format', `${source}: ${at}: unexpected key ${oneLine(JSON.stringify(key))}; ${fix}`, at);
  }
  const at = formatPath(path);
  const found = valueAt(data, path);
  const field = FIELDS[shapeOf(path)] ?? { what: 'valid here', fix: 'see the depthlab circuit JSON format' };
  const problem = found === undefined ? `missing, expected ${field.what}` : `${describe(found)} is not ${field.what}`;
  return new CircuitError('format', `${source}: ${at === '' ? 'top level' : at}: ${problem}; ${field.fix}`, at === '' ? 'top level' : at);
}

/** Some structural messages quote names verbatim, and JSON strings may hold line breaks. */
function oneLine(text: string): string {
  // JSON.stringify leaves U+2028/U+2029 raw, so escape all four by hand.
  return text.replace(/[\r\n\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function shapeOf(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? '#' : String(p))).join('.');
}

/** `nodes[3].op`; keys that are not identifiers are quoted, `["odd key"]`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (typeof p === 'string' && /^[A-Za-z_$][\w$]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${oneLine(JSON.stringify(String(p)))}]`;
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object' || !Object.prototype.hasOwnProperty.call(v, p)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** A short, one-line rendering of a JSON value; never walks deep structures. */
function describe(v: unknown): string {
  if (typeof v === 'string') {
    const q = oneLine(JSON.stringify(v));
    return q.length > 42 ? `${q.slice(0, 40)}…"` : q;
  }
  if (Array.isArray(v)) return v.length === 0 ? 'an empty array' : `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

/** One line from a JSON.parse failure, with line and column when V8 gives a position. */
function jsonSyntaxProblem(text: string, err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const posMatch = /at position (\d+)/.exec(raw);
  // Without a position V8 quotes the source around the fault ("…" is not valid JSON); keep it, on one line.
  const token = /^Unexpected token '([\s\S]*?)', ([\s\S]*) is not valid JSON$/.exec(raw);
  const context = token?.[2] === undefined ? '' : token[2].replace(/\s+/g, ' ');
  const reason = (token !== null ? `unexpected character ${oneLine(JSON.stringify(token[1]))} in ${context.length > 60 ? `${context.slice(0, 57)}...` : context}` : raw)
    .replace(/ at position \d+.*$/s, '')
    .replace(/ in JSON$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  const pos = posMatch !== null ? Number(posMatch[1]) : /end of JSON input/.test(raw) ? text.length : undefined;
  if (pos === undefined) return `invalid JSON (${reason}); check the brackets, commas and quotes`;
  const before = text.slice(0, pos);
  const line = before.split(/\r\n|\r|\n/).length;
  const column = pos - Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
  const at = pos >= text.length ? 'at the end of the text' : `at line ${line}, column ${column}`;
  return `invalid JSON ${at} (${reason || 'syntax error'}); check the brackets, commas and quotes there`;
}
