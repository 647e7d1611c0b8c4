/**
 * BitProgram — a circuit lowered to a straight-line program of word-level
 * AND/OR/XOR (each optionally negated) over numbered slots, ready for the
 * bit-sliced kernels.
 *
 * Lowering (`lowerCircuit`) asks every gate for its BitBuilder expression,
 * folding constants, duplicate inputs, double negations and common
 * subexpressions on the way; then it drops operations no output needs and
 * assigns slots by liveness (linear scan), so the working set of a block is
 * the peak number of live values, not the number of gates — which is what
 * keeps blocked evaluation of a 10^4-gate circuit inside the cache.
 *
 * Encoding of `ops` (Int32Array), one record per operation:
 *   [code, dst, n, src_1 … src_n]   code = OP_AND | OP_OR | OP_XOR, + OP_NEGATE
 * Slots 0 … numInputs−1 hold the inputs when a block starts.
 */
import type { Circuit } from '../Circuit.js';
import { GATES } from '../gates.js';
import { type Bit, type BitBuilder, ONE, ZERO } from './BitBuilder.js';

export const OP_AND = 0;
export const OP_OR = 1;
export const OP_XOR = 2;
export const OP_NEGATE = 4;

export interface BitProgram {
  readonly numInputs: number;
  readonly numSlots: number;
  readonly numOps: number;
  readonly ops: Int32Array;
  /** Per circuit output: the slot holding it, or ZERO / ONE for a constant. */
  readonly outputs: Int32Array;
  /** Word operations per evaluated word (sum over ops of max(n−1, 1)): the work measure. */
  readonly wordOps: number;
}

interface SsaOp {
  readonly code: number;
  readonly args: readonly number[];
}

/** Records operations in SSA form, simplifying as it goes. */
class Recorder implements BitBuilder {
  readonly ops: SsaOp[] = [];
  private readonly cse = new Map<string, number>();
  private readonly negation = new Map<number, number>();

  constructor(readonly numInputs: number) {}

  and(xs: readonly Bit[]): Bit { return this.monotone(OP_AND, xs, ZERO, ONE); }
  or(xs: readonly Bit[]): Bit { return this.monotone(OP_OR, xs, ONE, ZERO); }

  xor(xs: readonly Bit[]): Bit {
    let flip = false;
    const odd = new Set<number>();
    for (const x of xs) {
      if (x === ONE) flip = !flip;
      else if (x !== ZERO) {
        if (odd.has(x)) odd.delete(x);
        else odd.add(x);
      }
    }
    const args = [...odd];
    if (args.length === 0) return flip ? ONE : ZERO;
    if (args.length === 1) return flip ? this.not(args[0]!) : args[0]!;
    return this.emit(OP_XOR | (flip ? OP_NEGATE : 0), args);
  }

  not(x: Bit): Bit {
    if (x === ZERO) return ONE;
    if (x === ONE) return ZERO;
    const known = this.negation.get(x);
    if (known !== undefined) return known;
    const y = this.emit(OP_AND | OP_NEGATE, [x]);
    this.negation.set(x, y);
    this.negation.set(y, x);
    return y;
  }

  /** AND (absorbing ZERO, neutral ONE) or OR (absorbing ONE, neutral ZERO). */
  private monotone(code: number, xs: readonly Bit[], absorbing: Bit, neutral: Bit): Bit {
    const args = new Set<number>();
    for (const x of xs) {
      if (x === absorbing) return absorbing;
      if (x !== neutral) args.add(x);
    }
    for (const x of args) {
      const nx = this.negation.get(x);
      if (nx !== undefined && args.has(nx)) return absorbing; // x ∧ ¬x, x ∨ ¬x
    }
    if (args.size === 0) return neutral;
    if (args.size === 1) return args.values().next().value!;
    return this.emit(code, [...args]);
  }

  private emit(code: number, args: number[]): number {
    args.sort((a, b) => a - b);
    const key = `${code}:${args.join(',')}`;
    const hit = this.cse.get(key);
    if (hit !== undefined) return hit;
    const id = this.numInputs + this.ops.length;
    this.ops.push({ code, args });
    this.cse.set(key, id);
    return id;
  }
}

export function lowerCircuit(circuit: Circuit): BitProgram {
  const numInputs = circuit.inputs.length;
  const rec = new Recorder(numInputs);
  const value = new Int32Array(circuit.nodes.length);
  circuit.nodes.forEach((node, id) => {
    if (node.type === 'input') value[id] = node.position;
    else if (node.type === 'const') value[id] = node.value ? ONE : ZERO;
    else value[id] = GATES[node.gate].lower(rec, Array.from(node.inputs, (i) => value[i]!), node.param);
  });
  const outputValues = circuit.outputs.map((o) => value[o.node]!);
  return allocate(numInputs, rec.ops, outputValues);
}

/** Dead-operation removal, then linear-scan slot assignment by last use. */
function allocate(numInputs: number, ssa: readonly SsaOp[], outputValues: readonly number[]): BitProgram {
  const total = numInputs + ssa.length;
  const END = ssa.length; // outputs stay live past the last op
  const lastUse = new Int32Array(total).fill(-1);
  const live = new Uint8Array(total);
  for (const v of outputValues) if (v >= 0) { live[v] = 1; lastUse[v] = END; }
  for (let t = ssa.length - 1; t >= 0; t--) {
    if (!live[numInputs + t]) continue;
    for (const a of ssa[t]!.args) {
      live[a] = 1;
      if (lastUse[a]! < t) lastUse[a] = t;
    }
  }

  const slot = new Int32Array(total).fill(-1);
  const free: number[] = [];
  let numSlots = numInputs;
  for (let i = 0; i < numInputs; i++) {
    slot[i] = i;
    if (lastUse[i] === -1) free.push(i); // an unused input's slot is scratch space
  }
  const encoded: number[] = [];
  let numOps = 0;
  let wordOps = 0;
  ssa.forEach((op, t) => {
    const v = numInputs + t;
    if (!live[v]) return;
    // The destination is taken before the arguments' slots are released, so it
    // never aliases an argument (the JS kernel accumulates into dst in place).
    const dst = free.pop() ?? numSlots++;
    slot[v] = dst;
    encoded.push(op.code, dst, op.args.length, ...op.args.map((a) => slot[a]!));
    numOps++;
    wordOps += Math.max(op.args.length - 1, 1);
    for (const a of new Set(op.args)) if (lastUse[a] === t) free.push(slot[a]!);
  });
  return {
    numInputs,
    numSlots: Math.max(numSlots, 1),
    numOps,
    ops: Int32Array.from(encoded),
    outputs: Int32Array.from(outputValues, (v) => (v >= 0 ? slot[v]! : v)),
    wordOps,
  };
}
