/**
 * Addition of two n-bit numbers by carry lookahead, flattened to constant
 * depth. Inputs a0…a(n−1), b0…b(n−1), least significant first; outputs
 * s0…sn. With generate g_j = a_j ∧ b_j and propagate p_j = a_j ⊕ b_j, a carry
 * reaches position i iff some position j < i generates one and every position
 * in between propagates it:
 *   c_i = OR_{j<i} ( g_j ∧ AND_{j<k<i} p_k ),   s_i = p_i ⊕ c_i,   s_n = c_n
 * (c_0 = 0, so s_0 = p_0; the j = i−1 term is g_{i−1} itself, and c_1 = g_0).
 * g, p at depth 1, the lookahead ANDs at 2, the carry ORs at 3, the sum XORs
 * at 4: depth 4 for every n ≥ 3 (n = 2: 3, n = 1: 1), size Θ(n²) — against
 * depth n for ripple carry. Every gate is AC0 (XOR has fan-in 2).
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder, type Wire } from '../CircuitBuilder.js';

/** The number whose binary digits, least significant first, are `bits`. */
const toBigInt = (bits: readonly boolean[]) => bits.reduce((v, x, i) => (x ? v | (1n << BigInt(i)) : v), 0n);

export const additionFamily: CircuitFamily = {
  name: 'addition',
  summary: 'n-bit addition, carry lookahead flattened to depth 4',
  expectedClass: 'AC0',
  params: (n) => ({ n }),
  build: ({ n }) => {
    const c = new CircuitBuilder(`addition-${n}`);
    const a = c.inputs('a', n);
    const b = c.inputs('b', n);
    const g = a.map((ai, j) => c.and(ai, b[j]!));
    const p = a.map((ai, j) => c.xor(ai, b[j]!));
    const carry = (i: number): Wire => {
      const terms = Array.from({ length: i }, (_, j) => (j === i - 1 ? g[j]! : c.and(g[j]!, p.slice(j + 1, i))));
      return terms.length === 1 ? terms[0]! : c.or(terms);
    };
    c.output('s0', p[0]!);
    for (let i = 1; i < n; i++) c.output(`s${i}`, c.xor(p[i]!, carry(i)));
    return c.output(`s${n}`, carry(n)).build();
  },
  reference: ({ n }, input) => {
    const sum = toBigInt(input.slice(0, n)) + toBigInt(input.slice(n, 2 * n));
    return Array.from({ length: n + 1 }, (_, i) => ((sum >> BigInt(i)) & 1n) === 1n);
  },
  sizes: [4, 8, 16, 32, 64],
  scale: 'bits per addend',
  // n generates + n propagates; Σ_{i=1..n} (i − 1) = n(n−1)/2 lookahead ANDs;
  // n − 1 carry ORs (c_2 … c_n); n − 1 sum XORs (s_1 … s_{n−1}).
  shape: ({ n }) => ({
    depth: n >= 3 ? 4 : n === 2 ? 3 : 1,
    size: 2 * n + (n * (n - 1)) / 2 + 2 * (n - 1),
    exact: true,
  }),
};
