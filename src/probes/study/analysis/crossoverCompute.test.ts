/** crossoverCompute on synthetic curves with a known crossing, and its edge cases. */
import { describe, expect, it } from 'vitest';
import { StudyAnalysisError, crossoverCompute } from './index.js';

// Straight lines in log₁₀ C: AR L = 5 − 0.25x, diffusion L = 6 − 0.35x, equal at x = 10 (L = 2.5).
const ar = (x: number) => ({ flops: 10 ** x, loss: 5 - 0.25 * x });
const diff = (x: number) => ({ flops: 10 ** x, loss: 6 - 0.35 * x });

describe('crossoverCompute', () => {
  it('finds the known crossing on unaligned grids, ignoring AR overfitting after its best', () => {
    const arCurve = [8, 9, 9.6, 10.7, 11.5].map(ar).concat([{ flops: 10 ** 12.5, loss: 4 }]);
    const diffCurve = [8.5, 9.3, 10.4, 12].map(diff);
    const c = crossoverCompute(arCurve, diffCurve);
    expect(c.status).toBe('crossing');
    expect(c.diffusionAheadFromStart).toBe(false);
    expect(Math.log10(c.compute!)).toBeCloseTo(10, 10);
    expect(c.loss).toBeCloseTo(2.5, 10);
    expect(c.range[0]).toBeCloseTo(10 ** 8.5, 0);
    expect(c.range[1]).toBeCloseTo(10 ** 12, 0);
    const shuffled = crossoverCompute([...arCurve].reverse(), [diffCurve[2]!, diffCurve[0]!, diffCurve[3]!, diffCurve[1]!]);
    expect(shuffled).toEqual(c);
  });

  it('compares best-so-far losses, not raw ones', () => {
    // AR reaches 2.0 then overfits to 3.0; diffusion gets to 2.5 — below AR's raw loss, never below its best.
    const c = crossoverCompute(
      [{ flops: 1e9, loss: 4 }, { flops: 1e10, loss: 2 }, { flops: 1e11, loss: 3 }],
      [{ flops: 1e9, loss: 5 }, { flops: 1e10, loss: 3.5 }, { flops: 1e11, loss: 2.5 }],
    );
    expect(c).toMatchObject({ status: 'never', compute: null, loss: null, diffusionAheadFromStart: false });
  });

  it('says when diffusion is ahead from the start', () => {
    const c = crossoverCompute([9, 10, 11].map(ar), [9, 10, 11].map((x) => ({ flops: 10 ** x, loss: 1 })));
    expect(c).toMatchObject({ status: 'diffusion-ahead-from-start', compute: null, diffusionAheadFromStart: true, signChanges: 0 });
  });

  it('does not count touching as falling below, and crosses at a touching point that then dips', () => {
    // AR: 2.75, 2.5, 2.25 at 1e9, 1e10, 1e11.
    const touch = crossoverCompute([9, 10, 11].map(ar), [{ flops: 1e9, loss: 4 }, { flops: 1e10, loss: 2.5 }, { flops: 1e11, loss: 2.25 }]);
    expect(touch.status).toBe('never');
    const dip = crossoverCompute([9, 10, 11].map(ar), [{ flops: 1e9, loss: 4 }, { flops: 1e10, loss: 2.5 }, { flops: 1e11, loss: 2 }]);
    expect(dip.status).toBe('crossing');
    expect(dip.compute).toBeCloseTo(1e10, 0);
    expect(dip.loss).toBeCloseTo(2.5, 12);
  });

  it('takes the last crossing: an early lead of diffusion that AR overturns is not C_crit', () => {
    // AR best-so-far: 6, 4, 3, 3 (overfits after 1e11); diffusion: 5.9, 4.5, 3.5, 2.5.
    const arCurve = [{ flops: 1e9, loss: 6 }, { flops: 1e10, loss: 4 }, { flops: 1e11, loss: 3 }, { flops: 1e12, loss: 5 }];
    const back = crossoverCompute(arCurve, [{ flops: 1e9, loss: 5.9 }, { flops: 1e10, loss: 4.5 }, { flops: 1e11, loss: 3.5 }, { flops: 1e12, loss: 2.5 }]);
    expect(back).toMatchObject({ status: 'crossing', diffusionAheadFromStart: true, signChanges: 2 });
    // g = +0.5 at 1e11, −0.5 at 1e12: the root is halfway in log C.
    expect(Math.log10(back.compute!)).toBeCloseTo(11.5, 12);
    expect(back.loss).toBeCloseTo(3, 12);
    const lost = crossoverCompute(arCurve, [{ flops: 1e9, loss: 5.9 }, { flops: 1e10, loss: 4.5 }, { flops: 1e11, loss: 3.5 }, { flops: 1e12, loss: 3.2 }]);
    expect(lost).toMatchObject({ status: 'never', compute: null, diffusionAheadFromStart: true, signChanges: 1 });
  });

  it('refuses curves with no shared compute or bad points, in one line', () => {
    expect(() => crossoverCompute([8, 9].map(ar), [10, 11].map(diff))).toThrow(/share no compute range/);
    expect(() => crossoverCompute([], [10, 11].map(diff))).toThrow(StudyAnalysisError);
    expect(() => crossoverCompute([{ flops: 0, loss: 1 }], [10, 11].map(diff))).toThrow(/flops = 0/);
    expect(() => crossoverCompute([{ flops: 1e10, loss: NaN }], [10, 11].map(diff))).toThrow(/loss = NaN/);
  });
});
