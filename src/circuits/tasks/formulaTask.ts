/**
 * Boolean formula evaluation — NC1-complete (Buss 1987). An input is a
 * complete binary formula of depth d written in prefix (Polish) notation: each
 * gate one of AND, OR, NAND, NOR, each leaf a constant 0 or 1, so the formula
 * itself is part of the input. The trace lists the gate values layer by layer,
 * from the gates just above the leaves up to the root (each layer a bit string,
 * left to right); the answer is the root's value. Depth 0 is a lone constant.
 */
import { BINARY_GATE_TOKENS, BINARY_GATES } from './_internals/binaryGates.js';
import { BIT_SYMBOLS } from './_internals/bits.js';
import { bitStringTrace } from './_internals/bitTask.js';
import { allSequences, type Alphabets, countSequences, randomSequence } from './_internals/mixedRadix.js';
import type { ExampleSymbols, Task, TaskInput } from './Task.js';

const GATES = BINARY_GATES;
const KINDS = BINARY_GATE_TOKENS;

/** Prefix order of a complete tree of depth d: which positions are gates. */
function alphabets(depth: number): Alphabets {
  const out: (readonly string[])[] = [];
  const walk = (d: number) => {
    if (d === 0) {
      out.push(['0', '1']);
      return;
    }
    out.push(KINDS);
    walk(d - 1);
    walk(d - 1);
  };
  walk(depth);
  return out;
}

function solveFormula(depth: number, input: TaskInput) {
  if (typeof input === 'string' || input.length !== 2 ** (depth + 1) - 1) {
    throw new RangeError(`formula: input must be ${2 ** (depth + 1) - 1} prefix tokens for depth ${depth}, got ${JSON.stringify(input)}`);
  }
  // layers[h] collects the values of the nodes at height h (0 = leaves), left to right.
  const layers: boolean[][] = Array.from({ length: depth + 1 }, () => []);
  let pos = 0;
  const evalNode = (h: number): boolean => {
    const token = input[pos++]!;
    let v: boolean;
    if (h === 0) {
      if (token !== '0' && token !== '1') throw new RangeError(`formula: leaf ${pos} must be 0 or 1, got ${JSON.stringify(token)}`);
      v = token === '1';
    } else {
      const gate = GATES[token];
      if (gate === undefined) throw new RangeError(`formula: position ${pos} must be one of ${KINDS.join(', ')}, got ${JSON.stringify(token)}`);
      const a = evalNode(h - 1);
      v = gate(a, evalNode(h - 1));
    }
    layers[h]!.push(v);
    return v;
  };
  const root = evalNode(depth);
  const trace = layers.slice(1).map((layer) => layer.map((b) => (b ? '1' : '0')).join(''));
  return { trace, answer: root ? '1' : '0' };
}

export const formulaTask: Task = {
  id: 'formula',
  summary: 'evaluate a complete binary formula of AND/OR/NAND/NOR gates over constant leaves, given in prefix notation',
  taskClass: 'NC1',
  depthMeaning: 'formula depth d (2^d leaves, 2^d − 1 gates, all part of the input)',
  parameters: { gates: KINDS.join('/') },
  minDepth: 0,
  maxDepth: 16,
  countInputs: (depth) => countSequences(alphabets(depth)),
  allInputs: (depth) => allSequences(alphabets(depth)),
  randomInput: (depth, rng) => randomSequence(alphabets(depth), rng),
  solve: solveFormula,
  symbols: (ex): ExampleSymbols => ({ input: ex.input as readonly string[], trace: bitStringTrace(ex.trace), answer: [ex.answer], labels: undefined }),
  vocabulary: () => [...BIT_SYMBOLS, ...KINDS, ';'],
};
