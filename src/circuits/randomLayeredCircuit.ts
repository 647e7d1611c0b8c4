/**
 * Random layered circuits: `depth` layers of `width` gates over `inputs`
 * inputs. Every gate reads its first input from the layer just below (so the
 * circuit's depth is exactly `depth`) and its other inputs uniformly from the
 * `window` layers below it (layer 0 = the inputs). Used as the workload of the
 * circuit-eval benchmark and as a source of deep, unstructured circuits (the
 * circuit value problem on random layered circuits is the P-complete control
 * of later task suites).
 *
 * Outputs: by default every gate that no other gate reads (the sinks), so no
 * gate is dead and an evaluator cannot skip any of them.
 */
import { seededRng } from './_internals/seededRng.js';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { Circuit, type NodeDescription } from './Circuit.js';
import { CircuitError } from './CircuitError.js';
import { GATES, type GateKind } from './gates.js';

export interface RandomLayeredOptions {
  readonly inputs: number;
  readonly width: number;
  readonly depth: number;
  readonly seed: number;
  /** Gate kinds, drawn uniformly (default AND, OR, NOT, MAJ). */
  readonly kinds?: readonly GateKind[];
  /** Fan-in of the unbounded gates other than MAJ (default 2); MAJ gets 3, NOT/BUF 1. */
  readonly fanIn?: number;
  /** How many layers below a gate its extra inputs may come from (default: all). */
  readonly window?: number;
  /** 'sinks' (default) or 'last-layer'. */
  readonly outputs?: 'sinks' | 'last-layer';
}

export function randomLayeredCircuit(options: RandomLayeredOptions): Circuit {
  const { inputs, width, depth, seed } = options;
  const kinds = options.kinds ?? (['AND', 'OR', 'NOT', 'MAJ'] as const);
  const fanIn = options.fanIn ?? 2;
  const window = options.window ?? Number.POSITIVE_INFINITY;
  for (const [field, value, min] of [['inputs', inputs, 1], ['width', width, 1], ['depth', depth, 1], ['fanIn', fanIn, 1]] as const) {
    if (!Number.isSafeInteger(value) || value < min) throw new CircuitError('format', `${field} must be an integer >= ${min}, got ${value}`, field);
  }
  if (kinds.length === 0) throw new CircuitError('format', 'kinds must name at least one gate kind', 'kinds');

  const rng = seededRng(seed);
  const layers: string[][] = [Array.from({ length: inputs }, (_, i) => `x${i}`)];
  const nodes: NodeDescription[] = [];
  const read = new Set<string>();
  for (let l = 1; l <= depth; l++) {
    const below = layers[l - 1]!;
    const lowest = Math.max(0, l - window);
    const pool = layers.slice(lowest, l).flat();
    const layer: string[] = [];
    for (let j = 0; j < width; j++) {
      const kind = kinds[uniformInt(rng, 0, kinds.length - 1)]!;
      const spec = GATES[kind];
      const n = spec.maxFanIn === 1 ? 1 : kind === 'MAJ' ? 3 : fanIn;
      const refs = [below[uniformInt(rng, 0, below.length - 1)]!];
      while (refs.length < n) refs.push(pool[uniformInt(rng, 0, pool.length - 1)]!);
      for (const r of refs) read.add(r);
      const name = `g${l}_${j}`;
      const param = spec.param === 'k' ? uniformInt(rng, 1, n) : spec.param === 'm' ? uniformInt(rng, 2, 4) : undefined;
      nodes.push(param === undefined ? { type: 'gate', name, gate: kind, inputs: refs } : { type: 'gate', name, gate: kind, inputs: refs, param });
      layer.push(name);
    }
    layers.push(layer);
  }
  const outputNodes = (options.outputs ?? 'sinks') === 'sinks' ? nodes.map((n) => n.name).filter((n) => !read.has(n)) : layers[depth]!;
  return Circuit.fromDescription({
    name: `random-layered-${inputs}x${width}x${depth}-s${seed}`,
    inputs: layers[0]!,
    nodes,
    outputs: outputNodes.map((node) => ({ name: node, node })),
  });
}
