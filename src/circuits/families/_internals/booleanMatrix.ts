/**
 * Boolean matrices over the (OR, AND) semiring, as wires of a circuit under
 * construction and as plain booleans — the shared core of the word-problem
 * and Barrington circuits.
 *
 *   (A·B)[i][k] = OR_j (A[i][j] ∧ B[j][k])
 *
 * With M_p[i][j] = [p(i) = j] for a permutation p, M_p·M_q = M_{p·q} where
 * p·q is the left-to-right product of groups/permutation.ts (p acts first),
 * so a product of permutation matrices in word order is the matrix of the
 * word's product.
 *
 * Gates have fan-in 2: an entry of a k×k product is k ANDs and a balanced
 * tree of k − 1 ORs, depth 1 + ⌈log2 k⌉, and term j = 0 always sits at the
 * full depth. Products of several matrices are taken in rounds, pairing
 * neighbours and carrying an odd last one up, so a list of m matrices takes
 * ⌈log2 m⌉ rounds and the first matrix is multiplied in every round.
 */
import type { CircuitBuilder, Wire } from '../../CircuitBuilder.js';

export type WireMatrix = readonly (readonly Wire[])[];
export type BoolMatrix = readonly (readonly boolean[])[];

/** ⌈log2 n⌉ for an integer n ≥ 1, in integers (0 for n = 1). */
export function ceilLog2(n: number): number {
  let d = 0;
  while (2 ** d < n) d++;
  return d;
}

/** Pairwise reduction in rounds: [a, b, c, d, e] → [ab, cd, e] → [abcd, e] → [abcde]. */
export function balancedReduce<T>(items: readonly T[], combine: (a: T, b: T) => T): T {
  if (items.length === 0) throw new RangeError('balancedReduce needs at least one item');
  let level = [...items];
  while (level.length > 1) {
    const next: T[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(combine(level[i]!, level[i + 1]!));
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/** One entry per (row, column): k ANDs and a fan-in-2 OR tree of depth ⌈log2 k⌉. */
export function multiplyWires(c: CircuitBuilder, a: WireMatrix, b: WireMatrix): Wire[][] {
  const k = a.length;
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, col) =>
      balancedReduce(
        Array.from({ length: k }, (_, j) => c.and(a[i]![j]!, b[j]![col]!)),
        (x, y) => c.or(x, y),
      ),
    ),
  );
}

/** The product of the matrices in order (left to right), as a balanced tree of products; m ≥ 1. */
export function productTree(c: CircuitBuilder, matrices: readonly WireMatrix[]): WireMatrix {
  return balancedReduce(matrices, (a, b) => multiplyWires(c, a, b));
}

export function multiplyBool(a: BoolMatrix, b: BoolMatrix): boolean[][] {
  const k = a.length;
  return Array.from({ length: k }, (_, i) =>
    Array.from({ length: k }, (_, col) => {
      for (let j = 0; j < k; j++) if (a[i]![j]! && b[j]![col]!) return true;
      return false;
    }),
  );
}
