/**
 * Task answers against the circuit families: the answer a task generator
 * writes equals what the matching circuit computes on the same input (bit
 * order converted where the task writes numbers MSB first). Two independent
 * implementations of each function — one by direct computation, one as a
 * circuit — must agree on every sampled example.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/circuits/evaluate.js';
import { findFamily } from '../../src/circuits/families/registry.js';
import { instanceToCircuit, evaluateInstance, type LayeredInstance, type LayeredGateKind } from '../../src/circuits/families/circuitValue.js';
import { seededRng } from '../../src/circuits/_internals/seededRng.js';
import { findTask } from '../../src/circuits/tasks/registry.js';

const RUNS = { numRuns: 150 };

/** Circuit output bits as a string, for family `name` at size n on the given input bits. */
function circuitOutput(name: string, n: number, bits: readonly boolean[]): string {
  const family = findFamily(name)!;
  return Array.from(evaluate(family.build(family.params(n)), bits)).join('');
}

const toBits = (s: string) => [...s].map((c) => c === '1');
const reverse = (s: string) => [...s].reverse().join('');

const cases: [task: string, family: string, minN: number, maxN: number, convert: (input: string, n: number) => string, output: (answer: string, n: number) => string][] = [
  ['majority', 'majority', 1, 40, (x) => x, (a) => a],
  ['threshold', 'threshold', 1, 40, (x) => x, (a) => a],
  ['parity', 'parity', 1, 40, (x) => x, (a) => a],
  ['mod-count', 'mod-count', 1, 40, (x) => x, (a) => reverse(Number(a).toString(2).padStart(2, '0'))],
  ['comparison', 'comparison', 1, 24, (x, n) => reverse(x.slice(0, n)) + reverse(x.slice(n)), (a) => a],
  ['addition', 'addition', 1, 24, (x, n) => reverse(x.slice(0, n)) + reverse(x.slice(n)), (a) => reverse(a)],
  ['iterated-addition', 'iterated-addition', 2, 12, (x) => x.match(/.{4}/g)!.map(reverse).join(''), (a) => reverse(a)],
  ['reachability', 'reachability', 1, 8, (x) => x, (a) => a],
];

describe('Boolean tasks agree with their circuit families', () => {
  it.each(cases)('%s task = %s circuit', (taskId, familyName, minN, maxN, convert, output) => {
    const task = findTask(taskId)!;
    fc.assert(
      fc.property(fc.integer({ min: minN, max: maxN }), fc.integer(), (n, seed) => {
        const input = task.randomInput(n, seededRng(seed)) as string;
        const { answer } = task.solve(n, input);
        expect(circuitOutput(familyName, n, toBits(convert(input, n)))).toBe(output(answer, n));
      }),
      RUNS,
    );
  });
});

describe('the CVP task agrees with the CVP family', () => {
  it('evaluates the circuit written in its input as the family does, layer by layer', () => {
    const task = findTask('cvp')!;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer(), (depth, seed) => {
        const input = task.randomInput(depth, seededRng(seed)) as string[];
        const { trace, answer } = task.solve(depth, input);
        // Decode the tokens into the family's instance type and evaluate it there.
        const layers: LayeredInstance['layers'][number][] = [];
        for (let l = 0; l < depth; l++) {
          const base = 4 + l * 13 + 1;
          layers.push(Array.from({ length: 4 }, (_, j) => ({
            gate: input[base + 3 * j] as LayeredGateKind,
            a: Number(input[base + 3 * j + 1]),
            b: Number(input[base + 3 * j + 2]),
          })));
        }
        const instance: LayeredInstance = { inputs: 4, layers };
        const bits = input.slice(0, 4).map((b) => b === '1');
        const values = evaluateInstance(instance, bits);
        expect(values.slice(1).map((layer) => layer.map(Number).join(''))).toEqual(trace);
        const circuit = instanceToCircuit(instance);
        expect(String(evaluate(circuit, bits)[0])).toBe(answer);
      }),
      RUNS,
    );
  });
});
