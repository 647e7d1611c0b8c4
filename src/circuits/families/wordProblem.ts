/**
 * The word problem of S_k / A_k — iterated composition of n permutations —
 * as an NC1 circuit: a balanced tree of fan-in-2 Boolean matrix products.
 * For k = 5 it is NC1-complete (Barrington 1989: A5 is non-solvable, so every
 * NC1 language reduces to it); for k ≤ 4 the group is solvable and the
 * problem is in ACC0, but this circuit is the same shape for every k.
 *
 * Encoding: permutation i is the k×k one-hot matrix M_i[r][c] = [p_i(r) = c],
 * row-major, input p{i}_{r}{c} meaning "permutation i sends r+1 to c+1"
 * (0-based r, c; one digit each, k ≤ 9). Outputs q{r}{c}: the matrix of the
 * left-to-right product p_0·p_1·…·p_{n−1} (p_0 acts first), in the same
 * encoding.
 *
 * Meaning on every input: circuit and reference both compute the Boolean
 * matrix product M_0·M_1·…·M_{n−1} over the (OR, AND) semiring, which on
 * valid one-hot permutation matrices equals the matrix of the composed
 * permutation (M_p·M_q = M_{p·q}). The reference decodes the permutations
 * and composes them with groups/permutation.ts when every block is a valid
 * permutation matrix, and multiplies the Boolean matrices otherwise.
 *
 * Shape (exact): n − 1 products of k² entries, each k ANDs and k − 1 ORs, in
 * ⌈log2 n⌉ rounds of depth 1 + ⌈log2 k⌉:
 *   depth = ⌈log2 n⌉·(1 + ⌈log2 k⌉),  size = (n − 1)·k²·(2k − 1).
 * For k = 5: depth 4⌈log2 n⌉, size 225(n − 1). n = 1: the outputs are the
 * inputs.
 *
 * S_k and A_k share the circuit; they differ only in which inputs are
 * meaningful (A_k: even permutations, and a product of even permutations is
 * even). Families 's5' and 'a5'; `wordProblemFamily(group, k)` for other k.
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder } from '../CircuitBuilder.js';
import { CircuitError } from '../CircuitError.js';
import { compose, identity, type Permutation } from '../groups/permutation.js';
import { type BoolMatrix, ceilLog2, multiplyBool, productTree } from './_internals/booleanMatrix.js';

function checkK(k: number): void {
  if (!Number.isSafeInteger(k) || k < 1 || k > 9) throw new CircuitError('format', `the word problem needs 1 <= k <= 9 points (one digit per index), got ${k}`, 'k');
}

function checkN(n: number): void {
  if (!Number.isSafeInteger(n) || n < 1) throw new CircuitError('format', `the word problem needs n >= 1 permutations, got ${n}`, 'n');
}

/** Input names of the word problem over k points with n permutations, in input order. */
export function wordProblemInputNames(n: number, k: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < n; i++) for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) names.push(`p${i}_${r}${c}`);
  return names;
}

/** The one-hot matrix of p, row-major: bit r·k + c is [p(r) = c]. */
export function permutationToBits(p: Permutation): boolean[] {
  const k = p.length;
  return Array.from({ length: k * k }, (_, rc) => p[Math.floor(rc / k)] === rc % k);
}

/** The inputs of the word-problem circuit for these permutations (all of k = perms[0].length points). */
export function encodePermutationWord(perms: readonly Permutation[]): boolean[] {
  return perms.flatMap(permutationToBits);
}

/** The permutation whose one-hot matrix is bits[offset … offset + k² − 1], or undefined if it is not one. */
export function bitsToPermutation(bits: readonly boolean[], k: number, offset = 0): Permutation | undefined {
  const p = new Uint8Array(k);
  const hit = new Uint8Array(k);
  for (let r = 0; r < k; r++) {
    let col = -1;
    for (let c = 0; c < k; c++) {
      if (!bits[offset + r * k + c]) continue;
      if (col >= 0) return undefined;
      col = c;
    }
    if (col < 0 || hit[col]) return undefined;
    hit[col] = 1;
    p[r] = col;
  }
  return p;
}

function blockMatrix(bits: readonly boolean[], k: number, offset: number): boolean[][] {
  return Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => bits[offset + r * k + c] === true));
}

/** The output bits q00 … q(k−1)(k−1) for n permutations' worth of input bits (see the header). */
export function wordProblemReference(n: number, k: number, input: readonly boolean[]): boolean[] {
  const perms: Permutation[] = [];
  for (let i = 0; i < n; i++) {
    const p = bitsToPermutation(input, k, i * k * k);
    if (p === undefined) break;
    perms.push(p);
  }
  if (perms.length === n) return permutationToBits(perms.reduce(compose, identity(k)));
  let m: BoolMatrix = blockMatrix(input, k, 0);
  for (let i = 1; i < n; i++) m = multiplyBool(m, blockMatrix(input, k, i * k * k));
  return m.flat();
}

export function wordProblemFamily(group: 'S' | 'A', k: number): CircuitFamily {
  checkK(k);
  const name = `${group.toLowerCase()}${k}`;
  const meaningful = group === 'A' ? `even permutations of ${k} points (A${k}); the circuit is that of s${k}` : `permutations of ${k} points (S${k})`;
  return {
    name,
    summary: `product of n ${meaningful}, one-hot ${k}×${k} matrices, balanced tree of matrix products`,
    expectedClass: 'NC1',
    scale: `number of permutations n (${k * k} input bits each)`,
    params: (n) => ({ n }),
    build: ({ n }) => {
      checkN(n);
      const c = new CircuitBuilder(`${name}-word-${n}`);
      const names = wordProblemInputNames(n, k);
      const wires = names.map((x) => c.input(x));
      const matrices = Array.from({ length: n }, (_, i) =>
        Array.from({ length: k }, (_, r) => wires.slice(i * k * k + r * k, i * k * k + (r + 1) * k)),
      );
      const product = productTree(c, matrices);
      product.forEach((row, r) => row.forEach((w, col) => c.output(`q${r}${col}`, w)));
      return c.build();
    },
    reference: ({ n }, input) => wordProblemReference(n, k, input),
    sizes: [2, 4, 8, 16, 32, 64],
    shape: ({ n }) => ({ depth: ceilLog2(n) * (1 + ceilLog2(k)), size: (n - 1) * k * k * (2 * k - 1), exact: true }),
  };
}

export const s5Family: CircuitFamily = wordProblemFamily('S', 5);
export const a5Family: CircuitFamily = wordProblemFamily('A', 5);
