/**
 * The circuit value problem on layered circuits — P-complete (Ladner 1975),
 * the control beyond NC1. An input is a whole circuit: the w input bits, then,
 * for each of d layers, w gates written as (kind, a, b) — kind one of AND, OR,
 * NAND, NOR, reading nodes a and b of the layer below — with '|' between
 * layers. The trace lists the values of every layer (a bit string each); the
 * answer is the value of gate 0 of the last layer. Since the circuit is in the
 * input, outputs vary from instance to instance (a single fixed random layered
 * circuit tends to a constant function as d grows; see families/circuitValue.ts).
 */
import { BINARY_GATE_TOKENS, BINARY_GATES } from './_internals/binaryGates.js';
import { BIT_SYMBOLS, numberSymbols } from './_internals/bits.js';
import { bitStringTrace } from './_internals/bitTask.js';
import { allSequences, type Alphabets, countSequences, randomSequence } from './_internals/mixedRadix.js';
import type { ExampleSymbols, Task, TaskInput } from './Task.js';

const GATES = BINARY_GATES;
const KINDS = BINARY_GATE_TOKENS;

export function circuitValueTask(width = 4): Task {
  const wires = numberSymbols(width - 1);
  const alphabets = (depth: number): Alphabets => [
    ...Array.from({ length: width }, () => BIT_SYMBOLS),
    ...Array.from({ length: depth }, () => [['|'], ...Array.from({ length: width }, () => [KINDS, wires, wires]).flat()]).flat(),
  ];
  const length = (depth: number) => width + depth * (1 + 3 * width);
  return {
    id: width === 4 ? 'cvp' : `cvp-w${width}`,
    summary: `evaluate a layered circuit of width ${width} (AND/OR/NAND/NOR, fan-in 2) given with its input bits`,
    taskClass: 'P',
    depthMeaning: `circuit depth d (number of layers of ${width} gates, all part of the input)`,
    parameters: { width },
    minDepth: 1,
    maxDepth: 256,
    countInputs: (depth) => countSequences(alphabets(depth)),
    allInputs: (depth) => allSequences(alphabets(depth)),
    randomInput: (depth, rng) => randomSequence(alphabets(depth), rng),
    solve: (depth: number, input: TaskInput) => {
      if (typeof input === 'string' || input.length !== length(depth)) {
        throw new RangeError(`cvp: input must be ${length(depth)} tokens for depth ${depth} and width ${width}, got ${JSON.stringify(input)}`);
      }
      let values = input.slice(0, width).map((b) => b === '1');
      const trace: string[] = [];
      let pos = width;
      for (let l = 0; l < depth; l++) {
        pos++; // the '|' separator
        const next: boolean[] = [];
        for (let j = 0; j < width; j++) {
          const gate = GATES[input[pos]!];
          const a = values[Number(input[pos + 1])];
          const b = values[Number(input[pos + 2])];
          if (gate === undefined || a === undefined || b === undefined) {
            throw new RangeError(`cvp: gate ${j} of layer ${l + 1} is not (kind, a, b) with a, b < ${width}: ${JSON.stringify(input.slice(pos, pos + 3))}`);
          }
          next.push(gate(a, b));
          pos += 3;
        }
        values = next;
        trace.push(values.map((v) => (v ? '1' : '0')).join(''));
      }
      return { trace, answer: values[0] ? '1' : '0' };
    },
    symbols: (ex): ExampleSymbols => ({ input: ex.input as readonly string[], trace: bitStringTrace(ex.trace), answer: [ex.answer], labels: undefined }),
    vocabulary: () => [...new Set([...BIT_SYMBOLS, ...wires, ...KINDS, '|', ';'])],
  };
}
