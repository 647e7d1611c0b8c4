/**
 * Structural analysis of a circuit: size, depth (overall and per output),
 * fan-in / fan-out statistics, whether it is a formula, and its complexity
 * class *type* read off the gate basis and the fan-in bound.
 *
 * Conventions (Vollmer, "Introduction to Circuit Complexity", §1.1, §4.1):
 * size = number of gates (inputs and constants are not gates); depth = the
 * largest number of gates on a path from an input or constant to an output;
 * a formula is a circuit whose gates each feed at most one place (one gate
 * input or one output), i.e. a forest over possibly repeated inputs. A single
 * circuit has no asymptotics, so "TC0-type" only says which gates it uses;
 * depthGrowth.ts classifies a family built at several n.
 */
import type { Circuit } from './Circuit.js';
import { type Basis, BASES, GATES, type GateKind } from './gates.js';

export interface Stats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

export interface CircuitStructure {
  readonly name: string | undefined;
  readonly inputs: number;
  readonly outputs: number;
  readonly constants: number;
  /** Number of gates. */
  readonly size: number;
  /** Number of wires into gates (the sum of fan-ins). */
  readonly wires: number;
  /** Longest input/constant → output path, counted in gates. */
  readonly depth: number;
  readonly outputDepths: readonly { readonly name: string; readonly depth: number }[];
  readonly gateCounts: Readonly<Partial<Record<GateKind, number>>>;
  /** Over gates. */
  readonly fanIn: Stats;
  /** Over inputs, constants and gates: gate inputs plus outputs each node feeds. */
  readonly fanOut: Stats;
  /** Every gate feeds at most one place. */
  readonly isFormula: boolean;
  /** Largest basis among the gates (AC0 ⊂ ACC0 ⊂ TC0 type). */
  readonly basis: Basis;
  /** Every gate has fan-in ≤ 2 (the NC-circuit convention). */
  readonly boundedFanIn: boolean;
  /** One line, e.g. "TC0-type (MAJ/THR gates), depth 3". */
  readonly classLabel: string;
}

const BASIS_WHY: Record<Basis, string> = {
  AC0: 'AND/OR/NOT gates',
  ACC0: 'MOD gates or unbounded XOR',
  TC0: 'MAJ/THR gates',
};

/** Depth of every node (inputs and constants 0, a gate 1 + its deepest input). */
export function nodeDepths(circuit: Circuit): Int32Array {
  const depth = new Int32Array(circuit.nodes.length);
  circuit.nodes.forEach((node, id) => {
    if (node.type !== 'gate') return;
    let d = 0;
    for (const i of node.inputs) if (depth[i]! > d) d = depth[i]!;
    depth[id] = d + 1;
  });
  return depth;
}

export function analyzeStructure(circuit: Circuit): CircuitStructure {
  const depth = nodeDepths(circuit);
  const fanOut = new Int32Array(circuit.nodes.length);
  const gateCounts: Partial<Record<GateKind, number>> = {};
  let constants = 0;
  let wires = 0;
  let fanInMin = Number.POSITIVE_INFINITY;
  let fanInMax = 0;
  let basisRank = 0;
  for (const node of circuit.nodes) {
    if (node.type === 'const') constants++;
    if (node.type !== 'gate') continue;
    const n = node.inputs.length;
    gateCounts[node.gate] = (gateCounts[node.gate] ?? 0) + 1;
    wires += n;
    fanInMin = Math.min(fanInMin, n);
    fanInMax = Math.max(fanInMax, n);
    basisRank = Math.max(basisRank, BASES.indexOf(GATES[node.gate].basis(n)));
    for (const i of node.inputs) fanOut[i]!++;
  }
  for (const o of circuit.outputs) fanOut[o.node]!++;

  let isFormula = true;
  let fanOutMin = Number.POSITIVE_INFINITY;
  let fanOutMax = 0;
  let fanOutSum = 0;
  circuit.nodes.forEach((node, id) => {
    const f = fanOut[id]!;
    fanOutMin = Math.min(fanOutMin, f);
    fanOutMax = Math.max(fanOutMax, f);
    fanOutSum += f;
    if (node.type === 'gate' && f > 1) isFormula = false;
  });

  const size = circuit.size;
  const outputDepths = circuit.outputs.map((o) => ({ name: o.name, depth: depth[o.node]! }));
  const maxDepth = outputDepths.reduce((m, o) => Math.max(m, o.depth), 0);
  const basis = BASES[basisRank]!;
  const boundedFanIn = fanInMax <= 2;
  const kind = size === 0 ? 'no gates' : boundedFanIn && basis === 'AC0' ? 'NC-type (fan-in ≤ 2)' : `${basis}-type (${BASIS_WHY[basis]})`;
  return {
    name: circuit.name,
    inputs: circuit.inputs.length,
    outputs: circuit.outputs.length,
    constants,
    size,
    wires,
    depth: maxDepth,
    outputDepths,
    gateCounts,
    fanIn: size === 0 ? { min: 0, max: 0, mean: 0 } : { min: fanInMin, max: fanInMax, mean: wires / size },
    fanOut: circuit.nodes.length === 0 ? { min: 0, max: 0, mean: 0 } : { min: fanOutMin, max: fanOutMax, mean: fanOutSum / circuit.nodes.length },
    isFormula,
    basis,
    boundedFanIn,
    classLabel: `${kind}, depth ${maxDepth}${isFormula && size > 0 ? ', a formula' : ''}`,
  };
}
