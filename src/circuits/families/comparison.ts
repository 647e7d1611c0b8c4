/**
 * Comparison of two n-bit numbers, a > b, in depth 3 with AND/OR/NOT gates.
 * Inputs a0…a(n−1), b0…b(n−1), least significant first. a > b exactly when
 * at the most significant position i where they differ, a_i = 1 and b_i = 0:
 *   gt = OR_i ( a_i ∧ ¬b_i ∧ AND_{j>i} XNOR(a_j, b_j) )
 * NOT and XNOR at depth 1, the n ANDs at depth 2, the OR at depth 3 — for
 * every n. Every gate is AC0 (XNOR has fan-in 2), so the family sits in
 * AC0 ⊂ TC0; it is the building block of threshold circuits that compare
 * iterated sums against each other.
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder } from '../CircuitBuilder.js';

/** The number whose binary digits, least significant first, are `bits`. */
const toBigInt = (bits: readonly boolean[]) => bits.reduce((v, x, i) => (x ? v | (1n << BigInt(i)) : v), 0n);

export const comparisonFamily: CircuitFamily = {
  name: 'comparison',
  summary: 'a > b for two n-bit numbers, depth 3 with AND/OR/NOT',
  expectedClass: 'AC0',
  params: (n) => ({ n }),
  build: ({ n }) => {
    const c = new CircuitBuilder(`comparison-${n}`);
    const a = c.inputs('a', n);
    const b = c.inputs('b', n);
    // eq[j − 1] = [a_j = b_j] for j = 1 … n−1: position 0 is never above another.
    const eq = Array.from({ length: n - 1 }, (_, j) => c.xnor(a[j + 1]!, b[j + 1]!));
    const terms = Array.from({ length: n }, (_, i) => c.and(a[i]!, c.not(b[i]!), eq.slice(i)));
    return c.output('gt', c.or(terms)).build();
  },
  reference: ({ n }, input) => [toBigInt(input.slice(0, n)) > toBigInt(input.slice(n, 2 * n))],
  sizes: [4, 8, 16, 32, 64],
  scale: 'bits per operand',
  // n NOTs, n − 1 XNORs, n ANDs, one OR.
  shape: ({ n }) => ({ depth: 3, size: 3 * n, exact: true }),
};
