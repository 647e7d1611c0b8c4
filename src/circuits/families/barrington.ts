/**
 * Barrington's theorem (1989), both ways: NC1 formulas ⇄ width-5 permutation
 * branching programs of polynomial length.
 *
 * Conventions: permutations of groups/permutation.ts, products LEFT TO RIGHT
 * (p·q means p acts first). A program is a list of instructions
 * (variable v, ifZero π0, ifOne π1); on input x its product is
 * π_{x_{v1}} · π_{x_{v2}} · … (instruction 1 acts first). A program
 * τ-computes f when its product is the 5-cycle τ if f(x) = 1 and the identity
 * e if f(x) = 0. `compileBarrington` outputs σ = 23451, the cycle
 * 1→2→3→4→5→1.
 *
 * Formula → program, `build(f, τ)` returns a program that τ-computes f:
 *   x_v          [(v, e, τ)]
 *   ¬g           build(g, τ⁻¹) with its last instruction multiplied on the
 *                right by τ: product τ^{−g}·τ = τ^{1−g}. The constant is
 *                merged into an instruction, so NOT costs no length.
 *   g ∧ h        with fixed 5-cycles α, β whose commutator
 *                C = α·β·α⁻¹·β⁻¹ is a 5-cycle, and γ relabelling C into τ
 *                (γ⁻¹·C·γ = τ): α' = γ⁻¹αγ, β' = γ⁻¹βγ and
 *                build(g, α') ++ build(h, β') ++ build(g, α'⁻¹) ++ build(h, β'⁻¹).
 *                Both true: α'β'α'⁻¹β'⁻¹ = γ⁻¹Cγ = τ; g false: β'^h β'^{−h} = e;
 *                h false: α'^g α'^{−g} = e.
 *   g ∨ h        ¬(¬g ∧ ¬h).
 * Conjugation γ⁻¹·π·γ (left to right) maps the cycle (a1 … a5) to
 * (γ(a1) … γ(a5)); relabelling is how every 5-cycle is reached. Length:
 * |x_v| = 1, |¬g| = |g|, |g ∧ h| = |g ∨ h| = 2(|g| + |h|), so a formula with
 * binary depth d gives length ≤ 4^d, exactly 4^d for a complete tree.
 *
 * Program → circuit (`programToCircuit`): instruction (v, π0, π1) is the 5×5
 * matrix M[i][j] = [π0(i) = j]·¬x_v ∨ [π1(i) = j]·x_v: constant 1 where
 * π0(i) = π1(i) = j, a literal where exactly one of them is j, constant 0
 * elsewhere. The literals are the gates NOT(x_v) and BUF(x_v), one of each
 * per variable read, so that every literal sits at depth 1. The matrices are
 * multiplied in a balanced tree of fan-in-2 matrix products
 * (_internals/booleanMatrix.ts; depth 4 per level for k = 5), and
 * accept = NOT(P[0][0]): P = e gives P[0][0] = 1, P = σ gives σ(1) = 2 ≠ 1.
 * For L = 4^d instructions over 2^d variables read (family 'barrington'):
 *   depth = 1 + 4·2d + 1 = 8d + 2, size = 225(4^d − 1) + 2·2^d + 1,
 * with no constant folding. The depth is attained: for d ≥ 1 the leaves
 * under the root's left-right grandchild have their whole 4×4 top-left
 * block at full depth, and every instruction (π0 ≠ π1, so they differ on at
 * least two points) has a literal there.
 *
 * Family 'barrington': n = program length; the member compiles the seed-0
 * random balanced formula of depth d = ⌈log4 n⌉ (randomBalancedFormula), so
 * it has 4^d ≥ n instructions over 2^d variables and depth 4·log2(4^d) + 2.
 * Size grows as 225·n, which is why n is not the number of variables (that
 * would make n = 50 a 921,504-gate circuit).
 */
import type { CircuitFamily } from './CircuitFamily.js';
import { CircuitBuilder, type Wire } from '../CircuitBuilder.js';
import type { Circuit } from '../Circuit.js';
import { CircuitError } from '../CircuitError.js';
import { compose, identity, inverse, parsePermutation, type Permutation } from '../groups/permutation.js';
import { checkDepthSeed, evaluateFormula, type Formula, type FormulaParams, formulaVariables, randomBalancedFormula } from './formula.js';
import { ceilLog2, productTree, type WireMatrix } from './_internals/booleanMatrix.js';

export interface Instruction {
  readonly variable: number;
  readonly ifZero: Permutation;
  readonly ifOne: Permutation;
}

export type BranchingProgram = readonly Instruction[];

const perm = (text: string): Permutation => parsePermutation(text)!;

/** The program's output cycle σ = 23451: 1→2→3→4→5→1. */
export const SIGMA: Permutation = perm('23451');
/** 5-cycles whose commutator α·β·α⁻¹·β⁻¹ (left to right) is the 5-cycle 54213 = (1 5 3 2 4). */
export const ALPHA: Permutation = perm('23451');
export const BETA: Permutation = perm('24153');

export function commutator(a: Permutation, b: Permutation): Permutation {
  return compose(compose(compose(a, b), inverse(a)), inverse(b));
}

/** Whether p is one cycle through all its points. */
export function isFullCycle(p: Permutation): boolean {
  let x = 0;
  let n = 0;
  do {
    x = p[x]!;
    n++;
  } while (x !== 0 && n <= p.length);
  return n === p.length && x === 0;
}

/** γ⁻¹·π·γ, left to right: the map γ(a) ↦ γ(π(a)). */
export function conjugate(p: Permutation, g: Permutation): Permutation {
  return compose(compose(inverse(g), p), g);
}

