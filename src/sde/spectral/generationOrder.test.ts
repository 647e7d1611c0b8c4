/**
 * The generation-order experiment: under DDPM noise the reverse process resolves
 * low frequencies first (Dieleman 2024, "Diffusion is spectral autoregression"),
 * under EqualSNR every band at once (Falck et al. 2025, arXiv 2505.11278); the
 * measured correlations of the simulated trajectories follow the exact criterion.
 */
import { describe, expect, it } from 'vitest';
import { generationOrder, spearman } from './generationOrder.js';
import { fitPowerLaw, rapsd1d } from './rapsd.js';
import { vpTestSchedule as vp } from '../_internals/testSchedules.testing.js';

describe('generation order', () => {
  const ddpm = generationOrder({ schedule: vp, noise: 'ddpm', n: 256, alpha: 2, steps: 200, samples: 32, seed: 1 });
  const equal = generationOrder({ schedule: vp, noise: 'equal-snr', n: 256, alpha: 2, steps: 200, samples: 32, seed: 1 });

  it('records one row per step and band', () => {
    expect(ddpm.rows.length).toBe(201 * 129);
    expect(ddpm.rows[0]).toMatchObject({ step: 0, t: 1, band: 0, frequency: 0 });
    expect(ddpm.rows.at(-1)).toMatchObject({ step: 200, t: vp.tMin, band: 128, frequency: 0.5 });
    expect(ddpm.bands.length).toBe(129);
  });

  it('under DDPM noise resolves low frequencies first (coarse to fine)', () => {
    const steps = ddpm.bands.map((b) => b.firstResolvedStep);
    expect(steps.every((s) => s !== null)).toBe(true);
    for (let r = 1; r < steps.length; r++) expect(steps[r]!).toBeGreaterThanOrEqual(steps[r - 1]!);
    expect(steps[1]!).toBeLessThan(steps[128]! - 50);
    expect(ddpm.ordering).toBeGreaterThan(0.95);
    const times = ddpm.bands.map((b) => b.firstResolvedT!);
    for (let r = 1; r < times.length; r++) expect(times[r]!).toBeLessThanOrEqual(times[r - 1]!);
  });

  it('under EqualSNR noise resolves every band at the same step (no ordering)', () => {
    const steps = new Set(equal.bands.map((b) => b.firstResolvedStep));
    expect(steps.size).toBe(1);
    expect([...steps][0]).not.toBeNull();
    expect(equal.ordering).toBe(0);
  });

  it('measured correlations of the trajectories follow the exact criterion', () => {
    for (const result of [ddpm, equal]) {
      let sumErr = 0;
      let count = 0;
      for (const row of result.rows) {
        if (row.step % 20 !== 0) continue;
        sumErr += Math.abs(row.measuredCorrelation2 - (1 - row.posteriorFraction));
        count++;
      }
      // Each band pools 64 pairs (2 coordinates × 32 trajectories), so single rows are noisy; the mean is tight.
      expect(sumErr / count).toBeLessThan(0.06);
      const gaps = result.bands
        .filter((b) => b.band > 0 && b.band < 128)
        .map((b) => Math.abs(b.firstMeasuredStep! - b.firstResolvedStep!));
      gaps.sort((a, b) => a - b);
      expect(gaps[Math.floor(gaps.length / 2)]!).toBeLessThanOrEqual(5);
    }
    const measured = ddpm.bands.filter((b) => b.band > 0).map((b) => b.firstMeasuredStep ?? 201);
    expect(spearman(ddpm.bands.filter((b) => b.band > 0).map((b) => b.frequency), measured)).toBeGreaterThan(0.8);
  });

  it('final samples have the power-law spectrum of the data under both noises', () => {
    for (const result of [ddpm, equal]) {
      const acc = new Float64Array(128);
      let freqs: Float64Array = new Float64Array(0);
      for (let i = 0; i < 32; i++) {
        const r = rapsd1d(result.finalSamples.subarray(i * 256, (i + 1) * 256));
        freqs = r.freqs;
        r.power.forEach((p, b) => (acc[b] = acc[b]! + p / 32));
      }
      expect(Math.abs(fitPowerLaw(freqs, acc).alpha - 2)).toBeLessThan(0.15);
    }
  });

  it('is a pure function of its options', () => {
    const a = generationOrder({ schedule: vp, noise: 'ddpm', n: 32, steps: 20, samples: 4, seed: 3 });
    const b = generationOrder({ schedule: vp, noise: 'ddpm', n: 32, steps: 20, samples: 4, seed: 3 });
    expect(Array.from(a.finalSamples)).toEqual(Array.from(b.finalSamples));
    expect(spearman([1, 2, 3], [3, 3, 3])).toBe(0);
  });
});
