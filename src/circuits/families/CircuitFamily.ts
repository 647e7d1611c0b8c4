/**
 * CircuitFamily — a uniform family of circuits {C_n}: a builder from
 * parameters, a reference function computed without the circuit (the oracle
 * the builder is tested against), closed forms for its depth and size, and the
 * map from a size n to parameters so that depth and size can be studied as
 * functions of n.
 */
import type { Circuit } from '../Circuit.js';

/** Depth and size of a member as functions of its parameters. */
export interface FamilyShape {
  readonly depth: number;
  readonly size: number;
  /** true: the built circuit has exactly this depth and size; false: they are upper bounds. */
  readonly exact: boolean;
}

/** The complexity class a family is meant to witness. */
export type FamilyClass = 'AC0' | 'ACC0' | 'TC0' | 'NC1' | 'NL' | 'P' | 'linear-depth';

export interface CircuitFamily<P = { n: number }> {
  /** Kebab-case identifier used on the command line, e.g. "parity-tree". */
  readonly name: string;
  readonly summary: string;
  /** The class the family is meant to witness. */
  readonly expectedClass: FamilyClass;
  /** What n means in `params(n)`, e.g. "number of input bits". */
  readonly scale: string;
  /** Parameters of the member of size n. */
  params(n: number): P;
  build(params: P): Circuit;
  /** Output bits, in the circuit's output order, computed directly from the input bits. */
  reference(params: P, input: readonly boolean[]): boolean[];
  /** Depth and size of build(params), in closed form. */
  shape(params: P): FamilyShape;
  /** Sizes n used by the demo and the depth-growth analysis. */
  readonly sizes: readonly number[];
}
