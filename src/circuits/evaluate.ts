/**
 * Scalar evaluation: one input vector, node by node in topological order.
 * This is the reference the bit-sliced evaluators are tested against, so it is
 * kept as plain as possible: count the true inputs, apply the gate's truth
 * function.
 */
import type { Circuit } from './Circuit.js';
import { CircuitError } from './CircuitError.js';
import { GATES } from './gates.js';

/** Values of every node (0/1), indexed by node id. */
export function evaluateNodes(circuit: Circuit, input: ArrayLike<boolean | number>): Uint8Array {
  if (input.length !== circuit.inputs.length) {
    throw new CircuitError('width', `input has ${input.length} bits but the circuit has ${circuit.inputs.length} inputs; give one bit per input, in declaration order`, 'input');
  }
  const values = new Uint8Array(circuit.nodes.length);
  circuit.nodes.forEach((node, id) => {
    if (node.type === 'input') values[id] = input[node.position] ? 1 : 0;
    else if (node.type === 'const') values[id] = node.value ? 1 : 0;
    else {
      let ones = 0;
      for (const i of node.inputs) ones += values[i]!;
      values[id] = GATES[node.gate].evaluate(ones, node.inputs.length, node.param) ? 1 : 0;
    }
  });
  return values;
}

/** Output bits (0/1) in output order. */
export function evaluate(circuit: Circuit, input: ArrayLike<boolean | number>): Uint8Array {
  const values = evaluateNodes(circuit, input);
  return Uint8Array.from(circuit.outputs, (o) => values[o.node]!);
}