/** A γ with γ⁻¹·from·γ = to, for full cycles from, to: γ(from^i(0)) = to^i(0). */
export function relabelling(from: Permutation, to: Permutation): Permutation {
  const g = new Uint8Array(from.length);
  let a = 0;
  let b = 0;
  for (let i = 0; i < from.length; i++) {
    g[a] = b;
    a = from[a]!;
    b = to[b]!;
  }
  return g;
}

const COMMUTATOR = commutator(ALPHA, BETA);

function build(f: Formula, tau: Permutation): Instruction[] {
  switch (f.op) {
    case 'var':
      return [{ variable: f.index, ifZero: identity(tau.length), ifOne: tau }];
    case 'not': {
      const p = build(f.arg, inverse(tau));
      const last = p[p.length - 1]!;
      p[p.length - 1] = { variable: last.variable, ifZero: compose(last.ifZero, tau), ifOne: compose(last.ifOne, tau) };
      return p;
    }
    case 'and': {
      const g = relabelling(COMMUTATOR, tau);
      const a = conjugate(ALPHA, g);
      const b = conjugate(BETA, g);
      return [...build(f.left, a), ...build(f.right, b), ...build(f.left, inverse(a)), ...build(f.right, inverse(b))];
    }
    case 'or': {
      const not = (arg: Formula): Formula => ({ op: 'not', arg });
      return build(not({ op: 'and', left: not(f.left), right: not(f.right) }), tau);
    }
  }
}

/** A width-5 program that σ-computes f (product σ when f(x) = 1, e when f(x) = 0); length ≤ 4^(binary depth). */
export function compileBarrington(f: Formula, numVars = formulaVariables(f)): BranchingProgram {
  const need = formulaVariables(f);
  if (!Number.isSafeInteger(numVars) || numVars < need) {
    throw new CircuitError('width', `the formula reads x${need - 1}, so it needs at least ${need} variables, got ${numVars}`, 'numVars');
  }
  return build(f, SIGMA);
}

/** The product of the instructions selected by the bits, left to right (the identity for an empty program). */
export function evaluateProgram(program: BranchingProgram, bits: readonly boolean[], width = 5): Permutation {
  let p = identity(program[0]?.ifZero.length ?? width);
  for (const ins of program) {
    const b = bits[ins.variable];
    if (b === undefined) throw new CircuitError('width', `the program reads x${ins.variable} but only ${bits.length} bits were given`, `x${ins.variable}`);
    p = compose(p, b ? ins.ifOne : ins.ifZero);
  }
  return p;
}

/** Fan-in-2 circuit with inputs x0 … x(numVars − 1) and one output `accept` = [the program's product is not e]. */
export function programToCircuit(program: BranchingProgram, numVars: number, name?: string): Circuit {
  const k = program[0]?.ifZero.length ?? 5;
  for (const ins of program) {
    if (!Number.isSafeInteger(ins.variable) || ins.variable < 0 || ins.variable >= numVars) {
      throw new CircuitError('width', `an instruction reads x${ins.variable}, outside x0..x${numVars - 1}`, `x${ins.variable}`);
    }
    if (ins.ifZero.length !== k || ins.ifOne.length !== k) {
      throw new CircuitError('format', `every instruction must permute ${k} points, got ${ins.ifZero.length} and ${ins.ifOne.length}`, 'program');
    }
  }
  const c = new CircuitBuilder(name);
  const xs = c.inputs('x', numVars);
  const literals = new Map<number, { neg: Wire; pos: Wire }>();
  const literal = (v: number) => {
    let l = literals.get(v);
    if (l === undefined) {
      l = { neg: c.not(xs[v]!), pos: c.buf(xs[v]!) };
      literals.set(v, l);
    }
    return l;
  };
  const matrix = (ins: Instruction): WireMatrix => {
    const { neg, pos } = literal(ins.variable);
    return Array.from({ length: k }, (_, i) =>
      Array.from({ length: k }, (_, j) => {
        const zero = ins.ifZero[i] === j;
        const one = ins.ifOne[i] === j;
        return zero && one ? c.constant(true) : zero ? neg : one ? pos : c.constant(false);
      }),
    );
  };
  const matrices = program.length > 0
    ? program.map(matrix)
    : [Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => c.constant(i === j)))];
  const product = productTree(c, matrices);
  return c.output('accept', c.not(product[0]![0]!)).build();
}

/** Largest depth the 'barrington' family builds (4^7 instructions, about 3.7 million gates). */
export const MAX_BARRINGTON_DEPTH = 7;

export const barringtonFamily: CircuitFamily<FormulaParams> = {
  name: 'barrington',
  summary: 'random balanced formula of depth d → width-5 branching program (4^d instructions) → matrix-product tree',
  expectedClass: 'NC1',
  scale: 'program length n (formula depth d = ⌈log4 n⌉: 4^d instructions over 2^d variables)',
  params: (n) => ({ depth: Math.ceil(ceilLog2(Math.max(1, n)) / 2), seed: 0 }),
  build: (p) => {
    checkDepthSeed('barrington', p, MAX_BARRINGTON_DEPTH);
    const n = 2 ** p.depth;
    return programToCircuit(compileBarrington(randomBalancedFormula(p), n), n, `barrington-d${p.depth}-s${p.seed}`);
  },
  reference: (p, input) => [evaluateFormula(randomBalancedFormula(p), input)],
  sizes: [1, 4, 16, 64],
  // 4^d − 1 products of 225 gates (25 entries × (5 AND + 4 OR)), NOT and BUF per variable, the accept NOT.
  shape: ({ depth }) => ({ depth: 8 * depth + 2, size: 225 * (4 ** depth - 1) + 2 * 2 ** depth + 1, exact: true }),
};

