/**
 * Constant folding for one symmetric gate: given how many of its inputs are
 * the constants true and false, say what computes the same function of the
 * inputs that are left.
 *
 * Whether the result is a constant, or a BUF/NOT of a single input, follows
 * from the gate's own truth function (gates.ts) and needs no rule per kind.
 * What does need one is the shape of the gate over two or more remaining
 * inputs; that lives in `REDUCED`, one entry per gate kind.
 */
import { GATES, type GateKind } from '../gates.js';

/** A gate with some constant inputs, counted. */
export interface ConstantInputs {
  readonly gate: GateKind;
  /** THR's k or MOD's m; 0 for the other gates (as in CircuitNode). */
  readonly param: number;
  /** Inputs that are not constants. */
  readonly remaining: number;
  readonly trues: number;
  readonly falses: number;
}

export type Fold =
  | { readonly type: 'const'; readonly value: boolean }
  | {
      readonly type: 'gate';
      readonly gate: GateKind;
      /** THR's k or MOD's m; 0 for the other gates. */
      readonly param: number;
      /**
       * How many of the constant-true inputs the new gate still reads. Nonzero
       * only for MOD(m), whose shifted count condition has no gate of its own.
       */
      readonly keepTrues: number;
    };

/** The reduced gate, for a function of the remaining inputs known to be non-constant with >= 2 of them. */
type Reduce = (g: ConstantInputs) => { gate: GateKind; param?: number; keepTrues?: number };

const same: Reduce = (g) => ({ gate: g.gate, param: g.param });

/** At least k of all inputs true, with j of them fixed true: at least k - j of the rest. */
const threshold = (k: number, j: number): ReturnType<Reduce> => ({ gate: 'THR', param: k - j });

const REDUCED: Readonly<Record<GateKind, Reduce>> = {
  // Fan-in 1: a constant input leaves nothing, so these never get here.
  NOT: same,
  BUF: same,
  // A false (AND, NAND) or a true (OR, NOR) input makes the gate constant, so
  // only neutral constants reach here and dropping them is enough.
  AND: same,
  OR: same,
  NAND: same,
  NOR: same,
  // Every true input flips the parity.
  XOR: (g) => ({ gate: g.trues % 2 === 0 ? 'XOR' : 'XNOR' }),
  XNOR: (g) => ({ gate: g.trues % 2 === 0 ? 'XNOR' : 'XOR' }),
  MAJ: (g) => threshold(Math.floor((g.remaining + g.trues + g.falses) / 2) + 1, g.trues),
  THR: (g) => threshold(g.param, g.trues),
  // count + j ≡ 0 (mod m) is MOD(m) of the rest only when j ≡ 0; otherwise
  // the gate keeps j mod m of its true inputs, which is all it needs of them.
  MOD: (g) => ({ gate: 'MOD', param: g.param, keepTrues: g.trues % g.param }),
};

/** What replaces a gate whose inputs include `trues` constant-true and `falses` constant-false ones. */
export function foldConstants(g: ConstantInputs): Fold {
  const spec = GATES[g.gate];
  const fanIn = g.remaining + g.trues + g.falses;
  // The gate's value as a function of how many remaining inputs are true.
  const rest = (ones: number) => spec.evaluate(ones + g.trues, fanIn, g.param);
  const atZero = rest(0);
  let constant = true;
  for (let ones = 1; ones <= g.remaining && constant; ones++) constant = rest(ones) === atZero;
  if (constant) return { type: 'const', value: atZero };
  if (g.remaining === 1) return { type: 'gate', gate: atZero ? 'NOT' : 'BUF', param: 0, keepTrues: 0 };
  const reduced = REDUCED[g.gate](g);
  return { type: 'gate', gate: reduced.gate, param: reduced.param ?? 0, keepTrues: reduced.keepTrues ?? 0 };
}
