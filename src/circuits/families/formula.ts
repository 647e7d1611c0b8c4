/**
 * Random balanced Boolean formulas — the canonical NC1 objects: a fan-in-2
 * formula of depth d has at most 2^d leaves, and evaluating Boolean formulas
 * is NC1-complete (Buss 1987). Barrington's theorem (barrington.ts) turns
 * exactly these into width-5 permutation branching programs.
 *
 * `Formula` is a plain tagged union over variables, NOT, and binary AND/OR.
 * Depth convention: a NOT directly above an AND/OR is part of that gate (it
 * is a NAND/NOR gate of the circuit) and adds nothing; any other NOT (over a
 * variable or over a NOT) is a NOT gate and adds 1. So `formulaDepth(f)` is
 * exactly the depth of `formulaToCircuit(f)`. Barrington's length bound
 * counts the binary gates only (negations are free there), so it holds a
 * fortiori with this depth.
 *
 * `randomBalancedFormula({ depth: d, seed })`: a complete binary tree of
 * depth d whose internal nodes are each, independently and uniformly, AND,
 * OR, NAND or NOR (NAND = NOT over AND), drawn in pre-order from
 * seededRng(seed); leaf j reads x_j, so the formula is read-once over
 * the 2^d variables x0 … x(2^d − 1). Negating gate outputs rather than leaf
 * literals keeps the shape a closed form: the circuit has exactly 2^d − 1
 * gates and depth d (d = 0: the output is x0 itself, no gate). Over uniform
 * random inputs nothing is lost by positive leaves: flipping an input of a
 * read-once formula is a bijection of the input space.
 *
 * Family 'formula': n = number of input variables; the member is the
 * seed-0 formula of depth ⌈log2 n⌉ (2^⌈log2 n⌉ ≥ n variables), so depth
 * grows as log2 n. Depth itself is not the scale, because the family
 * analysis (depthGrowth.ts) fits depth against n and expects n to be an
 * input size.
 */
import { seededRng } from '../_internals/seededRng.js';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder, type Wire } from '../CircuitBuilder.js';
import type { Circuit } from '../Circuit.js';
import { CircuitError } from '../CircuitError.js';
import { ceilLog2 } from './_internals/booleanMatrix.js';

export type Formula =
  | { readonly op: 'var'; readonly index: number }
  | { readonly op: 'not'; readonly arg: Formula }
  | { readonly op: 'and' | 'or'; readonly left: Formula; readonly right: Formula };

export interface FormulaParams {
  readonly depth: number;
  readonly seed: number;
}

/** Largest depth `randomBalancedFormula` accepts (2^24 leaves). */
export const MAX_FORMULA_DEPTH = 24;

export function checkDepthSeed(where: string, { depth, seed }: FormulaParams, maxDepth: number): void {
  if (!Number.isSafeInteger(depth) || depth < 0 || depth > maxDepth) {
    throw new CircuitError('format', `${where}: depth must be an integer in 0..${maxDepth}, got ${depth}`, 'depth');
  }
  if (!Number.isSafeInteger(seed)) throw new CircuitError('format', `${where}: seed must be a safe integer, got ${seed}`, 'seed');
}

export function randomBalancedFormula(params: FormulaParams): Formula {
  checkDepthSeed('randomBalancedFormula', params, MAX_FORMULA_DEPTH);
  const rng = seededRng(params.seed);
  let next = 0;
  const grow = (d: number): Formula => {
    if (d === 0) return { op: 'var', index: next++ };
    const kind = uniformInt(rng, 0, 3); // 0 AND, 1 OR, 2 NAND, 3 NOR
    const left = grow(d - 1);
    const right = grow(d - 1);
    const gate: Formula = { op: kind % 2 === 0 ? 'and' : 'or', left, right };
    return kind >= 2 ? { op: 'not', arg: gate } : gate;
  };
  return grow(params.depth);
}

