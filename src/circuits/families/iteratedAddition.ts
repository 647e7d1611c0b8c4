/**
 * Iterated addition: the sum S = Σ_i Σ_j 2^j·x_ij of n numbers of b bits each,
 * in depth 4 with unweighted threshold gates. Inputs x{i}_{j} = bit j of
 * number i (number-major, least significant first); outputs s0 … s(w−1),
 * w = b + ⌈log2 n⌉, enough for S ≤ S_max = n(2^b − 1).
 *
 * A THR gate counts a repeated input once per occurrence, so listing x_ij
 * 2^j times gives it the weight 2^j (the list has S_max entries):
 *   G_T = THR_T(each x_ij repeated 2^j times) = [S ≥ T],   T = 1 … S_max.
 * Bit t of S is 1 iff ⌊S / 2^t⌋ is odd, i.e. S lies in [q·2^t, (q+1)·2^t)
 * for an odd q:
 *   s_t = OR_{q odd, q·2^t ≤ S_max} ( G_{q·2^t} ∧ ¬G_{(q+1)·2^t} ),
 * where G_T = 0 for T > S_max, so that term is G_{q·2^t} alone; an s_t with
 * no term (2^t > S_max) is the constant 0. THR, NOT, AND, OR: depth 4 for
 * every n (depth 2 only when S_max = 1).
 *
 * b is a fixed parameter of the family: the weights 2^j are then constants,
 * and the circuit has about 2.5·S_max = O(n) gates and S_max² = O(n²) wires —
 * polynomial in n. Replicating inputs costs 2^b, so letting b grow with n
 * would make the circuit exponential in b; polynomial-size TC0 circuits for
 * growing b need the block-sum construction instead.
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder, type Wire } from '../CircuitBuilder.js';

/** Number of binary digits of x ≥ 0 (0 for x = 0). */
const bitLength = (x: number) => 32 - Math.clz32(x);
/** w = b + ⌈log2 n⌉ output bits. */
const sumBits = (n: number, b: number) => b + bitLength(n - 1);

function popcount(x: number): number {
  let ones = 0;
  for (; x > 0; x >>>= 1) ones += x & 1;
  return ones;
}

export const iteratedAdditionFamily: CircuitFamily<{ n: number; b: number }> = {
  name: 'iterated-addition',
  summary: 'sum of n numbers of b bits (b = 4 by default), depth 4 with THR gates',
  expectedClass: 'TC0',
  params: (n) => ({ n, b: 4 }),
  build: ({ n, b }) => {
    const c = new CircuitBuilder(`iterated-addition-${n}-${b}`);
    const x = Array.from({ length: n }, (_, i) => Array.from({ length: b }, (_, j) => c.input(`x${i}_${j}`)));
    const weighted = x.flatMap((row) => row.flatMap((xij, j) => Array<Wire>(2 ** j).fill(xij)));
    const max = weighted.length;
    const atLeast = Array.from({ length: max }, (_, i) => c.threshold(i + 1, weighted)); // atLeast[T − 1] = G_T
    // ¬G_T is read for every even T ≤ S_max (as (q+1)·2^t with t = 0, q = T − 1), once per T.
    const below = atLeast.map((g, i) => ((i + 1) % 2 === 0 ? c.not(g) : undefined));
    for (let t = 0; t < sumBits(n, b); t++) {
      const step = 2 ** t;
      const terms: Wire[] = [];
      for (let lo = step; lo <= max; lo += 2 * step) { // lo = q·2^t, q odd
        const hi = lo + step;
        terms.push(hi > max ? atLeast[lo - 1]! : c.and(atLeast[lo - 1]!, below[hi - 1]!));
      }
      c.output(`s${t}`, terms.length > 0 ? c.or(terms) : c.constant(false));
    }
    return c.build();
  },
  reference: ({ n, b }, input) => {
    let sum = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < b; j++) if (input[i * b + j]) sum += 2 ** j;
    return Array.from({ length: sumBits(n, b) }, (_, t) => Math.floor(sum / 2 ** t) % 2 === 1);
  },
  sizes: [2, 4, 8, 16, 32],
  scale: 'number of addends',
  // S_max THR gates, ⌊S_max/2⌋ NOTs; bit t has ⌊S_max/2^(t+1)⌋ ANDs, and
  // Σ_{u≥1} ⌊S_max/2^u⌋ = S_max − popcount(S_max) (Legendre); one OR per bit t
  // with 2^t ≤ S_max, i.e. bitLength(S_max) of them (≤ w, as S_max < 2^w).
  shape: ({ n, b }) => {
    const max = n * (2 ** b - 1);
    const depth = max >= 2 ? 4 : max === 1 ? 2 : 0;
    return { depth, size: max + Math.floor(max / 2) + max - popcount(max) + bitLength(max), exact: true };
  },
};
