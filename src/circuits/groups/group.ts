/**
 * Finite groups for word problems: the symmetric group S_k, the alternating
 * group A_k (even permutations; A_5 is the smallest non-solvable group, which
 * makes its word problem NC1-complete by Barrington), and the cyclic group
 * Z_m (solvable; its word problem is in TC0 — it is counting mod m), and
 * direct products G × H such as A4 × Z5 (order 60, solvable but not abelian:
 * the Illusion of State's contrast to A5 and Z60, also of order 60).
 * Each group carries its own behaviour: element encoding as strings, product
 * (left to right), identity, membership and uniform sampling.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import {
  allPermutations,
  compose,
  formatPermutation,
  identity,
  parsePermutation,
  type Permutation,
  randomPermutation,
  sign,
} from './permutation.js';

export interface FiniteGroup<E> {
  /** "S5", "A5", "Z60". */
  readonly name: string;
  readonly order: number;
  /** Whether the group is solvable (its word problem is then in ACC0 / TC0; non-solvable ones are NC1-complete). */
  readonly solvable: boolean;
  identity(): E;
  /** Left to right: a acts first. */
  multiply(a: E, b: E): E;
  contains(e: E): boolean;
  random(rng: RandomGenerator): E;
  /** Every element, in a fixed order (used for vocabularies). */
  elements(): E[];
  format(e: E): string;
  parse(text: string): E | undefined;
}

function factorial(k: number): number {
  let f = 1;
  for (let i = 2; i <= k; i++) f *= i;
  return f;
}

export function symmetricGroup(k: number): FiniteGroup<Permutation> {
  if (!Number.isInteger(k) || k < 1 || k > 9) throw new RangeError(`S_k needs 1 <= k <= 9 (one digit per point), got ${k}`);
  return {
    name: `S${k}`,
    order: factorial(k),
    solvable: k <= 4,
    identity: () => identity(k),
    multiply: compose,
    contains: (p) => p.length === k,
    random: (rng) => randomPermutation(k, rng),
    elements: () => allPermutations(k),
    format: formatPermutation,
    parse: (text) => {
      const p = parsePermutation(text);
      return p !== undefined && p.length === k ? p : undefined;
    },
  };
}

export function alternatingGroup(k: number): FiniteGroup<Permutation> {
  if (!Number.isInteger(k) || k < 1 || k > 9) throw new RangeError(`A_k needs 1 <= k <= 9 (one digit per point), got ${k}`);
  return {
    name: `A${k}`,
    order: Math.max(1, factorial(k) / 2),
    solvable: k <= 4,
    identity: () => identity(k),
    multiply: compose,
    contains: (p) => p.length === k && sign(p) === 1,
    random: (rng) => {
      // A uniform permutation, made even by composing with a fixed transposition when odd: a bijection S_k odd → A_k.
      const p = randomPermutation(k, rng);
      if (sign(p) === 1 || k < 2) return p;
      [p[0], p[1]] = [p[1]!, p[0]!];
      return p;
    },
    elements: () => allPermutations(k).filter((p) => sign(p) === 1),
    format: formatPermutation,
    parse: (text) => {
      const p = parsePermutation(text);
      return p !== undefined && p.length === k && sign(p) === 1 ? p : undefined;
    },
  };
}

export function cyclicGroup(m: number): FiniteGroup<number> {
  if (!Number.isSafeInteger(m) || m < 1) throw new RangeError(`Z_m needs an integer m >= 1, got ${m}`);
  return {
    name: `Z${m}`,
    order: m,
    solvable: true,
    identity: () => 0,
    multiply: (a, b) => (a + b) % m,
    contains: (e) => Number.isInteger(e) && e >= 0 && e < m,
    random: (rng) => uniformInt(rng, 0, m - 1),
    elements: () => Array.from({ length: m }, (_, i) => i),
    format: (e) => String(e),
    parse: (text) => (/^\d+$/.test(text) && Number(text) < m ? Number(text) : undefined),
  };
}

/**
 * G × H with (g, h)·(g′, h′) = (g·g′, h·h′): order |G|·|H|, solvable iff both
 * factors are. An element is written "g.h" (each factor's own notation, e.g.
 * "2143.3" in A4 × Z5), so it stays one symbol of a task's vocabulary.
 */
export function directProduct<A, B>(g: FiniteGroup<A>, h: FiniteGroup<B>): FiniteGroup<readonly [A, B]> {
  return {
    name: `${g.name}x${h.name}`,
    order: g.order * h.order,
    solvable: g.solvable && h.solvable,
    identity: () => [g.identity(), h.identity()],
    multiply: (a, b) => [g.multiply(a[0], b[0]), h.multiply(a[1], b[1])],
    contains: (e) => Array.isArray(e) && e.length === 2 && g.contains(e[0]) && h.contains(e[1]),
    random: (rng) => [g.random(rng), h.random(rng)],
    elements: () => g.elements().flatMap((a) => h.elements().map((b): readonly [A, B] => [a, b])),
    format: (e) => `${g.format(e[0])}.${h.format(e[1])}`,
    parse: (text) => {
      const dot = text.indexOf('.');
      if (dot < 0) return undefined;
      const a = g.parse(text.slice(0, dot));
      const b = h.parse(text.slice(dot + 1));
      return a === undefined || b === undefined ? undefined : [a, b];
    },
  };
}

type SimpleGroup = FiniteGroup<Permutation> | FiniteGroup<number>;

/**
 * "S5", "A4", "Z60", or a product of two such as "A4xZ5" / "A4×Z5"
 * (case-insensitive) → the group; undefined if not one of these forms.
 */
export function parseGroup(name: string): SimpleGroup | FiniteGroup<readonly [unknown, unknown]> | undefined {
  const factors = name.trim().split(/[x×]/i);
  if (factors.length === 2) {
    const [g, h] = factors.map((f) => parseSimpleGroup(f)) as [SimpleGroup | undefined, SimpleGroup | undefined];
    return g === undefined || h === undefined ? undefined : directProduct<unknown, unknown>(g as FiniteGroup<unknown>, h as FiniteGroup<unknown>);
  }
  return factors.length === 1 ? parseSimpleGroup(name) : undefined;
}

function parseSimpleGroup(name: string): SimpleGroup | undefined {
  const m = /^([SAZ])(\d+)$/i.exec(name.trim());
  if (!m) return undefined;
  const n = Number(m[2]);
  const kind = m[1]!.toUpperCase();
  if (kind === 'Z') return n >= 1 && Number.isSafeInteger(n) ? cyclicGroup(n) : undefined;
  if (n < 1 || n > 9) return undefined;
  return kind === 'S' ? symmetricGroup(n) : alternatingGroup(n);
}
