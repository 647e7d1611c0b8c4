/** Every built-in family, by name (the CLI and the demo look families up here). */
import type { CircuitFamily } from './CircuitFamily.js';
import { majorityFamily } from './majority.js';
import { parityThresholdFamily } from './parityThreshold.js';
import { parityTreeFamily } from './parityTree.js';
import { rippleCarryAdderFamily } from './rippleCarryAdder.js';

export const FAMILIES: readonly CircuitFamily[] = [majorityFamily, parityThresholdFamily, parityTreeFamily, rippleCarryAdderFamily];

export function findFamily(name: string): CircuitFamily | undefined {
  return FAMILIES.find((f) => f.name === name);
}
