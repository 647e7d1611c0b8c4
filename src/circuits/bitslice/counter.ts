/**
 * Bit-sliced population count and comparisons against constants, the lowering
 * behind MAJ, THR(k) and MOD(m).
 *
 * The count of true inputs is built by a carry-save (Wallace) tree: column j
 * holds bits of weight 2^j; a full adder turns three bits of column j into a
 * sum bit (j) and a carry (j+1), a half adder does the same for two. That costs
 * about 5 word operations per input, against O(n log n) for a ripple counter.
 */
import { type Bit, type BitBuilder, ONE, ZERO } from './BitBuilder.js';

/** Binary count of the true bits of `xs`, least significant bit first. */
export function popcountBits(b: BitBuilder, xs: readonly Bit[]): Bit[] {
  const columns: Bit[][] = [[...xs]];
  for (let j = 0; j < columns.length; j++) {
    const col = columns[j]!;
    while (col.length > 1) {
      const next = (columns[j + 1] ??= []);
      if (col.length >= 3) {
        const x = col.pop()!, y = col.pop()!, z = col.pop()!;
        const xy = b.xor([x, y]);
        col.unshift(b.xor([xy, z]));
        // carry = majority(x, y, z) = (x & y) | (z & (x ^ y))
        next.push(b.or([b.and([x, y]), b.and([z, xy])]));
      } else {
        const x = col.pop()!, y = col.pop()!;
        col.unshift(b.xor([x, y]));
        next.push(b.and([x, y]));
      }
    }
  }
  return columns.map((col) => col[0] ?? ZERO);
}

/** count >= k, for a count given as binary bits (LSB first) and a constant k >= 0. */
export function atLeast(b: BitBuilder, count: readonly Bit[], k: number): Bit {
  if (k <= 0) return ONE;
  if (k >= 2 ** count.length) return ZERO;
  // ge_j: (count mod 2^(j+1)) >= (k mod 2^(j+1)); ge_{-1} = true.
  let ge: Bit = ONE;
  for (let j = 0; j < count.length; j++) {
    const bit = count[j]!;
    ge = Math.floor(k / 2 ** j) % 2 === 1 ? b.and([bit, ge]) : b.or([bit, ge]);
  }
  return ge;
}

/** count == c, for a constant c >= 0. */
export function equals(b: BitBuilder, count: readonly Bit[], c: number): Bit {
  if (c >= 2 ** count.length) return ZERO;
  return b.and(count.map((bit, j) => (Math.floor(c / 2 ** j) % 2 === 1 ? bit : b.not(bit))));
}
