/**
 * Function-preserving simplification passes: constant propagation, removal of
 * buffers and double negations, and removal of dead gates.
 *
 * Every pass keeps the circuit's name, its inputs (names and order: they are
 * the function's signature, so even unused inputs stay) and its outputs (names
 * and order), and never increases size or depth. Surviving nodes keep their
 * names; a gate folded to a constant becomes a constant node under the gate's
 * own name, so references to it stay valid. A pass that finds nothing to do
 * returns the very circuit it was given, which is how `simplify` detects its
 * fixed point.
 */
import { Circuit, type CircuitNode, type NodeDescription } from './Circuit.js';
import { GATES, type GateKind } from './gates.js';
import { foldConstants } from './_internals/foldConstants.js';

export type SimplifyPass = 'constants' | 'negations' | 'dead';

export const SIMPLIFY_PASSES: readonly SimplifyPass[] = ['constants', 'negations', 'dead'];

export interface SimplifyOptions {
  /** Passes to run, in this order, each round; default all three. */
  readonly passes?: readonly SimplifyPass[];
}

export interface PassReport {
  readonly pass: SimplifyPass;
  /** 1-based round of the fixed-point loop. */
  readonly round: number;
  readonly sizeBefore: number;
  readonly sizeAfter: number;
}

export interface SimplifyResult {
  readonly circuit: Circuit;
  /** One entry per pass run, in the order they ran; the last round changed nothing (unless the round limit was hit). */
  readonly report: readonly PassReport[];
}

/** Each round shrinks the circuit or ends the loop; in practice two rounds suffice, so this only guards a runaway. */
const MAX_ROUNDS = 16;

const PASSES: Readonly<Record<SimplifyPass, (c: Circuit) => Circuit>> = {
  constants: propagateConstants,
  negations: removeDoubleNegations,
  dead: removeDeadGates,
};

/** Runs the passes round after round until a round changes nothing. */
export function simplify(c: Circuit, options: SimplifyOptions = {}): SimplifyResult {
  const passes = options.passes ?? SIMPLIFY_PASSES;
  const report: PassReport[] = [];
  let circuit = c;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const start = circuit;
    for (const pass of passes) {
      const next = PASSES[pass](circuit);
      report.push({ pass, round, sizeBefore: circuit.size, sizeAfter: next.size });
      circuit = next;
    }
    if (circuit === start) break;
  }
  return { circuit, report };
}

/**
 * Folds constant inputs into the gates that read them, in one topological
 * sweep: a gate that becomes constant is a constant for every gate after it.
 * Gates without constant inputs are left exactly as they are.
 */
export function propagateConstants(c: Circuit): Circuit {
  // The constant value of each node after folding, or undefined.
  const value: (boolean | undefined)[] = c.nodes.map((n) => (n.type === 'const' ? n.value : undefined));
  let changed = false;
  const nodes = c.nodes.map((node, id): CircuitNode => {
    if (node.type !== 'gate') return node;
    let trues = 0;
    let falses = 0;
    for (const i of node.inputs) {
      const v = value[i];
      if (v === true) trues++;
      else if (v === false) falses++;
    }
    if (trues + falses === 0) return node;
    const remaining = node.inputs.length - trues - falses;
    const fold = foldConstants({ gate: node.gate, param: node.param, remaining, trues, falses });
    if (fold.type === 'const') {
      value[id] = fold.value;
      changed = true;
      return { type: 'const', name: node.name, value: fold.value };
    }
    let keepTrues = fold.keepTrues;
    const inputs = node.inputs.filter((i) => value[i] === undefined || (value[i] === true && keepTrues-- > 0));
    if (fold.gate === node.gate && fold.param === node.param && inputs.length === node.inputs.length) return node;
    changed = true;
    return { type: 'gate', name: node.name, gate: fold.gate, inputs, param: fold.param };
  });
  return changed ? rebuild(c, nodes, (id) => id) : c;
}

/**
 * Bypasses buffers and collapses NOT(NOT(x)) to x, so a chain of negations of
 * any length ends as x or a single NOT(x). Two NOTs of the same node become
 * one, which is what keeps a collapsed odd chain from leaving a second NOT(x)
 * beside the first. Bypassed gates are dropped; outputs may end up naming an
 * input or a constant.
 */
