/**
 * THRESHOLD_{n,k}: one THR(k) gate, [Σ_i x_i ≥ k]. With k = ⌈n/3⌉ (the
 * default size map) the threshold grows linearly in n, which is what keeps it
 * out of AC0: THR(k) with k ≤ polylog(n) has constant-depth AND/OR circuits,
 * THR(k) with k = Θ(n) does not (it reduces MAJORITY by padding). Depth 1,
 * size 1 for every n and k.
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder } from '../CircuitBuilder.js';

export const thresholdFamily: CircuitFamily<{ n: number; k: number }> = {
  name: 'threshold',
  summary: 'at least k of n bits (k = ⌈n/3⌉ by default), one THR gate',
  expectedClass: 'TC0',
  params: (n) => ({ n, k: Math.ceil(n / 3) }),
  build: ({ n, k }) => {
    const c = new CircuitBuilder(`threshold-${n}-${k}`);
    return c.output('thr', c.threshold(k, c.inputs('x', n))).build();
  },
  reference: ({ k }, input) => [input.filter(Boolean).length >= k],
  sizes: [4, 8, 16, 32, 64],
  scale: 'number of input bits',
  shape: () => ({ depth: 1, size: 1, exact: true }),
};
