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
  /** Per circuit output: offset in `ops` of the record that computes it, or −1 (an input or constant). */
  readonly outputRecords: Int32Array;
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

export interface LowerOptions {
  /**
   * Fuse single-use intermediate values into their consumer's expression
   * (for kernels that evaluate expression trees, like the WASM JIT): such a
   * value gets no slot, its record has dst = −1, and the consumer refers to it
   * as −(offset of its record) − 1. Trees are at most MAX_FUSED_DEPTH deep.
   */
  readonly fuse?: boolean;
}

/** Deeper trees would only raise register pressure; the win is in the first levels. */
const MAX_FUSED_DEPTH = 6;

export function lowerCircuit(circuit: Circuit, options: LowerOptions = {}): BitProgram {
  const numInputs = circuit.inputs.length;
  const rec = new Recorder(numInputs);
  const value = new Int32Array(circuit.nodes.length);
  circuit.nodes.forEach((node, id) => {
    if (node.type === 'input') value[id] = node.position;
    else if (node.type === 'const') value[id] = node.value ? ONE : ZERO;
    else value[id] = GATES[node.gate].lower(rec, Array.from(node.inputs, (i) => value[i]!), node.param);
  });
  const outputValues = circuit.outputs.map((o) => value[o.node]!);
  return allocate(numInputs, rec.ops, outputValues, options.fuse ?? false);
}

/**
 * Dead-operation removal, optional fusion, then linear-scan slot assignment.
 * A value's slot is released after the last op that reads it *at run time*:
 * for a fused op that is the op its tree is evaluated in (its anchor).
 */
function allocate(numInputs: number, ssa: readonly SsaOp[], outputValues: readonly number[], fuse: boolean): BitProgram {
  const total = numInputs + ssa.length;
  const END = ssa.length; // outputs stay live past the last op
  const live = new Uint8Array(total);
  const uses = new Int32Array(total);
  const consumer = new Int32Array(total).fill(-1);
  for (const v of outputValues) {
    if (v >= 0) {
      live[v] = 1;
      uses[v] = uses[v]! + 2;
    }
  }
  for (let t = ssa.length - 1; t >= 0; t--) {
    if (!live[numInputs + t]) continue;
    for (const a of new Set(ssa[t]!.args)) {
      live[a] = 1;
      uses[a]!++;
      consumer[a] = t;
    }
  }

  // Fusion decided forward (a tree's depth is known from its arguments).
  const fused = new Uint8Array(total);
  const depth = new Int32Array(total);
  if (fuse) {
    ssa.forEach((op, t) => {
      const v = numInputs + t;
      if (!live[v]) return;
      let d = 1;
      for (const a of op.args) if (fused[a]) d = Math.max(d, depth[a]! + 1);
      depth[v] = d;
      if (uses[v] === 1 && d < MAX_FUSED_DEPTH) fused[v] = 1;
    });
  }
  // Anchor (run-time evaluation point) of each op, from the last one back.
  const anchor = new Int32Array(ssa.length);
  for (let t = ssa.length - 1; t >= 0; t--) {
    anchor[t] = fused[numInputs + t] ? anchor[consumer[numInputs + t]!]! : t;
  }
  const lastUse = new Int32Array(total).fill(-1);
  for (const v of outputValues) if (v >= 0) lastUse[v] = END;
  ssa.forEach((op, t) => {
    if (!live[numInputs + t]) return;
    for (const a of op.args) if (!fused[a] && lastUse[a]! < anchor[t]!) lastUse[a] = anchor[t]!;
  });
  const releaseAt: number[][] = Array.from({ length: ssa.length }, () => []);
  for (let v = 0; v < total; v++) if (lastUse[v]! >= 0 && lastUse[v]! < END) releaseAt[lastUse[v]!]!.push(v);

  const slot = new Int32Array(total).fill(-1);
  const record = new Int32Array(total).fill(-1);
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
    record[v] = encoded.length;
    const args = op.args.map((a) => (fused[a] ? -record[a]! - 1 : slot[a]!));
    if (fused[v]) {
      encoded.push(op.code, -1, args.length, ...args);
    } else {
      // The destination is taken before the arguments' slots are released, so
      // it never aliases an argument (the JS kernel accumulates into dst in place).
      const dst = free.pop() ?? numSlots++;
      slot[v] = dst;
      encoded.push(op.code, dst, args.length, ...args);
      for (const a of releaseAt[t]!) free.push(slot[a]!);
    }
    numOps++;
    wordOps += Math.max(op.args.length - 1, 1);
  });
  return {
    numInputs,
    numSlots: Math.max(numSlots, 1),
    numOps,
    ops: Int32Array.from(encoded),
    outputs: Int32Array.from(outputValues, (v) => (v >= 0 ? slot[v]! : v)),
    outputRecords: Int32Array.from(outputValues, (v) => (v >= numInputs ? record[v]! : -1)),
    wordOps,
  };
}
