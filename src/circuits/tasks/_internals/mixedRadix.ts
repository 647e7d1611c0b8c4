/**
 * Inputs that are sequences of independent choices, position i from its own
 * alphabet (a formula in prefix order: a gate kind or a leaf bit at each
 * position; a layered circuit: bits, gate kinds, wire indices). Counting,
 * enumeration in a fixed order and uniform sampling all follow from the
 * alphabets.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type Alphabets = readonly (readonly string[])[];

export function countSequences(alphabets: Alphabets): bigint {
  return alphabets.reduce((n, a) => n * BigInt(a.length), 1n);
}

export function* allSequences(alphabets: Alphabets): Generator<string[]> {
  const digits = new Array<number>(alphabets.length).fill(0);
  for (;;) {
    yield digits.map((d, i) => alphabets[i]![d]!);
    let i = alphabets.length - 1;
    while (i >= 0 && digits[i] === alphabets[i]!.length - 1) digits[i--] = 0;
    if (i < 0) return;
    digits[i]!++;
  }
}

export function randomSequence(alphabets: Alphabets, rng: RandomGenerator): string[] {
  return alphabets.map((a) => a[uniformInt(rng, 0, a.length - 1)]!);
}
