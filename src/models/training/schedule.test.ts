/** The warm-up + cosine schedule at its key points. */
import { describe, expect, it } from 'vitest';
import { learningRate, validateSchedule, type LrSchedule } from './schedule.js';

const s: LrSchedule = { peakLr: 1e-3, warmupSteps: 10, totalSteps: 110, minLr: 1e-5 };

describe('learningRate', () => {
  it('warms up linearly from peak/W to the peak', () => {
    expect(learningRate(0, s)).toBeCloseTo(1e-4, 15);
    expect(learningRate(4, s)).toBeCloseTo(5e-4, 15);
    expect(learningRate(9, s)).toBeCloseTo(1e-3, 15);
  });

  it('decays by a cosine from the peak to the floor', () => {
    expect(learningRate(10, s)).toBeCloseTo(1e-3, 15);
    expect(learningRate(60, s)).toBeCloseTo((1e-3 + 1e-5) / 2, 15);
    expect(learningRate(35, s)).toBeCloseTo(1e-5 + (1e-3 - 1e-5) * 0.5 * (1 + Math.cos(Math.PI / 4)), 15);
    expect(learningRate(110, s)).toBe(1e-5);
    expect(learningRate(10_000, s)).toBe(1e-5);
  });

  it('is monotone: up during warm-up, down after', () => {
    for (let t = 1; t < 10; t++) expect(learningRate(t, s)).toBeGreaterThan(learningRate(t - 1, s));
    for (let t = 11; t <= 120; t++) expect(learningRate(t, s)).toBeLessThanOrEqual(learningRate(t - 1, s));
  });

  it('starts at the peak without warm-up, and stays there when T = W', () => {
    expect(learningRate(0, { ...s, warmupSteps: 0 })).toBe(1e-3);
    const flat = { peakLr: 2, warmupSteps: 4, totalSteps: 4, minLr: 0 };
    expect(learningRate(3, flat)).toBe(2);
    expect(learningRate(4, flat)).toBe(0);
  });

  it('rejects invalid schedules with the field named', () => {
    expect(() => validateSchedule({ ...s, peakLr: 0 })).toThrow(/peakLr/);
    expect(() => validateSchedule({ ...s, minLr: 1 })).toThrow(/minLr/);
    expect(() => validateSchedule({ ...s, warmupSteps: 1.5 })).toThrow(/warmupSteps/);
    expect(() => validateSchedule({ ...s, totalSteps: 5 })).toThrow(/totalSteps/);
    expect(() => validateSchedule(s)).not.toThrow();
  });
});
