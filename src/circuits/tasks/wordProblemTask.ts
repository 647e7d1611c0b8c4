/**
 * The word problem of a finite group: given g1 … gn, compute the product
 * g1·g2·…·gn (left to right: g1 acts first). Over a non-solvable group (A5,
 * S5) it is NC1-complete (Barrington 1989), so a constant-depth transformer
 * should fail on it as n grows; over a solvable group (Z60, S4, A4) it is in
 * ACC0 ⊂ TC0. The chain-of-thought trace lists the prefix products, which are
 * also the per-position labels of the tagging format (Merrill, Petty &
 * Sabharwal 2024, "The Illusion of State").
 *
 * Elements are written as the group writes them: permutations in one-line
 * notation ("21345" sends 1→2, 2→1, …), residues of Z_m as decimals.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { FiniteGroup } from '../groups/group.js';
import type { Example, ExampleSymbols, Solution, Task, TaskInput } from './Task.js';

/** Groups up to this order get a precomputed Cayley table (order² entries). */
const TABLE_LIMIT = 1024;

export function wordProblemTask<E>(group: FiniteGroup<E>, id = group.name.toLowerCase()): Task {
  const names = group.elements().map((e) => group.format(e));
  const index = new Map(names.map((n, i) => [n, i]));
  const order = names.length;
  const parsed = names.map((n) => group.parse(n)!);
  let table: Uint32Array | undefined;
  if (order <= TABLE_LIMIT) {
    table = new Uint32Array(order * order);
    for (let a = 0; a < order; a++) {
      for (let b = 0; b < order; b++) table[a * order + b] = index.get(group.format(group.multiply(parsed[a]!, parsed[b]!)))!;
    }
  }
  const multiply = (a: number, b: number): number =>
    table !== undefined ? table[a * order + b]! : index.get(group.format(group.multiply(parsed[a]!, parsed[b]!)))!;
  const identity = index.get(group.format(group.identity()))!;

  const decode = (input: TaskInput, depth: number): number[] => {
    if (typeof input === 'string' || input.length !== depth) {
      throw new RangeError(`${id}: input must be a list of ${depth} ${group.name} elements, got ${JSON.stringify(input)}`);
    }
    return input.map((s) => {
      const i = index.get(s);
      if (i === undefined) throw new RangeError(`${id}: ${JSON.stringify(s)} is not an element of ${group.name}`);
      return i;
    });
  };

  const solve = (depth: number, input: TaskInput): Solution => {
    const trace: string[] = [];
    let acc = identity;
    for (const g of decode(input, depth)) {
      acc = multiply(acc, g);
      trace.push(names[acc]!);
    }
    return { trace, answer: names[acc]! };
  };

  return {
    id,
    summary: `word problem of ${group.name} (order ${order}): the product of n elements, left to right`,
    taskClass: group.solvable ? 'TC0' : 'NC1',
    depthMeaning: 'sequence length n (number of group elements)',
    parameters: { group: group.name, order },
    minDepth: 1,
    maxDepth: 4096,
    countInputs: (depth) => BigInt(order) ** BigInt(depth),
    *allInputs(depth) {
      const digits = new Array<number>(depth).fill(0);
      for (;;) {
        yield digits.map((d) => names[d]!);
        let i = depth - 1;
        while (i >= 0 && digits[i] === order - 1) digits[i--] = 0;
        if (i < 0) return;
        digits[i]!++;
      }
    },
    randomInput: (depth, rng) => Array.from({ length: depth }, () => names[uniformInt(rng, 0, order - 1)]!),
    solve,
    symbols: (ex: Example): ExampleSymbols => {
      const input = ex.input as readonly string[];
      return { input, trace: ex.trace, answer: [ex.answer], labels: ex.trace };
    },
    vocabulary: () => names,
  };
}
