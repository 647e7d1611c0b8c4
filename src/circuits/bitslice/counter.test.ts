/**
 * Tests of the bit-sliced counter (popcountBits, atLeast, equals) against brute
 * force. The oracle is an independent BitBuilder written here that executes
 * every operation at once on concrete 32-bit words (ZERO = all zeros, ONE = all
 * ones): for n = 0..12 inputs, all 2^n assignments are packed into lanes
 * (assignment a sits in lane a, input i is bit i of a), and the count bits,
 * atLeast(k) and equals(c) are compared with the true number of ones of every
 * assignment, for every k and c in 0..n+2.
 */
import { describe, expect, it } from 'vitest';
import { type Bit, type BitBuilder, ONE, ZERO } from './BitBuilder.js';
import { atLeast, equals, popcountBits } from './counter.js';

/** Executes builder operations on whole lane arrays; a Bit >= 0 indexes `values`. */
class WordBuilder implements BitBuilder {
  readonly values: Uint32Array[] = [];
  operations = 0;

  constructor(readonly words: number) {}

  /** Registers a concrete lane array and returns its Bit. */
  constant(lanes: Uint32Array): Bit {
    this.values.push(lanes);
    return this.values.length - 1;
  }

  get(x: Bit): Uint32Array {
    if (x === ZERO) return new Uint32Array(this.words);
    if (x === ONE) return new Uint32Array(this.words).fill(0xffffffff);
    const v = this.values[x];
    if (v === undefined) throw new Error(`Bit ${x} was never produced`);
    return v;
  }

  private fold(xs: readonly Bit[], start: number, f: (a: number, b: number) => number): Bit {
    this.operations++;
    const out = new Uint32Array(this.words).fill(start);
    for (const x of xs) {
      const v = this.get(x);
      for (let w = 0; w < this.words; w++) out[w] = f(out[w]!, v[w]!);
    }
    return this.constant(out);
  }

  and(xs: readonly Bit[]): Bit { return this.fold(xs, 0xffffffff, (a, b) => a & b); }
  or(xs: readonly Bit[]): Bit { return this.fold(xs, 0, (a, b) => a | b); }
  xor(xs: readonly Bit[]): Bit { return this.fold(xs, 0, (a, b) => a ^ b); }
  not(x: Bit): Bit {
    this.operations++;
    return this.constant(this.get(x).map((w) => ~w));
  }
}

function bitOf(lanes: Uint32Array, lane: number): number {
  return (lanes[lane >>> 5]! >>> (lane & 31)) & 1;
}

function ones(a: number): number {
  let c = 0;
  for (let x = a; x !== 0; x >>>= 1) c += x & 1;
  return c;
}

/** A builder over all 2^n assignments, with input i as a Bit holding bit i of every lane's index. */
function exhaustive(n: number): { b: WordBuilder; xs: Bit[]; assignments: number } {
  const assignments = 2 ** n;
  const b = new WordBuilder(Math.max(1, assignments / 32));
  const xs = Array.from({ length: n }, (_, i) => {
    const lanes = new Uint32Array(b.words);
    for (let a = 0; a < assignments; a++) if ((a >> i) & 1) lanes[a >>> 5]! |= 1 << (a & 31);
    return b.constant(lanes);
  });
  return { b, xs, assignments };
}

/** Lanes (among the first `assignments`) where `got` differs from `want`; empty when all agree. */
function mismatches(assignments: number, got: (a: number) => number, want: (a: number) => number): string[] {
  const bad: string[] = [];
  for (let a = 0; a < assignments && bad.length < 5; a++) {
    if (got(a) !== want(a)) bad.push(`assignment ${a}: got ${got(a)}, want ${want(a)}`);
  }
  return bad;
}

/** The number each lane's count bits spell, LSB first. */
function countOf(b: WordBuilder, count: readonly Bit[], lane: number): number {
  return count.reduce((sum, bit, j) => sum + bitOf(b.get(bit), lane) * 2 ** j, 0);
}

const SIZES = Array.from({ length: 13 }, (_, n) => n);

