/** Depth-growth classification on synthetic families with known growth, and on built families. */
import { describe, expect, it } from 'vitest';
import { analyzeFamily, classifyDepthGrowth, fitLine } from './depthGrowth.js';
import { parityThresholdFamily, parityTreeFamily, rippleCarryAdderFamily } from './families/index.js';

const ns = [4, 8, 16, 32, 64, 128];

describe('fitLine', () => {
  it('recovers an exact line and its R²', () => {
    const f = fitLine([1, 2, 3, 4], [3, 5, 7, 9])!;
    expect(f.a).toBeCloseTo(1, 12);
    expect(f.b).toBeCloseTo(2, 12);
    expect(f.rss).toBeCloseTo(0, 12);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(fitLine([1], [1])).toBeUndefined();
    expect(fitLine([2, 2], [1, 3])).toBeUndefined();
  });
});

describe('classifyDepthGrowth', () => {
  it('constant, logarithmic and polynomial depth, with the class they are consistent with', () => {
    const constant = classifyDepthGrowth(ns.map((n) => ({ n, depth: n < 8 ? 2 : 3, size: n * n })), 'TC0', false);
    expect(constant.growth).toBe('constant');
    expect(constant.classLabel).toMatch(/^consistent with TC0: depth constant \(3\)/);
    expect(constant.sizeExponent).toBeCloseTo(2, 10);

    const log = classifyDepthGrowth(ns.map((n) => ({ n, depth: 2 * Math.log2(n) + 1, size: n })), 'AC0', true);
    expect(log.growth).toBe('logarithmic');
    expect(log.logFit!.b).toBeCloseTo(2, 10);
    expect(log.classLabel).toMatch(/^consistent with NC1/);

    const lin = classifyDepthGrowth(ns.map((n) => ({ n, depth: 3 * n, size: 5 * n })), 'AC0', true);
    expect(lin.growth).toBe('polynomial');
    expect(lin.depthExponent).toBeCloseTo(1, 10);

    const sqrt = classifyDepthGrowth([16, 64, 256, 1024, 4096].map((n) => ({ n, depth: Math.round(Math.sqrt(n)), size: n })), 'AC0', false);
    expect(sqrt.growth).toBe('polynomial');
    expect(sqrt.depthExponent).toBeCloseTo(0.5, 2);
  });

  it('needs three distinct n', () => {
    expect(classifyDepthGrowth([{ n: 4, depth: 2, size: 4 }, { n: 8, depth: 3, size: 8 }], 'AC0', true).growth).toBe('undetermined');
  });
});

describe('analyzeFamily', () => {
  it('tells constant-depth TC0 parity from the NC1 tree and the linear-depth adder', () => {
    expect(analyzeFamily((n) => parityThresholdFamily.build({ n }), ns).growth).toBe('constant');
    const tree = analyzeFamily((n) => parityTreeFamily.build({ n }), ns);
    expect(tree.growth).toBe('logarithmic');
    expect(tree.boundedFanIn).toBe(true);
    expect(analyzeFamily((n) => rippleCarryAdderFamily.build({ n }), ns).growth).toBe('polynomial');
  });
});