export function removeDoubleNegations(c: Circuit): Circuit {
  // rep[id]: the surviving node that computes what node id computed.
  const rep = Int32Array.from(c.nodes, (_, id) => id);
  // The surviving NOT over each node, so a second one can reuse it.
  const negation = new Map<number, number>();
  // The nodes as rewired so far; `undefined` once bypassed.
  const survivors: (CircuitNode | undefined)[] = [];
  let changed = false;
  c.nodes.forEach((node, id) => {
    if (node.type !== 'gate') {
      survivors.push(node);
      return;
    }
    const inputs = node.inputs.map((i) => rep[i]!);
    if (node.gate === 'BUF' || node.gate === 'NOT') {
      const x = inputs[0]!;
      const under = survivors[x];
      if (node.gate === 'BUF') rep[id] = x;
      else if (under?.type === 'gate' && under.gate === 'NOT') rep[id] = under.inputs[0]!;
      else if (negation.has(x)) rep[id] = negation.get(x)!;
      else negation.set(x, id);
    }
    if (rep[id] !== id) {
      changed = true;
      survivors.push(undefined);
    } else if (inputs.some((r, k) => r !== node.inputs[k])) {
      changed = true;
      survivors.push({ ...node, inputs });
    } else {
      survivors.push(node);
    }
  });
  if (!changed) return c;
  dropOrphans(c, survivors, c.outputs.map((o) => rep[o.node]!));
  return rebuild(c, survivors, (id) => rep[id]!);
}

/**
 * Drops, in place, the gates a rewiring left without readers (NOT(x) under a
 * collapsed NOT(NOT(NOT(x))), say), and what only they read. Gates that had no
 * readers to begin with are left to `removeDeadGates`.
 */
function dropOrphans(c: Circuit, nodes: (CircuitNode | undefined)[], outputs: readonly number[]): void {
  const before = new Int32Array(c.nodes.length);
  const after = new Int32Array(c.nodes.length);
  for (const o of c.outputs) before[o.node]!++;
  for (const o of outputs) after[o]!++;
  for (const n of c.nodes) if (n.type === 'gate') for (const i of n.inputs) before[i]!++;
  for (const n of nodes) if (n?.type === 'gate') for (const i of n.inputs) after[i]!++;
  // Ids are topological, so walking down sees every reader before what it reads.
  for (let id = nodes.length - 1; id >= 0; id--) {
    const node = nodes[id];
    if (node?.type !== 'gate' || after[id] !== 0 || before[id] === 0) continue;
    nodes[id] = undefined;
    for (const i of node.inputs) after[i]!--;
  }
}

/**
 * Drops gates and constants that no output depends on. Inputs always stay:
 * their positions are the function's signature.
 */
export function removeDeadGates(c: Circuit): Circuit {
  const live = new Uint8Array(c.nodes.length);
  for (const o of c.outputs) live[o.node] = 1;
  // Ids are topological, so walking down sees every reader before what it reads.
  for (let id = c.nodes.length - 1; id >= 0; id--) {
    const node = c.nodes[id]!;
    if (live[id] === 1 && node.type === 'gate') for (const i of node.inputs) live[i] = 1;
  }
  let changed = false;
  const nodes = c.nodes.map((node, id) => {
    if (node.type === 'input' || live[id] === 1) return node;
    changed = true;
    return undefined;
  });
  return changed ? rebuild(c, nodes, (id) => id) : c;
}

/**
 * A circuit over the original inputs and outputs from per-id nodes (undefined:
 * dropped), whose gate inputs are already ids of kept nodes; `target` maps an
 * output's old node id to the kept node it now names.
 */
function rebuild(c: Circuit, nodes: readonly (CircuitNode | undefined)[], target: (id: number) => number): Circuit {
  const name = (id: number) => c.nodes[id]!.name;
  const described: NodeDescription[] = [];
  for (const node of nodes) {
    if (node === undefined || node.type === 'input') continue;
    if (node.type === 'const') described.push({ type: 'const', name: node.name, value: node.value });
    else described.push(gateDescription(node.name, node.gate, node.inputs.map(name), node.param));
  }
  return Circuit.fromDescription({
    ...(c.name === undefined ? {} : { name: c.name }),
    inputs: c.inputNames(),
    nodes: described,
    outputs: c.outputs.map((o) => ({ name: o.name, node: name(target(o.node)) })),
  });
}

function gateDescription(name: string, gate: GateKind, inputs: string[], param: number): NodeDescription {
  return GATES[gate].param === undefined ? { type: 'gate', name, gate, inputs } : { type: 'gate', name, gate, inputs, param };
}
