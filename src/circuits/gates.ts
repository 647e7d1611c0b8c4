/**
 * The gate basis: every gate kind a depthlab circuit may contain, each carrying
 * its own behaviour (arity rule, parameter rule, truth function, bit-sliced
 * lowering, complexity basis and ISCAS `.bench` name). Shared code looks a
 * gate up here and never branches on its kind.
 *
 * All gates have unbounded fan-in and are *symmetric*: their value depends only
 * on the number of true inputs (`ones`) out of `fanIn`, which is what the
 * scalar evaluator passes. The classes follow the usual definitions
 * (Vollmer, "Introduction to Circuit Complexity", ch. 4):
 *   AC0  — AND, OR, NOT (and NAND/NOR/BUF, and XOR/XNOR of fan-in <= 2, each a
 *          constant-size AC0 circuit);
 *   ACC0 — adds MOD(m) gates (an unbounded XOR is a MOD-2 gate);
 *   TC0  — adds MAJ and THR(k) threshold gates.
 */
import { type Bit, type BitBuilder, ONE } from './bitslice/BitBuilder.js';
import { atLeast, equals, popcountBits } from './bitslice/counter.js';

export const GATE_KINDS = ['NOT', 'BUF', 'AND', 'OR', 'NAND', 'NOR', 'XOR', 'XNOR', 'MAJ', 'THR', 'MOD'] as const;
export type GateKind = (typeof GATE_KINDS)[number];

/** Gate bases in increasing power; a circuit's basis is the largest of its gates'. */
export const BASES = ['AC0', 'ACC0', 'TC0'] as const;
export type Basis = (typeof BASES)[number];

export interface GateSpec {
  readonly kind: GateKind;
  /** One line for help texts and the JSON format documentation. */
  readonly summary: string;
  readonly minFanIn: number;
  readonly maxFanIn: number;
  /** Name of the integer parameter (THR's k, MOD's m), if the gate has one. */
  readonly param?: 'k' | 'm';
  /** Returns the violated rule for a parameter value at a fan-in, or undefined. */
  checkParam?(value: number, fanIn: number): string | undefined;
  /** Truth function of a symmetric gate: `ones` true inputs out of `fanIn`. */
  evaluate(ones: number, fanIn: number, param: number): boolean;
  /** Express the gate as word-level operations (bit-slicing). */
  lower(b: BitBuilder, xs: readonly Bit[], param: number): Bit;
  basis(fanIn: number): Basis;
  /** Name in ISCAS `.bench` netlists; gates without one are depthlab extensions there. */
  readonly bench?: string;
}

const unbounded = Number.MAX_SAFE_INTEGER;

const isInt = (v: number) => Number.isSafeInteger(v);

function threshold(b: BitBuilder, xs: readonly Bit[], k: number): Bit {
  if (k === 1) return b.or(xs);
  if (k === xs.length) return b.and(xs);
  return atLeast(b, popcountBits(b, xs), k);
}

export const GATES: Readonly<Record<GateKind, GateSpec>> = {
  NOT: {
    kind: 'NOT', summary: 'negation of its single input', minFanIn: 1, maxFanIn: 1, bench: 'NOT',
    evaluate: (ones) => ones === 0,
    lower: (b, xs) => b.not(xs[0]!),
    basis: () => 'AC0',
  },
  BUF: {
    kind: 'BUF', summary: 'copy of its single input', minFanIn: 1, maxFanIn: 1, bench: 'BUFF',
    evaluate: (ones) => ones === 1,
    lower: (_b, xs) => xs[0]!,
    basis: () => 'AC0',
  },
  AND: {
    kind: 'AND', summary: 'true iff all inputs are true', minFanIn: 1, maxFanIn: unbounded, bench: 'AND',
    evaluate: (ones, n) => ones === n,
    lower: (b, xs) => b.and(xs),
    basis: () => 'AC0',
  },
  OR: {
    kind: 'OR', summary: 'true iff some input is true', minFanIn: 1, maxFanIn: unbounded, bench: 'OR',
    evaluate: (ones) => ones > 0,
    lower: (b, xs) => b.or(xs),
    basis: () => 'AC0',
  },
  NAND: {
    kind: 'NAND', summary: 'negated AND', minFanIn: 1, maxFanIn: unbounded, bench: 'NAND',
    evaluate: (ones, n) => ones !== n,
    lower: (b, xs) => b.not(b.and(xs)),
    basis: () => 'AC0',
  },
  NOR: {
    kind: 'NOR', summary: 'negated OR', minFanIn: 1, maxFanIn: unbounded, bench: 'NOR',
    evaluate: (ones) => ones === 0,
    lower: (b, xs) => b.not(b.or(xs)),
    basis: () => 'AC0',
  },
  XOR: {
    kind: 'XOR', summary: 'parity: true iff an odd number of inputs is true', minFanIn: 1, maxFanIn: unbounded, bench: 'XOR',
    evaluate: (ones) => ones % 2 === 1,
    lower: (b, xs) => b.xor(xs),
    basis: (n) => (n <= 2 ? 'AC0' : 'ACC0'),
  },
  XNOR: {
    kind: 'XNOR', summary: 'negated parity', minFanIn: 1, maxFanIn: unbounded, bench: 'XNOR',
    evaluate: (ones) => ones % 2 === 0,
    lower: (b, xs) => b.not(b.xor(xs)),
    basis: (n) => (n <= 2 ? 'AC0' : 'ACC0'),
  },
  MAJ: {
    kind: 'MAJ', summary: 'strict majority: true iff more than half of the inputs are true', minFanIn: 1, maxFanIn: unbounded,
    evaluate: (ones, n) => 2 * ones > n,
    lower: (b, xs) => threshold(b, xs, Math.floor(xs.length / 2) + 1),
    basis: () => 'TC0',
  },
  THR: {
    kind: 'THR', summary: 'THR(k): true iff at least k inputs are true', minFanIn: 1, maxFanIn: unbounded, param: 'k',
    checkParam: (k, n) => (isInt(k) && k >= 1 && k <= n ? undefined : `THR threshold k must be an integer in 1..${n} (its fan-in)`),
    evaluate: (ones, _n, k) => ones >= k,
    lower: (b, xs, k) => threshold(b, xs, k),
    basis: () => 'TC0',
  },
  MOD: {
    kind: 'MOD', summary: 'MOD(m): true iff the number of true inputs is divisible by m', minFanIn: 1, maxFanIn: unbounded, param: 'm',
    checkParam: (m) => (isInt(m) && m >= 2 ? undefined : 'MOD modulus m must be an integer >= 2'),
    evaluate: (ones, _n, m) => ones % m === 0,
    lower: (b, xs, m) => {
      if (m === 2) return b.not(b.xor(xs));
      const count = popcountBits(b, xs);
      const hits: Bit[] = [];
      for (let c = 0; c <= xs.length; c += m) hits.push(equals(b, count, c));
      return hits.length > 0 ? b.or(hits) : ONE;
    },
    basis: () => 'ACC0',
  },
};

/** Parses a gate kind case-insensitively; undefined when it is not one. */
export function parseGateKind(name: string): GateKind | undefined {
  const upper = name.toUpperCase();
  return (GATE_KINDS as readonly string[]).includes(upper) ? (upper as GateKind) : undefined;
}
