/**
 * s–t reachability on layered graphs: L + 1 layers of w nodes, edges only from
 * layer ℓ to layer ℓ + 1, given as the input bits e{ℓ}_{i}_{j} (an edge from
 * node i of layer ℓ to node j of layer ℓ + 1), ordered by ℓ, then i, then j —
 * L·w² inputs. Source: node 0 of layer 0; target: node 0 of layer L.
 *
 * Reachability in directed graphs is NL-complete. `reachabilityFamily` is the
 * layer-by-layer circuit, a sequential control: r_0 = [1, 0, …, 0] as constant
 * nodes (no constant propagation; the first layer is built like the others),
 * r_{ℓ+1}[j] = OR_i (r_ℓ[i] ∧ e{ℓ}_{i}_{j}), output `reach` = r_L[0]. All gates
 * have fan-in 2 (NC convention): an AND per (i, j), then a balanced tree of
 * OR gates per j, so each layer adds depth 1 + ⌈log2 w⌉ and w(2w − 1) gates —
 * depth linear in L.
 *
 * `reachabilitySquaringFamily` computes the same bit in logarithmic depth by
 * multiplying the L Boolean adjacency matrices in a balanced tree
 * (_internals/booleanMatrix.ts; the layered form of the repeated squaring
 * behind NL ⊆ NC2, Borodin 1977): depth ⌈log2 L⌉·(1 + ⌈log2 w⌉), i.e.
 * O(log L · log w) — NC2 when w grows with n. At the fixed width of `params(n)`
 * this is O(log n): for constant width the problem is in NC1 (and width 5
 * already captures NC1, Barrington 1989), so the NL label of the layer-by-layer
 * family describes the general problem, not its fixed-width members.
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder, type Wire } from '../CircuitBuilder.js';
import { CircuitError } from '../CircuitError.js';
import { balancedReduce, ceilLog2, productTree } from './_internals/booleanMatrix.js';

export interface ReachabilityParams {
  readonly layers: number;
  readonly width: number;
}

function checkParams({ layers, width }: ReachabilityParams): void {
  for (const [field, value] of [['layers', layers], ['width', width]] as const) {
    if (!Number.isSafeInteger(value) || value < 1) throw new CircuitError('format', `${field} must be an integer >= 1, got ${value}`, field);
  }
}

/** Index of e{ℓ}_{i}_{j} among the input bits. */
export const edgeIndex = (width: number, l: number, i: number, j: number): number => (l * width + i) * width + j;

/** The inputs e{ℓ}_{i}_{j}, as adjacency matrices m[ℓ][i][j]. */
function edgeInputs(c: CircuitBuilder, { layers, width }: ReachabilityParams): Wire[][][] {
  const range = (n: number) => Array.from({ length: n }, (_, k) => k);
  return range(layers).map((l) => range(width).map((i) => range(width).map((j) => c.input(`e${l}_${i}_${j}`))));
}

/** OR of the wires by a balanced tree of 2-input gates: depth ⌈log2 k⌉, k − 1 gates (a single wire passes through). */
const orTree = (c: CircuitBuilder, wires: readonly Wire[]): Wire => balancedReduce(wires, (x, y) => c.or(x, y));

/** Reference: depth-first search from (0, 0) over the decoded graph. */
function reachable({ layers, width }: ReachabilityParams, input: readonly boolean[]): boolean {
  if (input.length !== layers * width * width) {
    throw new CircuitError('width', `input has ${input.length} bits but the graph has ${layers * width * width} edge bits`, 'input');
  }
  const seen = new Set<number>();
  const stack: [number, number][] = [[0, 0]];
  while (stack.length > 0) {
    const [l, i] = stack.pop()!;
    if (l === layers) {
      if (i === 0) return true;
      continue;
    }
    for (let j = 0; j < width; j++) {
      const key = (l + 1) * width + j;
      if (input[edgeIndex(width, l, i, j)] && !seen.has(key)) {
        seen.add(key);
        stack.push([l + 1, j]);
      }
    }
  }
  return false;
}

export const reachabilityFamily: CircuitFamily<ReachabilityParams> = {
  name: 'reachability',
  summary: 's–t reachability in a layered graph (L layers of edges, width w), layer by layer',
  expectedClass: 'NL',
  params: (n) => ({ layers: n, width: 4 }),
  build: (p) => {
    checkParams(p);
    const c = new CircuitBuilder(`reachability-L${p.layers}-w${p.width}`);
    const edges = edgeInputs(c, p);
    let r: Wire[] = Array.from({ length: p.width }, (_, i) => c.constant(i === 0));
    for (const m of edges) r = r.map((_, j) => orTree(c, r.map((x, i) => c.and(x, m[i]![j]!))));
    return c.output('reach', r[0]!).build();
  },
  reference: (p, input) => [reachable(p, input)],
  sizes: [4, 8, 16, 32, 64],
  scale: 'number of edge layers L',
  // Per layer: w² ANDs and w trees of w − 1 ORs, depth 1 + ⌈log2 w⌉; the constants are not gates.
  shape: ({ layers, width }) => ({ depth: layers * (1 + ceilLog2(width)), size: layers * width * (2 * width - 1), exact: true }),
};

export const reachabilitySquaringFamily: CircuitFamily<ReachabilityParams> = {
  name: 'reachability-squaring',
  summary: 's–t reachability in a layered graph by a balanced tree of Boolean matrix products',
  expectedClass: 'NC1',
  params: (n) => ({ layers: n, width: 4 }),
  build: (p) => {
    checkParams(p);
    const c = new CircuitBuilder(`reachability-squaring-L${p.layers}-w${p.width}`);
    const entry = productTree(c, edgeInputs(c, p))[0]![0]!;
    return c.output('reach', p.layers === 1 ? c.buf(entry) : entry).build();
  },
  reference: (p, input) => [reachable(p, input)],
  sizes: [4, 8, 16, 32, 64],
  scale: 'number of edge layers L',
  // L − 1 products of w² entries, each w ANDs and w − 1 ORs of depth 1 + ⌈log2 w⌉, ⌈log2 L⌉ levels deep (L = 1: one buffer).
  shape: ({ layers, width }) => (layers === 1
    ? { depth: 1, size: 1, exact: true }
    : { depth: ceilLog2(layers) * (1 + ceilLog2(width)), size: (layers - 1) * width * width * (2 * width - 1), exact: true }),
};
