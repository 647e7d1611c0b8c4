/**
 * The suite behind `depthlab verify` passes, property by property, and a
 * deliberately broken family is caught with a replayable counterexample.
 */
import { describe, expect, it } from 'vitest';
import type { AnyFamily } from '../src/circuits/families/registry.js';
import { parityThresholdFamily } from '../src/circuits/families/parityThreshold.js';
import { CircuitBuilder } from '../src/circuits/CircuitBuilder.js';
import { verificationProperties } from '../src/circuits/verification/properties.js';
import { checkAgainstFamily } from '../src/circuits/verification/verify.js';

describe('depthlab verify', () => {
  it.each(verificationProperties().map((p) => [p.name, p] as const))('%s', (_name, property) => {
    const result = property.run({ numRuns: 25, seed: 42 });
    expect(result.error ?? '').toBe('');
    expect(result.ok).toBe(true);
  });

  it('reports a wrong circuit with a counterexample, exhaustively for small n', () => {
    const c = new CircuitBuilder('not-parity');
    const xs = c.inputs('x', 5);
    const check = checkAgainstFamily(c.output('y', c.or(...xs)).build(), parityThresholdFamily as AnyFamily, 5, 100);
    expect(check.exhaustive).toBe(true);
    expect(check.vectors).toBe(32);
    expect(check.mismatches).toBe(15); // OR and parity differ exactly on the nonzero even-weight inputs: 10 + 5
    expect(check.counterexample).toBeDefined();
    const good = checkAgainstFamily(parityThresholdFamily.build({ n: 5 }), parityThresholdFamily as AnyFamily, 5, 100);
    expect(good.mismatches).toBe(0);
  });
});