describe('popcountBits', () => {
  it.each(SIZES)('spells the number of true inputs on every assignment of %i inputs', (n) => {
    const { b, xs, assignments } = exhaustive(n);
    const count = popcountBits(b, xs);
    expect(count.length).toBeGreaterThanOrEqual(1);
    expect(2 ** count.length).toBeGreaterThan(n);
    expect(mismatches(assignments, (a) => countOf(b, count, a), ones)).toEqual([]);
  });

  it.each(SIZES.filter((n) => n >= 2))('uses at most 5 word operations per input (%i inputs)', (n) => {
    const { b, xs } = exhaustive(n);
    popcountBits(b, xs);
    expect(b.operations).toBeLessThanOrEqual(5 * n);
  });

  it('counts constant inputs too: ONE adds one, ZERO adds nothing', () => {
    const { b, xs, assignments } = exhaustive(5);
    const mixed = [ONE, xs[0]!, ZERO, xs[1]!, xs[2]!, ONE, xs[3]!, ZERO, xs[4]!, ONE];
    const count = popcountBits(b, mixed);
    expect(mismatches(assignments, (a) => countOf(b, count, a), (a) => ones(a) + 3)).toEqual([]);
  });

  it('counts a repeated input once per occurrence', () => {
    const { b, xs, assignments } = exhaustive(3);
    const count = popcountBits(b, [xs[0]!, xs[0]!, xs[0]!, xs[1]!, xs[1]!, xs[2]!]);
    const want = (a: number) => 3 * (a & 1) + 2 * ((a >> 1) & 1) + ((a >> 2) & 1);
    expect(mismatches(assignments, (a) => countOf(b, count, a), want)).toEqual([]);
  });

  it('gives the count 0 for no inputs', () => {
    const b = new WordBuilder(1);
    const count = popcountBits(b, []);
    expect(countOf(b, count, 0)).toBe(0);
  });
});

describe.each(SIZES)('comparisons against constants, %i inputs', (n) => {
  const { b, xs, assignments } = exhaustive(n);
  const count = popcountBits(b, xs);
  const constants = Array.from({ length: n + 3 }, (_, k) => k);

  it.each(constants)('atLeast(count, %i) is true exactly where count >= k', (k) => {
    const ge = b.get(atLeast(b, count, k));
    expect(mismatches(assignments, (a) => bitOf(ge, a), (a) => (ones(a) >= k ? 1 : 0))).toEqual([]);
  });

  it.each(constants)('equals(count, %i) is true exactly where count == c', (c) => {
    const eq = b.get(equals(b, count, c));
    expect(mismatches(assignments, (a) => bitOf(eq, a), (a) => (ones(a) === c ? 1 : 0))).toEqual([]);
  });
});

describe('comparisons on count words given directly', () => {
  // Every 4-bit count value 0..15 in lanes 0..15, compared with every constant 0..17.
  const b = new WordBuilder(1);
  const count = [0, 1, 2, 3].map((j) => {
    let w = 0;
    for (let v = 0; v < 16; v++) if ((v >> j) & 1) w |= 1 << v;
    return b.constant(Uint32Array.of(w));
  });
  const constants = Array.from({ length: 18 }, (_, k) => k);

  it.each(constants)('atLeast and equals with the constant %i', (k) => {
    const ge = b.get(atLeast(b, count, k));
    const eq = b.get(equals(b, count, k));
    for (let v = 0; v < 16; v++) {
      expect(bitOf(ge, v), `count ${v}`).toBe(v >= k ? 1 : 0);
      expect(bitOf(eq, v), `count ${v}`).toBe(v === k ? 1 : 0);
    }
  });

  it('atLeast with k <= 0 is the constant ONE; with k past the widest count, ZERO', () => {
    expect(atLeast(b, count, 0)).toBe(ONE);
    expect(atLeast(b, count, -3)).toBe(ONE);
    expect(atLeast(b, count, 16)).toBe(ZERO);
    expect(equals(b, count, 16)).toBe(ZERO);
  });
});
