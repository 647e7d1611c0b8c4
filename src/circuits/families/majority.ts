/** MAJORITY_n: one strict-majority gate — the defining TC0 function (not in AC0, Furst–Saxe–Sipser / Håstad). */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder } from '../CircuitBuilder.js';

export const majorityFamily: CircuitFamily = {
  name: 'majority',
  summary: 'strict majority of n bits, one MAJ gate',
  expectedClass: 'TC0',
  params: (n) => ({ n }),
  build: ({ n }) => {
    const c = new CircuitBuilder(`majority-${n}`);
    return c.output('maj', c.majority(c.inputs('x', n))).build();
  },
  reference: ({ n }, input) => [2 * input.filter(Boolean).length > n],
  sizes: [4, 8, 16, 32, 64],
  scale: 'number of input bits',
  shape: () => ({ depth: 1, size: 1, exact: true }),
};
