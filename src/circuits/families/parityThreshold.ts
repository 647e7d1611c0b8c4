/**
 * PARITY_n in constant depth with threshold gates (the TC0 construction).
 * With c = Σx and T_k = [c ≥ k], the alternating sum Σ_{k odd} T_k − Σ_{k even} T_k
 * equals c mod 2. Writing −T_k as ¬T_k − 1 turns it into a sum of E + (c mod 2)
 * over the gates {T_k : k odd} ∪ {¬T_k : k even}, E = ⌊n/2⌋, so
 *   parity = THR_{E+1}(T_1, ¬T_2, T_3, ¬T_4, …)
 * — depth 3 (THR, NOT, THR) for every n, size n + ⌊n/2⌋ + 1.
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder } from '../CircuitBuilder.js';

export const parityThresholdFamily: CircuitFamily = {
  name: 'parity',
  summary: 'parity of n bits in depth 3 with THR gates',
  expectedClass: 'TC0',
  params: (n) => ({ n }),
  build: ({ n }) => {
    const c = new CircuitBuilder(`parity-threshold-${n}`);
    const xs = c.inputs('x', n);
    const terms = Array.from({ length: n }, (_, i) => {
      const t = c.threshold(i + 1, xs);
      return (i + 1) % 2 === 1 ? t : c.not(t);
    });
    return c.output('parity', c.threshold(Math.floor(n / 2) + 1, terms)).build();
  },
  reference: (_p, input) => [input.filter(Boolean).length % 2 === 1],
  sizes: [4, 8, 16, 32, 64],
  scale: 'number of input bits',
  // n THR gates, ⌊n/2⌋ NOTs, one output THR; depth 2 when there is nothing to negate (n = 1).
  shape: ({ n }) => ({ depth: n >= 2 ? 3 : 2, size: n + Math.floor(n / 2) + 1, exact: true }),
};
