/**
 * The data plan of a study cell: rows of C + 1 tokens overlapping by one;
 * E passes over the W windows in ⌈E·W/B⌉ steps (the last partial), each window
 * exactly once per epoch; evaluation steps log-spaced, ending at the end.
 */
import { describe, expect, it } from 'vitest';
import { planBatch, rowsAfter, studyPlan } from './studyPlan.js';
import { studyWindows } from './studyWindows.js';

describe('studyWindows', () => {
  it('cuts W = ⌊(n−1)/C⌋ rows of C + 1 tokens at stride C, scoring each token after the first once', () => {
    const tokens = Array.from({ length: 23 }, (_, i) => 100 + i);
    const rows = studyWindows(tokens, 5);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual([100, 101, 102, 103, 104, 105]);
    expect(rows[1]![0]).toBe(rows[0]![5]);
    const scored = rows.flatMap((r) => r.slice(1));
    expect(scored).toEqual(tokens.slice(1, 21));
    expect(studyWindows(tokens.slice(0, 5), 5)).toEqual([]);
  });
});

describe('studyPlan', () => {
  it('trains on exactly E·W rows: every step B rows but the last, every window once per epoch', () => {
    const [epochs, windows, batch] = [3, 10, 4];
    const plan = studyPlan(epochs, windows, batch, 4);
    expect(plan).toMatchObject({ steps: 8, rows: 30, lastBatchRows: 2 });
    const rows = Array.from({ length: plan.steps }, (_, s) => planBatch(plan, windows, batch, s, 7));
    expect(rows.map((r) => r.length)).toEqual([4, 4, 4, 4, 4, 4, 4, 2]);
    const flat = rows.flat();
    for (let e = 0; e < epochs; e++) {
      const seen = flat.filter((r) => r.epoch === e).map((r) => r.window);
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: windows }, (_, i) => i));
    }
    // Reshuffled each epoch, and a pure function of the step.
    expect(flat.slice(0, 10).map((r) => r.window)).not.toEqual(flat.slice(10, 20).map((r) => r.window));
    expect(planBatch(plan, windows, batch, 5, 7)).toEqual(rows[5]);
    expect(rowsAfter(plan, batch, plan.steps)).toBe(30);
  });

  it('places evaluations log-spaced in epochs from min(1, E)/4, the last at the end', () => {
    const plan = studyPlan(256, 1000, 10, 8);
    const epochs = plan.evalSteps.map((s) => rowsAfter(plan, 10, s) / 1000);
    expect(epochs[0]).toBeCloseTo(0.25, 5);
    expect(epochs.at(-1)).toBe(256);
    expect(plan.evalSteps.at(-1)).toBe(plan.steps);
    const ratios = epochs.slice(1).map((e, i) => e / epochs[i]!);
    for (const r of ratios) expect(r).toBeCloseTo(1024 ** (1 / 7), 1);
    expect(studyPlan(2, 5, 64, 8).evalSteps).toEqual([1]); // one step holds the whole run
    expect(studyPlan(4, 100, 10, 1).evalSteps).toEqual([40]);
  });
});
