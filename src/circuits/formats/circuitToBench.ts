/**
 * Writing a circuit as an ISCAS `.bench` netlist (the format is in
 * benchFormat.ts): a `# depthlab` comment header with the counts (inputs,
 * outputs, gates by kind, constants, whether depthlab extensions are used),
 * then INPUT(…) lines, OUTPUT(…) lines, and `name = GATE(inputs)` per gate in
 * topological order. `strict` refuses what ISCAS tools cannot read (MAJ,
 * THR<k>, MOD<m>, constants) with a CircuitError('format').
 */
import type { Circuit } from '../Circuit.js';
import { CircuitError } from '../CircuitError.js';
import { GATE_KINDS, GATES, type GateKind } from '../gates.js';

export interface BenchWriteOptions {
  /** Refuse MAJ/THR/MOD and constants, so that any ISCAS tool can read the file. */
  readonly strict?: boolean;
}

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
