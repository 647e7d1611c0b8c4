/**
 * Permutations of {1, …, k} in one-line notation — the elements of the word
 * problems over S_k and A_k and of Barrington's branching programs.
 *
 * Stored 0-based as a Uint8Array p with p[i] = image of i. Written 1-based as
 * a digit string: "21345" sends 1→2, 2→1, 3→3, … (k ≤ 9 in strings). Products
 * are taken left to right — in `compose(p, q)` p acts first — so the product
 * of a word w1 w2 … wn is the map x ↦ wn(…w2(w1(x))).
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type Permutation = Uint8Array;

export function identity(k: number): Permutation {
  return Uint8Array.from({ length: k }, (_, i) => i);
}

/** p then q: (p·q)(x) = q(p(x)). */
export function compose(p: Permutation, q: Permutation): Permutation {
  const r = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) r[i] = q[p[i]!]!;
  return r;
}

export function inverse(p: Permutation): Permutation {
  const r = new Uint8Array(p.length);
  for (let i = 0; i < p.length; i++) r[p[i]!] = i;
  return r;
}

export function equal(p: Permutation, q: Permutation): boolean {
  if (p.length !== q.length) return false;
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
  return true;
}

export function isIdentity(p: Permutation): boolean {
  for (let i = 0; i < p.length; i++) if (p[i] !== i) return false;
  return true;
}

/** +1 for even permutations (A_k), −1 for odd, from the cycle count: sign = (−1)^(k − cycles). */
export function sign(p: Permutation): 1 | -1 {
  const seen = new Uint8Array(p.length);
  let cycles = 0;
  for (let i = 0; i < p.length; i++) {
    if (seen[i]) continue;
    cycles++;
    for (let j = i; !seen[j]; j = p[j]!) seen[j] = 1;
  }
  return (p.length - cycles) % 2 === 0 ? 1 : -1;
}

/** "21345" → the permutation 1→2, 2→1, 3→3, 4→4, 5→5; undefined unless a permutation of 1..k, k = length ≤ 9. */
export function parsePermutation(text: string): Permutation | undefined {
  const k = text.length;
  if (k === 0 || k > 9 || !/^[1-9]+$/.test(text)) return undefined;
  const p = Uint8Array.from(text, (c) => Number(c) - 1);
  const seen = new Set(p);
  return seen.size === k && Math.max(...p) === k - 1 ? p : undefined;
}

export function formatPermutation(p: Permutation): string {
  let s = '';
  for (let i = 0; i < p.length; i++) s += String(p[i]! + 1);
  return s;
}

/** Every permutation of k points in lexicographic order of one-line notation. */
export function allPermutations(k: number): Permutation[] {
  const out: Permutation[] = [];
  const p = identity(k);
  const rec = (i: number) => {
    if (i === k) {
      out.push(p.slice());
      return;
    }
    for (let j = i; j < k; j++) {
      [p[i], p[j]] = [p[j]!, p[i]!];
      rec(i + 1);
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
  };
  rec(0);
  return out.sort((a, b) => formatPermutation(a).localeCompare(formatPermutation(b)));
}

/** A uniform random permutation (Fisher–Yates with depthlab's seeded generator). */
export function randomPermutation(k: number, rng: RandomGenerator): Permutation {
  const p = identity(k);
  for (let i = k - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}
