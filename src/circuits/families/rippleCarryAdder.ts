/**
 * Addition of two n-bit numbers by ripple carry: carry_{i+1} = MAJ(a_i, b_i, carry_i),
 * sum_i = a_i ⊕ b_i ⊕ carry_i. Depth grows linearly in n — the sequential
 * baseline against which carry-lookahead (O(log n)) and threshold (O(1))
 * adders are compared. Inputs a0…a(n−1), b0…b(n−1), least significant first;
 * outputs s0…sn (n + 1 bits).
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder } from '../CircuitBuilder.js';

export const rippleCarryAdderFamily: CircuitFamily = {
  name: 'ripple-carry-adder',
  summary: 'n-bit addition, ripple carry (MAJ carries)',
  expectedClass: 'linear-depth',
  params: (n) => ({ n }),
  build: ({ n }) => {
    const c = new CircuitBuilder(`ripple-carry-adder-${n}`);
    const a = c.inputs('a', n);
    const b = c.inputs('b', n);
    let carry = c.and(a[0]!, b[0]!);
    c.output('s0', c.xor(a[0]!, b[0]!));
    for (let i = 1; i < n; i++) {
      c.output(`s${i}`, c.xor(a[i]!, b[i]!, carry));
      carry = c.majority(a[i]!, b[i]!, carry);
    }
    return c.output(`s${n}`, carry).build();
  },
  reference: ({ n }, input) => {
    let carry = 0;
    const out: boolean[] = [];
    for (let i = 0; i < n; i++) {
      const s = Number(input[i]) + Number(input[n + i]) + carry;
      out.push(s % 2 === 1);
      carry = s >> 1;
    }
    return [...out, carry === 1];
  },
  sizes: [2, 4, 8, 16, 32],
  scale: 'bits per addend',
  // 1 AND + 1 XOR for bit 0, then an XOR and a MAJ per bit: the carry chain has depth n, the top sum bit n.
  shape: ({ n }) => ({ depth: n, size: 2 * n, exact: true }),
};
