/**
 * The circuit value problem (CVP) on random layered circuits: a control family
 * beyond NC1. CVP — given a circuit and its input, compute its output — is
 * P-complete when the circuit is part of the input (Ladner 1975), so it is not
 * believed to have polylogarithmic-depth circuits. Here the instance (the
 * wiring and gate kinds) is fixed by the seed and only its input bits vary: the
 * family simply *is* the instance, of depth exactly d — linear in the scale d,
 * which is the point of the control.
 *
 * An instance has `width` input bits (layer 0) and `depth` layers of `width`
 * gates; every gate of layer ℓ is an AND, OR, NAND or NOR of two distinct
 * nodes of layer ℓ − 1 (so width ≥ 2). `inst.layers[k]` holds the gates of
 * layer k + 1. The output `out` is the first gate of the last layer; every
 * other gate is built too, so the circuit has size exactly depth · width
 * (gates that do not reach `out` are dead, which a family allows).
 *
 * Caveat, measured: random fan-in-2 layers of these four gates are critical
 * (average sensitivity 1, like Kauffman K = 2 networks), so the output tends
 * to a constant function as d grows — at width 8 about 60% of seeds give a
 * constant `out` by d = 8, 90% by d = 16, nearly all by d = 32 (wider layers
 * only delay it). The depth of the circuit is exact; the function it computes
 * may be trivial, so a learning task should check its answers are not constant.
 */
import { seededRng } from '../_internals/seededRng.js';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { CircuitFamily } from './CircuitFamily.js';
import type { Circuit } from '../Circuit.js';
import { CircuitBuilder, type Wire } from '../CircuitBuilder.js';
import { CircuitError } from '../CircuitError.js';

export type LayeredGateKind = 'AND' | 'OR' | 'NAND' | 'NOR';

/** One gate: its kind and the positions, in the layer below, of its two inputs. */
export interface LayeredGate {
  readonly gate: LayeredGateKind;
  readonly a: number;
  readonly b: number;
}

/** A layered instance as plain data; `layers[k]` is layer k + 1, layer 0 being the `inputs` bits. */
export interface LayeredInstance {
  readonly inputs: number;
  readonly layers: readonly (readonly LayeredGate[])[];
}

export interface CircuitValueParams {
  readonly depth: number;
  readonly width: number;
  readonly seed: number;
}

const KINDS: readonly LayeredGateKind[] = ['AND', 'OR', 'NAND', 'NOR'];

function checkParams({ depth, width, seed }: CircuitValueParams): void {
  for (const [field, value, min] of [['depth', depth, 1], ['width', width, 2]] as const) {
    if (!Number.isSafeInteger(value) || value < min) throw new CircuitError('format', `${field} must be an integer >= ${min}, got ${value}`, field);
  }
  if (!Number.isSafeInteger(seed)) throw new CircuitError('format', `seed must be an integer, got ${seed}`, 'seed');
}


/** The instance fixed by the seed: kinds and input pairs drawn uniformly, the two inputs of a gate distinct. */
export function randomLayeredInstance(params: CircuitValueParams): LayeredInstance {
  checkParams(params);
  const { depth, width, seed } = params;
  const rng = seededRng(seed);
  const layers: LayeredGate[][] = [];
  for (let l = 1; l <= depth; l++) {
    const layer: LayeredGate[] = [];
    for (let j = 0; j < width; j++) {
      const gate = KINDS[uniformInt(rng, 0, KINDS.length - 1)]!;
      const a = uniformInt(rng, 0, width - 1);
      const c = uniformInt(rng, 0, width - 2);
      layer.push({ gate, a, b: c >= a ? c + 1 : c });
    }
    layers.push(layer);
  }
  return { inputs: width, layers };
}

/** Throws unless every gate reads two positions of the layer below. */
function checkInstance(inst: LayeredInstance): void {
  if (inst.layers.length === 0 || inst.layers.some((layer) => layer.length === 0)) {
    throw new CircuitError('format', 'the instance needs at least one layer of gates, and every layer at least one gate', 'layers');
  }
  inst.layers.forEach((layer, k) => layer.forEach(({ a, b }, j) => {
    const width = k === 0 ? inst.inputs : inst.layers[k - 1]!.length;
    if (![a, b].every((i) => Number.isSafeInteger(i) && i >= 0 && i < width)) {
      throw new CircuitError('format', `gate ${j} of layer ${k + 1} reads positions ${a}, ${b}, but the layer below has ${width} nodes`, `g${k + 1}_${j}`);
    }
  }));
}

function apply(gate: LayeredGateKind, x: boolean, y: boolean): boolean {
  switch (gate) {
    case 'AND': return x && y;
    case 'OR': return x || y;
    case 'NAND': return !(x && y);
    case 'NOR': return !(x || y);
  }
}

/**
 * Values of every layer, computed directly from the instance: result[0] is the
 * input bits, result[ℓ] the values of layer ℓ (the gates of `inst.layers[ℓ − 1]`)
 * — the reference, and the "gate values layer by layer" of a trace.
 */
export function evaluateInstance(inst: LayeredInstance, bits: readonly boolean[]): boolean[][] {
  if (bits.length !== inst.inputs) {
    throw new CircuitError('width', `input has ${bits.length} bits but the instance has ${inst.inputs} inputs; give one bit per input`, 'input');
  }
  checkInstance(inst);
  const values: boolean[][] = [[...bits]];
  for (const layer of inst.layers) {
    const below = values[values.length - 1]!;
    values.push(layer.map(({ gate, a, b }) => apply(gate, below[a]!, below[b]!)));
  }
  return values;
}

/** The instance as a circuit: inputs x0…x(w−1), gate g{ℓ}_{j} for layer ℓ position j, output `out` = g{d}_0. */
export function instanceToCircuit(inst: LayeredInstance, name = 'cvp'): Circuit {
  checkInstance(inst);
  const c = new CircuitBuilder(name);
  let below: Wire[] = c.inputs('x', inst.inputs);
  inst.layers.forEach((layer, k) => {
    below = layer.map(({ gate, a, b }, j) => c.gate(gate, [below[a]!, below[b]!], { name: `g${k + 1}_${j}` }));
  });
  return c.output('out', below[0]!).build();
}

/** The last instance drawn, so that a reference called once per input vector draws it once. */
let cached: { readonly key: string; readonly inst: LayeredInstance } | undefined;
function instanceOf(p: CircuitValueParams): LayeredInstance {
  const key = `${p.depth},${p.width},${p.seed}`;
  if (cached?.key !== key) cached = { key, inst: randomLayeredInstance(p) };
  return cached.inst;
}

export const circuitValueFamily: CircuitFamily<CircuitValueParams> = {
  name: 'cvp',
  summary: 'circuit value of a seeded random layered AND/OR/NAND/NOR circuit, width w, depth d',
  expectedClass: 'P',
  params: (n) => ({ depth: n, width: 8, seed: 0 }),
  build: (p) => instanceToCircuit(randomLayeredInstance(p), `cvp-d${p.depth}-w${p.width}-s${p.seed}`),
  reference: (p, input) => {
    const layers = evaluateInstance(instanceOf(p), input);
    return [layers[layers.length - 1]![0]!];
  },
  sizes: [4, 8, 16, 32, 64],
  scale: 'circuit depth d',
  // Every gate of layer ℓ reads layer ℓ − 1, so each has depth exactly ℓ; d · w gates in all.
  shape: ({ depth, width }) => ({ depth, size: depth * width, exact: true }),
};
