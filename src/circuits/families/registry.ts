/** Every built-in family, by name (the CLI, the demo and `depthlab verify` look families up here). */
import type { CircuitFamily } from './CircuitFamily.js';
import { barringtonFamily } from './barrington.js';
import { additionFamily } from './carryLookaheadAdder.js';
import { circuitValueFamily } from './circuitValue.js';
import { comparisonFamily } from './comparison.js';
import { z60Family } from './cyclicWordProblem.js';
import { formulaFamily } from './formula.js';
import { iteratedAdditionFamily } from './iteratedAddition.js';
import { majorityFamily } from './majority.js';
import { modCountFamily } from './modCount.js';
import { parityThresholdFamily } from './parityThreshold.js';
import { parityTreeFamily } from './parityTree.js';
import { reachabilityFamily, reachabilitySquaringFamily } from './reachability.js';
import { rippleCarryAdderFamily } from './rippleCarryAdder.js';
import { thresholdFamily } from './threshold.js';
import { a5Family, s5Family } from './wordProblem.js';

// Families differ in their parameter types; callers go through params(n), so the registry erases them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFamily = CircuitFamily<any>;

export const FAMILIES: readonly AnyFamily[] = [
  // TC0 / AC0: constant depth
  majorityFamily,
  thresholdFamily,
  parityThresholdFamily,
  modCountFamily,
  comparisonFamily,
  additionFamily,
  iteratedAdditionFamily,
  z60Family,
  // NC1: depth O(log n), fan-in 2
  parityTreeFamily,
  formulaFamily,
  barringtonFamily,
  s5Family,
  a5Family,
  // beyond NC1 (controls): depth linear in the parameter
  rippleCarryAdderFamily,
  circuitValueFamily,
  reachabilityFamily,
  reachabilitySquaringFamily,
];

export function findFamily(name: string): AnyFamily | undefined {
  return FAMILIES.find((f) => f.name === name);
}
