/**
 * The word problem of the cyclic group Z_m — the sum of n residues mod m — in
 * constant depth with threshold gates (Z_m is solvable, so its word problem is
 * in ACC0 ⊂ TC0, unlike A5's). Element i is given in binary, B = ⌈log2 m⌉ bits
 * e{i}_{j}, least significant first; the output is the residue in binary,
 * r0 … r(B−1). Inputs whose value is ≥ m are read at their binary value (the
 * reference does the same), so the function is defined on every input.
 *
 * With S = Σ_i Σ_j 2^j·e_ij ≤ S_max = n(2^B − 1), a THR gate over the list in
 * which e_ij appears 2^j times is [S ≥ T] (a repeated input counts once per
 * occurrence):
 *   G_T = THR_T(…),  EXACT_T = G_T ∧ ¬G_{T+1} (T < S_max),  EXACT_{S_max} = G_{S_max}
 *   r_j = OR { EXACT_T : 1 ≤ T ≤ S_max, bit j of (T mod m) is 1 }
 * THR, NOT, AND, OR: depth 4. S_max THR gates of fan-in S_max: O(n) gates and
 * O(n²) wires for a fixed m.
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder, type Wire } from '../CircuitBuilder.js';

const bitLength = (x: number) => 32 - Math.clz32(x);

export interface CyclicWordParams {
  readonly n: number;
}

export function cyclicWordProblemFamily(m: number): CircuitFamily<CyclicWordParams> {
  if (!Number.isSafeInteger(m) || m < 2 || m > 1024) throw new RangeError(`Z_m word problem needs 2 <= m <= 1024, got ${m}`);
  const B = bitLength(m - 1);
  const sMax = (n: number) => n * (2 ** B - 1);
  return {
    name: `z${m}`,
    summary: `sum of n residues mod ${m}, each in ${B} bits, depth 4 with THR gates`,
    expectedClass: 'TC0',
    scale: `number of Z_${m} elements n (${B} input bits each)`,
    params: (n) => ({ n }),
    build: ({ n }) => {
      if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`z${m}: n must be an integer >= 1, got ${n}`);
      const c = new CircuitBuilder(`z${m}-word-${n}`);
      const elements = Array.from({ length: n }, (_, i) => Array.from({ length: B }, (_, j) => c.input(`e${i}_${j}`)));
      const weighted = elements.flatMap((bits) => bits.flatMap((w, j) => new Array<Wire>(2 ** j).fill(w)));
      const S = sMax(n);
      const g = Array.from({ length: S }, (_, t) => c.threshold(t + 1, weighted)); // g[T − 1] = [S ≥ T]
      const exact = new Map<number, Wire>();
      for (let T = 1; T <= S; T++) if (T % m !== 0) exact.set(T, T === S ? g[T - 1]! : c.and(g[T - 1]!, c.not(g[T]!)));
      for (let j = 0; j < B; j++) {
        const terms = [...exact].filter(([T]) => ((T % m) >> j) & 1).map(([, w]) => w);
        c.output(`r${j}`, terms.length > 0 ? c.or(terms) : c.constant(false));
      }
      return c.build();
    },
    reference: ({ n }, input) => {
      let sum = 0;
      for (let i = 0; i < n; i++) for (let j = 0; j < B; j++) if (input[i * B + j]) sum += 2 ** j;
      const r = sum % m;
      return Array.from({ length: B }, (_, j) => ((r >> j) & 1) === 1);
    },
    // S_max THR gates; a NOT and an AND for each T < S_max with T ≢ 0 (mod m); one OR per
    // residue bit that some reachable residue (at most min(S_max, m − 1)) sets.
    shape: ({ n }) => {
      const S = sMax(n);
      const middle = S - 1 - Math.floor((S - 1) / m);
      return { depth: middle > 0 ? 4 : 2, size: S + 2 * middle + bitLength(Math.min(S, m - 1)), exact: true };
    },
    sizes: [1, 2, 4, 8],
  };
}

export const z60Family = cyclicWordProblemFamily(60);
