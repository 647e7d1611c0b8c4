/**
 * Every built-in circuit family computes its reference function: exhaustively
 * over all inputs for small n, on random inputs (scalar evaluator) for larger n.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/circuits/evaluate.js';
import { FAMILIES } from '../../src/circuits/families/index.js';
import { analyzeStructure } from '../../src/circuits/structure.js';

describe.each(FAMILIES.map((f) => [f.name, f] as const))('family %s', (_name, family) => {
  it('matches its reference exhaustively for small n', () => {
    for (let n = 1; n <= 10; n++) {
      const p = family.params(n);
      const c = family.build(p);
      const width = c.inputs.length;
      if (width > 14) continue;
      for (let v = 0; v < 2 ** width; v++) {
        const x = Array.from({ length: width }, (_, i) => ((v >> i) & 1) === 1);
        expect(Array.from(evaluate(c, x), Boolean)).toEqual(family.reference(p, x));
      }
    }
  });

  it('matches its reference on random inputs for larger n', () => {
    fc.assert(
      fc.property(fc.constantFrom(...family.sizes), fc.infiniteStream(fc.boolean()), (n, stream) => {
        const p = family.params(n);
        const c = family.build(p);
        const x = [...stream.take(c.inputs.length)];
        expect(Array.from(evaluate(c, x), Boolean)).toEqual(family.reference(p, x));
      }),
      { numRuns: 100 },
    );
  });
});

describe.each(FAMILIES.map((f) => [f.name, f] as const))('family %s shape', (_name, family) => {
  it('has the depth and size its closed form states', () => {
    for (const n of [1, 2, 3, 5, ...family.sizes]) {
      const p = family.params(n);
      const s = analyzeStructure(family.build(p));
      const shape = family.shape(p);
      if (shape.exact) expect({ depth: s.depth, size: s.size }).toEqual({ depth: shape.depth, size: shape.size });
      else {
        expect(s.depth).toBeLessThanOrEqual(shape.depth);
        expect(s.size).toBeLessThanOrEqual(shape.size);
      }
    }
  });
});
