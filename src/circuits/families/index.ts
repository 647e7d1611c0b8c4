export type { CircuitFamily } from './CircuitFamily.js';
export { majorityFamily } from './majority.js';
export { parityThresholdFamily } from './parityThreshold.js';
export { parityTreeFamily } from './parityTree.js';
export { rippleCarryAdderFamily } from './rippleCarryAdder.js';
export { FAMILIES, findFamily } from './registry.js';
