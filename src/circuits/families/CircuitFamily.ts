/**
 * CircuitFamily — a uniform family of circuits {C_n}: a builder from
 * parameters, a reference function computed without the circuit (the oracle
 * the builder is tested against), and the map from a size n to parameters so
 * that depth and size can be studied as functions of n.
 */
import type { Circuit } from '../Circuit.js';

export interface CircuitFamily<P = { n: number }> {
  /** Kebab-case identifier used on the command line, e.g. "parity-tree". */
  readonly name: string;
  readonly summary: string;
  /** The class the family is meant to witness, e.g. "TC0" or "NC1". */
  readonly expectedClass: string;
  /** Parameters of the member of size n. */
  params(n: number): P;
  build(params: P): Circuit;
  /** Output bits, in the circuit's output order, computed directly from the input bits. */
  reference(params: P, input: readonly boolean[]): boolean[];
  /** Sizes n used by the demo and the depth-growth analysis. */
  readonly sizes: readonly number[];
}