export function evaluateFormula(f: Formula, bits: readonly boolean[]): boolean {
  switch (f.op) {
    case 'var': {
      const b = bits[f.index];
      if (b === undefined) throw new CircuitError('width', `the formula reads x${f.index} but only ${bits.length} bits were given`, `x${f.index}`);
      return b;
    }
    case 'not':
      return !evaluateFormula(f.arg, bits);
    case 'and':
      return evaluateFormula(f.left, bits) && evaluateFormula(f.right, bits);
    case 'or':
      return evaluateFormula(f.left, bits) || evaluateFormula(f.right, bits);
  }
}

/** Depth of `formulaToCircuit(f)`: NOT over AND/OR is free (NAND/NOR), any other NOT counts 1. */
export function formulaDepth(f: Formula): number {
  switch (f.op) {
    case 'var':
      return 0;
    case 'not':
      return f.arg.op === 'and' || f.arg.op === 'or' ? formulaDepth(f.arg) : 1 + formulaDepth(f.arg);
    case 'and':
    case 'or':
      return 1 + Math.max(formulaDepth(f.left), formulaDepth(f.right));
  }
}

/** 1 + the largest variable index (0 for a formula without variables, which the union cannot express). */
export function formulaVariables(f: Formula): number {
  switch (f.op) {
    case 'var':
      return f.index + 1;
    case 'not':
      return formulaVariables(f.arg);
    case 'and':
    case 'or':
      return Math.max(formulaVariables(f.left), formulaVariables(f.right));
  }
}

/**
 * The formula as a fan-in-2 circuit with inputs x0 … x(numVars − 1) and one
 * output `f`: AND/OR gates, NAND/NOR for a NOT over AND/OR, NOT gates for
 * the other NOTs; every gate feeds one place, so the circuit is a formula.
 */
export function formulaToCircuit(f: Formula, numVars = formulaVariables(f), name?: string): Circuit {
  const need = formulaVariables(f);
  if (!Number.isSafeInteger(numVars) || numVars < need) {
    throw new CircuitError('width', `the formula reads x${need - 1}, so it needs at least ${need} variables, got ${numVars}`, 'numVars');
  }
  const c = new CircuitBuilder(name);
  const xs = c.inputs('x', numVars);
  const wire = (g: Formula): Wire => {
    switch (g.op) {
      case 'var':
        return xs[g.index]!;
      case 'not': {
        const a = g.arg;
        if (a.op === 'and') return c.nand(wire(a.left), wire(a.right));
        if (a.op === 'or') return c.nor(wire(a.left), wire(a.right));
        return c.not(wire(a));
      }
      case 'and':
        return c.and(wire(g.left), wire(g.right));
      case 'or':
        return c.or(wire(g.left), wire(g.right));
    }
  };
  return c.output('f', wire(f)).build();
}

/** The family's parameters for n input variables: depth ⌈log2 n⌉, seed 0. */
export function depthForVariables(n: number): FormulaParams {
  return { depth: ceilLog2(Math.max(1, n)), seed: 0 };
}

export const formulaFamily: CircuitFamily<FormulaParams> = {
  name: 'formula',
  summary: 'random balanced read-once formula of AND/OR/NAND/NOR gates, depth d, 2^d variables',
  expectedClass: 'NC1',
  scale: 'number of input variables n (formula depth d = ⌈log2 n⌉, 2^d variables)',
  params: depthForVariables,
  build: (p) => formulaToCircuit(randomBalancedFormula(p), 2 ** p.depth, `formula-d${p.depth}-s${p.seed}`),
  reference: (p, input) => [evaluateFormula(randomBalancedFormula(p), input)],
  sizes: [2, 4, 8, 16, 32, 64, 128],
  // A complete binary tree of 2^d − 1 two-input gates, one level per gate (d = 0: x0 itself).
  shape: ({ depth }) => ({ depth, size: 2 ** depth - 1, exact: true }),
};
