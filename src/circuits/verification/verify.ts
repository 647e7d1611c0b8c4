/**
 * Running the verification suite, and checking a user's circuit against a
 * family's reference function.
 */
import type { Circuit } from '../Circuit.js';
import { CircuitError } from '../CircuitError.js';
import { BitslicedEvaluator } from '../bitslice/BitslicedEvaluator.js';
import { RandomLanes, unpackVectors, wordsFor } from '../bitslice/lanes.js';
import type { AnyFamily } from '../families/registry.js';
import { type PropertyResult, verificationProperties } from './properties.js';

export interface VerifyOptions {
  /** Only properties about this family or task id. */
  readonly subject?: string;
  readonly numRuns?: number;
  readonly seed?: number;
  /** Called after each property. */
  readonly onResult?: (result: PropertyResult, index: number, total: number) => void;
}

export function verificationSubjects(): string[] {
  return [...new Set(verificationProperties().flatMap((p) => p.subjects))].sort();
}

export function runVerification(options: VerifyOptions = {}): PropertyResult[] {
  const all = verificationProperties();
  const chosen = options.subject === undefined ? all : all.filter((p) => p.subjects.includes(options.subject!));
  const numRuns = options.numRuns ?? 100;
  const seed = options.seed ?? 0;
  return chosen.map((p, i) => {
    const result = p.run({ numRuns, seed });
    options.onResult?.(result, i, chosen.length);
    return result;
  });
}

export interface CircuitCheck {
  readonly family: string;
  readonly n: number;
  readonly exhaustive: boolean;
  readonly vectors: number;
  readonly mismatches: number;
  /** The first input on which the circuit and the reference differ. */
  readonly counterexample?: { readonly input: string; readonly expected: string; readonly got: string };
}

/** Inputs up to this many are checked exhaustively. */
export const EXHAUSTIVE_INPUTS = 20;

/**
 * Compares `circuit` with `family.reference(family.params(n))`, inputs matched
 * in declaration order: over all 2^inputs vectors when inputs ≤ 20, else over
 * `runs` random vectors (seeded). Evaluation is bit-sliced.
 */
export function checkAgainstFamily(circuit: Circuit, family: AnyFamily, n: number, runs: number, seed = 0): CircuitCheck {
  const params = family.params(n);
  const model = family.build(params);
  const width = model.inputs.length;
  if (circuit.inputs.length !== width) {
    throw new CircuitError('width', `the circuit has ${circuit.inputs.length} inputs but ${family.name} at n=${n} has ${width}; check --n or the circuit`, 'inputs');
  }
  if (circuit.outputs.length !== model.outputs.length) {
    throw new CircuitError('width', `the circuit has ${circuit.outputs.length} outputs but ${family.name} at n=${n} has ${model.outputs.length}; check --n or the circuit`, 'outputs');
  }
  const exhaustive = width <= EXHAUSTIVE_INPUTS;
  const vectors = exhaustive ? 2 ** width : runs;
  let lanes: Uint32Array[];
  if (exhaustive) {
    // Vector v has input i = bit i of v.
    lanes = Array.from({ length: width }, (_, i) => {
      const lane = new Uint32Array(wordsFor(vectors));
      for (let v = 0; v < vectors; v++) if ((v >>> i) & 1) lane[v >>> 5]! |= 1 << (v & 31);
      return lane;
    });
  } else {
    lanes = RandomLanes.generate(width, vectors, seed);
  }
  const outs = BitslicedEvaluator.compile(circuit).run(lanes, vectors);
  const inputs = unpackVectors(lanes, vectors);
  const got = unpackVectors(outs, vectors);
  let mismatches = 0;
  let counterexample: CircuitCheck['counterexample'];
  for (let v = 0; v < vectors; v++) {
    const x = Array.from(inputs[v]!, Boolean);
    const want = family.reference(params, x).map(Number).join('');
    const have = Array.from(got[v]!).join('');
    if (want !== have) {
      mismatches++;
      counterexample ??= { input: x.map(Number).join(''), expected: want, got: have };
    }
  }
  return { family: family.name, n, exhaustive, vectors, mismatches, ...(counterexample === undefined ? {} : { counterexample }) };
}
