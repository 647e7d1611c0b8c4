/** Structural analysis on hand-built circuits and on ISCAS-85 c432, whose published depth is 17 levels. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CircuitBuilder } from './CircuitBuilder.js';
import { parseBench } from './formats/benchFormat.js';
import { analyzeStructure } from './structure.js';

describe('analyzeStructure', () => {
  it('measures a small circuit exactly', () => {
    const c = new CircuitBuilder('t');
    const [a, b, d] = c.inputs('x', 3) as [{ name: string }, { name: string }, { name: string }];
    const g = c.and(a, b);
    const h = c.or(g, d);
    c.output('h', h).output('g', g);
    const s = analyzeStructure(c.build());
    expect(s).toMatchObject({ inputs: 3, outputs: 2, size: 2, wires: 4, depth: 2, isFormula: false, basis: 'AC0', boundedFanIn: true });
    expect(s.outputDepths).toEqual([{ name: 'h', depth: 2 }, { name: 'g', depth: 1 }]);
    expect(s.fanIn).toEqual({ min: 2, max: 2, mean: 2 });
    expect(s.fanOut.max).toBe(2); // g feeds h and an output
    expect(s.classLabel).toBe('NC-type (fan-in ≤ 2), depth 2');
  });

  it('reads the class type off the gate basis', () => {
    const basisOf = (build: (c: CircuitBuilder, xs: { name: string }[]) => { name: string }) => {
      const c = new CircuitBuilder();
      const xs = c.inputs('x', 4);
      return analyzeStructure(c.output('y', build(c, xs)).build());
    };
    expect(basisOf((c, xs) => c.and(...xs)).basis).toBe('AC0');
    expect(basisOf((c, xs) => c.xor(xs[0]!, xs[1]!)).basis).toBe('AC0');
    expect(basisOf((c, xs) => c.xor(...xs)).basis).toBe('ACC0');
    expect(basisOf((c, xs) => c.mod(3, xs)).basis).toBe('ACC0');
    expect(basisOf((c, xs) => c.or(c.mod(3, xs), c.majority(...xs))).basis).toBe('TC0');
    const s = basisOf((c, xs) => c.threshold(2, xs));
    expect(s.classLabel).toBe('TC0-type (MAJ/THR gates), depth 1, a formula');
  });

  it('gives c432 its published figures', () => {
    const c432 = parseBench(readFileSync(new URL('./formats/fixtures/c432.bench', import.meta.url), 'utf8'), 'c432.bench');
    const s = analyzeStructure(c432);
    expect(s).toMatchObject({ inputs: 36, outputs: 7, size: 160, depth: 17, isFormula: false, basis: 'AC0' });
    expect(s.fanIn.max).toBe(9);
  });
});
