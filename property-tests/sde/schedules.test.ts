/**
 * Properties of every schedule on [tMin, T]: the signal-to-noise ratio
 * a(t)²/s(t)² strictly decreases (noise wins as t grows), a(t) ∈ (0, 1] and
 * s(t) ≥ 0. Times are drawn on a 10⁶-point lattice so that two distinct
 * draws are far enough apart for the SNR difference to exceed rounding.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  cosine,
  edm,
  expressionSchedule,
  snr,
  subVp,
  ve,
  vpLinear,
  type Schedule,
} from '../../src/sde/schedules/index.js';

const SCHEDULES: [string, Schedule][] = [
  ['vp-linear', vpLinear()],
  ['vp-linear(0.5, 5)', vpLinear({ betaMin: 0.5, betaMax: 5 })],
  ['sub-vp', subVp()],
  ['cosine', cosine()],
  ['ve', ve()],
  ['ve(0.002, 80)', ve({ sigmaMin: 0.002, sigmaMax: 80 })],
  ['edm', edm()],
  ['expr:0.1 + 19.9*t', expressionSchedule('0.1 + 19.9*t')],
  ['expr:1 + exp(2*t)', expressionSchedule('1 + exp(2*t)')],
];

const LATTICE = 1_000_000;

describe.each(SCHEDULES)('%s', (_name, s) => {
  const at = (i: number): number => s.tMin + (i / LATTICE) * (s.T - s.tMin);

  it('has strictly decreasing SNR on [tMin, T]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: LATTICE }), fc.integer({ min: 0, max: LATTICE }), (i, j) => {
        if (i === j) return true;
        const [lo, hi] = i < j ? [i, j] : [j, i];
        return snr(s, at(lo)) > snr(s, at(hi));
      }),
      { numRuns: 300 },
    );
  });

  it('has a(t) ∈ (0, 1] and s(t) ≥ 0', () => {
    fc.assert(
      fc.property(fc.double({ min: s.tMin, max: s.T, noNaN: true }), (t) => {
        const a = s.mean(t);
        return a > 0 && a <= 1 && s.std(t) >= 0;
      }),
      { numRuns: 300 },
    );
  });
});
