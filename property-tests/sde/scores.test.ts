/**
 * Symmetry of the exact mixture score: if p_0 is invariant under x → −x
 * (components in pairs ±μ_k with equal weights and equal covariances), so is
 * every p_t = Σ_k π_k N(a μ_k, a²Σ_k + s²I), and therefore
 *
 *   ∇log p_t(−x) = −∇log p_t(x)   (the score is odd),
 *
 * for any schedule, t and x — including x far from every component, where
 * the responsibilities come from log-sum-exp.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiagonalGaussianMixture, GaussianMixture } from '../../src/sde/mixtures/GaussianMixture.js';
import { mixtureScore } from '../../src/sde/scores/mixtureScore.js';
import { vpTestSchedule as vp, veTestSchedule as ve } from '../../src/sde/_internals/testSchedules.testing.js';



const coord = fc.double({ min: -20, max: 20, noNaN: true });

/** A mixture symmetric under x → −x, in d dimensions, full or diagonal. */
const symmetricMixture = (d: number) =>
  fc
    .record({
      pairs: fc.array(
        fc.record({
          weight: fc.double({ min: 0.1, max: 1, noNaN: true }),
          mean: fc.array(coord, { minLength: d, maxLength: d }),
          // Covariance B·Bᵀ + 0.05 I is positive definite for any B.
          root: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: d * d, maxLength: d * d }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      diagonal: fc.boolean(),
    })
    .map(({ pairs, diagonal }): GaussianMixture | DiagonalGaussianMixture => {
      const total = 2 * pairs.reduce((s, p) => s + p.weight, 0);
      const weights = pairs.flatMap((p) => [p.weight / total, p.weight / total]);
      const means = pairs.flatMap((p) => [p.mean, p.mean.map((v) => -v)]);
      const covs = pairs.map((p) =>
        Array.from({ length: d }, (_, i) =>
          Array.from({ length: d }, (_, j) => {
            let s = i === j ? 0.05 : 0;
            for (let k = 0; k < d; k++) s += p.root[i * d + k]! * p.root[j * d + k]!;
            return s;
          }),
        ),
      );
      if (diagonal) return { weights, means, variances: covs.flatMap((c) => [c.map((row, i) => row[i]!), c.map((row, i) => row[i]!)]) };
      return { weights, means, covariances: covs.flatMap((c) => [c, c]) };
    });

const caseArb = fc.integer({ min: 1, max: 4 }).chain((d) =>
  fc.record({
    d: fc.constant(d),
    mix: symmetricMixture(d),
    x: fc.array(fc.double({ min: -60, max: 60, noNaN: true }), { minLength: d, maxLength: d }),
    t: fc.double({ min: 1e-3, max: 1, noNaN: true }),
    schedule: fc.constantFrom(vp, ve),
  }),
);

describe('mixture score symmetry', () => {
  it('is odd for a mixture symmetric under x → −x', () => {
    fc.assert(
      fc.property(caseArb, ({ d, mix, x, t, schedule }) => {
        const score = mixtureScore(mix, schedule);
        const pts = Float64Array.from([...x, ...x.map((v) => -v)]);
        const out = new Float64Array(2 * d);
        score.evaluate(pts, 2, t, out);
        for (let k = 0; k < d; k++) {
          const plus = out[k]!;
          const minus = out[d + k]!;
          expect(Number.isFinite(plus)).toBe(true);
          expect(Math.abs(plus + minus)).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(plus)));
        }
      }),
      { numRuns: 300 },
    );
  });
});
