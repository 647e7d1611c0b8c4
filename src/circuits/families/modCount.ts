/**
 * Counting mod m: the residue r = (Σ_i x_i) mod m in binary, r0 … r(b−1)
 * least significant first, b = ⌈log2 m⌉ (at least 1). This is the word problem
 * of Z_m on the generators {0, 1}: the product g_{x0} + … + g_{x(n−1)} in Z_m
 * is the count of ones mod m. For m ≥ 2 it is not in AC0 (Furst–Saxe–Sipser
 * for m = 2, Razborov–Smolensky in general); threshold gates count directly:
 *   T_s = THR_s(x)                [Σx ≥ s],  s = 1 … n
 *   EXACT_s = T_s ∧ ¬T_{s+1}      [Σx = s],  s < n;   EXACT_n = T_n
 *   r_j = OR { EXACT_s : 1 ≤ s ≤ n, bit j of (s mod m) is 1 }
 * (s = 0 has residue 0, so EXACT_0 is never needed). An r_j with no such s is
 * the constant 0. Depth 4 (THR, NOT, AND, OR) for every n ≥ 2, whatever m.
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder, type Wire } from '../CircuitBuilder.js';

/** Number of binary digits of x ≥ 0 (0 for x = 0). */
const bitLength = (x: number) => 32 - Math.clz32(x);
const residueBits = (m: number) => Math.max(1, bitLength(m - 1));

export const modCountFamily: CircuitFamily<{ n: number; m: number }> = {
  name: 'mod-count',
  summary: 'Σx mod m in binary (m = 3 by default), depth 4 with THR gates',
  expectedClass: 'TC0',
  params: (n) => ({ n, m: 3 }),
  build: ({ n, m }) => {
    const c = new CircuitBuilder(`mod-count-${n}-${m}`);
    const xs = c.inputs('x', n);
    // Z_1 is trivial: every residue is 0 and no T_s is read, so none is built.
    const t = m === 1 ? [] : Array.from({ length: n }, (_, i) => c.threshold(i + 1, xs));
    const exact: [number, Wire][] = [];
    for (let s = 1; s <= n; s++) {
      if (s % m !== 0) exact.push([s, s === n ? t[s - 1]! : c.and(t[s - 1]!, c.not(t[s]!))]);
    }
    for (let j = 0; j < residueBits(m); j++) {
      const terms = exact.filter(([s]) => ((s % m) >> j) & 1).map(([, w]) => w);
      c.output(`r${j}`, terms.length > 0 ? c.or(terms) : c.constant(false));
    }
    return c.build();
  },
  reference: ({ m }, input) => {
    const r = input.filter(Boolean).length % m;
    return Array.from({ length: residueBits(m) }, (_, j) => ((r >> j) & 1) === 1);
  },
  sizes: [4, 8, 16, 32, 64, 128],
  scale: 'number of input bits',
  // n THR gates (each T_s is read: when s ≡ 0 mod m, by EXACT_{s−1}); one NOT and
  // one AND per s < n with s ≢ 0, i.e. (n−1) − ⌊(n−1)/m⌋ of each; one OR per bit j
  // with 2^j ≤ min(n, m−1), the largest residue reached. n = 1: THR then OR only.
  shape: ({ n, m }) => {
    if (m === 1 || n === 0) return { depth: 0, size: 0, exact: true };
    const middle = n - 1 - Math.floor((n - 1) / m);
    return { depth: n >= 2 ? 4 : 2, size: n + 2 * middle + bitLength(Math.min(n, m - 1)), exact: true };
  },
};
