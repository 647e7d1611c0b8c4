/**
 * PARITY_n as a balanced tree of fan-in-2 XOR gates: depth ⌈log2 n⌉, size
 * n − 1 — the textbook NC1 circuit (parity itself is in NC1 and TC0, but not
 * in AC0).
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder, type Wire } from '../CircuitBuilder.js';

export const parityTreeFamily: CircuitFamily = {
  name: 'parity-tree',
  summary: 'parity of n bits, balanced tree of 2-input XOR gates',
  expectedClass: 'NC1',
  params: (n) => ({ n }),
  build: ({ n }) => {
    const c = new CircuitBuilder(`parity-tree-${n}`);
    let level: Wire[] = c.inputs('x', n);
    while (level.length > 1) {
      const next: Wire[] = [];
      for (let i = 0; i + 1 < level.length; i += 2) next.push(c.xor(level[i]!, level[i + 1]!));
      if (level.length % 2 === 1) next.push(level[level.length - 1]!);
      level = next;
    }
    return c.output('parity', level.length === 1 && n > 1 ? level[0]! : c.buf(level[0]!)).build();
  },
  reference: (_p, input) => [input.filter(Boolean).length % 2 === 1],
  sizes: [4, 8, 16, 32, 64, 128],
  scale: 'number of input bits',
  // n − 1 XOR gates in ⌈log2 n⌉ levels (n = 1: a single buffer).
  shape: ({ n }) => (n === 1 ? { depth: 1, size: 1, exact: true } : { depth: Math.ceil(Math.log2(n)), size: n - 1, exact: true }),
};
