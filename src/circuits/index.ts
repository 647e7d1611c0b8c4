export { Circuit } from './Circuit.js';
export type { CircuitDescription, CircuitNode, CircuitOutput, NodeDescription, OutputDescription } from './Circuit.js';
export { CircuitBuilder } from './CircuitBuilder.js';
export type { GateOptions, Wire } from './CircuitBuilder.js';
export { CircuitError } from './CircuitError.js';
export type { CircuitRule } from './CircuitError.js';
export { BASES, GATE_KINDS, GATES, parseGateKind } from './gates.js';
export type { Basis, GateKind, GateSpec } from './gates.js';
export { evaluate, evaluateNodes } from './evaluate.js';
