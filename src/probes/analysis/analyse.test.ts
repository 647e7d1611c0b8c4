/** analyse on hand-built probes: every number checked against a value computed by hand. */
import { describe, expect, it } from 'vitest';
import type { CellRecord } from '../store/CellRecord.js';
import { analyse, AnalyseOptionsError, type GeneralizationView } from './index.js';
import { done, probeData, record } from './_internals/probeData.testing.js';

const ar = (depth: number, seed: number, extra: Record<string, unknown> = {}) => ({ task: 's5', depth, model: 'ar' as const, layers: 2, dModel: 64, seed, ...extra });

describe('accuracy against depth', () => {
  it('averages seeds and brackets the mean with a bootstrap interval', () => {
    const data = probeData([done(ar(2, 0), 0.9), done(ar(2, 1), 0.8), done(ar(2, 2), 1.0)]);
    const a = analyse(data, { bootstrap: 500 });
    expect(a.series).toHaveLength(1);
    const [point] = a.series[0]!.points;
    expect(point!.n).toBe(3);
    expect(point!.mean).toBeCloseTo(0.9, 12);
    expect(point!.seeds).toEqual([0, 1, 2]);
    expect(point!.values).toEqual([0.9, 0.8, 1.0]);
    expect(point!.lo).toBeLessThan(point!.mean);
    expect(point!.hi).toBeGreaterThan(point!.mean);
    expect(point!.lo).toBeGreaterThanOrEqual(0.8);
    expect(point!.hi).toBeLessThanOrEqual(1.0);
  });

  it('collapses the interval to a point when every seed agrees', () => {
    const a = analyse(probeData([0, 1, 2].map((s) => done(ar(4, s), 0.7))));
    expect(a.series[0]!.points[0]).toMatchObject({ mean: 0.7, lo: 0.7, hi: 0.7, n: 3 });
  });

  it('is deterministic under the seed, independent of record order, and changes with the seed', () => {
    const records = [0.11, 0.23, 0.37, 0.41, 0.59, 0.62, 0.78, 0.95].map((v, seed) => done(ar(2, seed), v));
    const a = analyse(probeData(records), { seed: 7, bootstrap: 300 });
    expect(analyse(probeData([...records].reverse()), { seed: 7, bootstrap: 300 })).toEqual(a);
    const b = analyse(probeData(records), { seed: 8, bootstrap: 300 });
    expect(b.series[0]!.points[0]!.lo).not.toBe(a.series[0]!.points[0]!.lo);
  });

  it('counts only done cells, reports the others, and reads the chosen metric', () => {
    const data = probeData([
      done(ar(2, 0), 0.5, 0.75),
      record(ar(2, 1), 'pending'),
      record(ar(2, 2), 'failed'),
      record(ar(2, 3), 'running'),
    ]);
    const a = analyse(data, { metric: 'token_accuracy' });
    expect(a.counts).toEqual({ total: 4, pending: 1, running: 1, done: 1, failed: 1, diverged: 0 });
    expect(a.series[0]!.points[0]).toMatchObject({ n: 1, mean: 0.75, lo: 0.75, hi: 0.75 });
    expect(a.seedsPerPoint).toEqual({ min: 1, max: 1 });
  });

  it('never pools cells that differ in anything but depth and seed, and names what differs', () => {
    const a = analyse(probeData([
      done(ar(2, 0, { lr: 1e-3 }), 1),
      done(ar(2, 0, { lr: 3e-3 }), 0),
      done({ task: 's5', depth: 2, model: 'looped', loops: 2, seed: 0 }, 0.5),
      done({ task: 's5', depth: 2, model: 'looped', loops: 8, seed: 0 }, 0.6),
    ]));
    expect(a.series.map((s) => s.label)).toEqual(['ar lr=0.001', 'ar lr=0.003', 'looped loops=2', 'looped loops=8']);
    expect(a.series.map((s) => s.points[0]!.mean)).toEqual([1, 0, 0.5, 0.6]);
  });

  it('rejects options out of range in one line', () => {
    const data = probeData([]);
    expect(() => analyse(data, { tau: 1.5 })).toThrow(AnalyseOptionsError);
    expect(() => analyse(data, { bootstrap: 0 })).toThrow(/bootstrap = 0/);
  });
});

describe('depth limit', () => {
  const series = (accuracies: Record<number, number[]>, extra: Record<string, unknown> = {}) =>
    Object.entries(accuracies).flatMap(([depth, values]) => values.map((v, seed) => done(ar(Number(depth), seed, extra), v)));

  it('is the largest depth whose mean reaches tau, with the first failure and censoring', () => {
    const a = analyse(probeData([
      ...series({ 2: [1, 1, 1], 4: [0.95, 0.95, 0.95], 8: [0.5, 0.5, 0.5], 16: [0.2, 0.2, 0.2] }, { dModel: 32 }),
      ...series({ 2: [1, 1], 4: [1, 1] }, { dModel: 64 }),
      ...series({ 2: [0.1], 4: [0.1] }, { dModel: 128 }),
      ...series({ 2: [0.5], 4: [0.95], 8: [0.3] }, { dModel: 256 }),
    ]));
    const byWidth = (d: number) => a.depthLimits.find((l) => l.dModel === d)!;
    expect(byWidth(32)).toMatchObject({ limit: 4, lo: 4, hi: 4, firstFailure: 8, censored: false, failingBelow: [], depths: [2, 4, 8, 16] });
    expect(byWidth(64)).toMatchObject({ limit: 4, lo: 4, hi: 4, firstFailure: null, censored: true });
    expect(byWidth(128)).toMatchObject({ limit: null, lo: null, hi: null, firstFailure: 2, censored: false });
    expect(byWidth(256)).toMatchObject({ limit: 4, failingBelow: [2], firstFailure: 2 });
  });

  it('takes its interval from resampling seeds at every depth', () => {
    // Depth 4 passes (mean 0.933) unless a resample draws the 0.8 seed at least twice: P = 7/27 ≈ 0.26,
    // so the limit is 2 in about a quarter of resamples and 4 otherwise: interval [2, 4].
    const a = analyse(probeData(series({ 2: [1, 1, 1], 4: [1, 1, 0.8], 8: [0.5, 0.5, 0.5] })));
    expect(a.depthLimits[0]).toMatchObject({ limit: 4, lo: 2, hi: 4 });
  });
});

describe('fewest layers per depth (Illusion of State)', () => {
  // L layers solve depth d (accuracy 1) exactly when L ≥ log2 d; nothing solves depth 32 with L ≤ 4.
  const grid = [2, 4, 8, 16, 32].flatMap((depth) =>
    [1, 2, 3, 4].map((layers) => done({ task: 's5', depth, model: 'ar', layers, dModel: 64, seed: 0 }, depth < 32 && layers >= Math.log2(depth) ? 1 : 0.3)),
  );

  it('tabulates min layers and fits log2(depth) exactly and depth by hand', () => {
    const [view] = analyse(probeData(grid)).minLayers;
    expect(view!.layerCounts).toEqual([1, 2, 3, 4]);
    expect(view!.rows.map((r) => r.minLayers)).toEqual([1, 2, 3, 4, null]);
    expect(view!.rows[4]!.layersTested).toEqual([1, 2, 3, 4]);
    expect(view!.fitPoints).toEqual({ log2Depth: 4, depth: 4 });
    expect(view!.fitLog2Depth!.slope).toBeCloseTo(1, 12);
    expect(view!.fitLog2Depth!.intercept).toBeCloseTo(0, 12);
    expect(view!.fitLog2Depth!.r2).toBeCloseTo(1, 12);
    // Against depth: x̄ = 7.5, ȳ = 2.5, Sxx = 115, Sxy = 23 → b = 0.2, a = 1; SS_res = 0.4, SS_tot = 5 → R² = 0.92.
    expect(view!.fitDepth!.slope).toBeCloseTo(0.2, 12);
    expect(view!.fitDepth!.intercept).toBeCloseTo(1, 12);
    expect(view!.fitDepth!.r2).toBeCloseTo(0.92, 12);
  });

  it('gives no fit with fewer than two solved depths', () => {
    const [view] = analyse(probeData([done(ar(2, 0), 1), done(ar(4, 0), 0.1)])).minLayers;
    expect(view!.rows.map((r) => r.minLayers)).toEqual([2, null]);
    expect(view!.fitDepth).toBeNull();
    expect(view!.fitLog2Depth).toBeNull();
    expect(view!.fitPoints).toEqual({ log2Depth: 1, depth: 1 });
  });
});

describe('diffusion steps', () => {
  it('gathers accuracy against denoising steps at each depth, the automatic default last', () => {
    const diff = (depth: number, denoisingSteps: number | undefined, seed: number) => ({
      task: 'parity', depth, model: 'diffusion' as const, seed, ...(denoisingSteps !== undefined && { denoisingSteps }),
    });
    const a = analyse(probeData([
      done(diff(2, 1, 0), 0.4), done(diff(2, 1, 1), 0.6),
      done(diff(2, 4, 0), 0.9), done(diff(2, undefined, 0), 1),
      done(diff(4, 4, 0), 0.5),
    ]));
    expect(a.series.map((s) => s.label)).toEqual(['diffusion denoisingSteps=1', 'diffusion denoisingSteps=4', 'diffusion denoisingSteps=auto']);
    expect(a.diffusionSteps).toHaveLength(1);
    const view = a.diffusionSteps[0]!;
    expect(view.label).toBe('diffusion');
    expect(view.depths.map((d) => d.depth)).toEqual([2, 4]);
    expect(view.depths[0]!.points.map((p) => [p.denoisingSteps, p.mean, p.n])).toEqual([[1, 0.5, 2], [4, 0.9, 1], [null, 1, 1]]);
    expect(view.depths[1]!.points.map((p) => p.denoisingSteps)).toEqual([4]);
  });
});

describe('depth generalisation', () => {
  const withScores = (r: CellRecord, scores: [number, number][]): CellRecord => ({
    ...r,
    metrics: { ...r.metrics!, generalization: scores.map(([depth, a]) => ({ depth, n_test: 10, token_accuracy: a / 2, answer_accuracy: a })) },
  });
  // The spec's depths 4, 6, 8 with depthGeneralization 'deeper': each cell's evalDepths are the deeper ones.
  const cell = (depth: number, seed: number, inDist: number, scores: [number, number][]) =>
    withScores(done({ task: 'parity', depth, model: 'ar', seed, evalDepths: [4, 6, 8].filter((d) => d > depth) }, inDist), scores);
  const records = [
    cell(4, 0, 1, [[6, 0.5], [8, 0.25]]),
    cell(4, 1, 0.8, [[6, 0.7], [8, 0.25]]),
    cell(6, 0, 0.9, [[8, 0.4]]),
    cell(8, 0, 0.6, []),
  ];

  it('keeps cells of one series together although their evalDepths differ', () => {
    const a = analyse(probeData(records));
    expect(a.series).toHaveLength(1);
    expect(a.series[0]!.label).toBe('ar');
    expect(a.series[0]!.points.map((p) => [p.depth, p.mean])).toEqual([[4, 0.9], [6, 0.9], [8, 0.6]]);
  });

  it('gives, per training depth, the mean over seeds at every evaluated depth, the training depth in distribution', () => {
    const a = analyse(probeData(records), { bootstrap: 200 });
    expect(a.depthGeneralization.map((v) => v.trainDepth)).toEqual([4, 6]); // the depth-8 cell was scored nowhere else
    const [at4, at6] = a.depthGeneralization as [GeneralizationView, GeneralizationView];
    expect(at4.points.map((p) => [p.evalDepth, p.inDistribution, p.mean, p.n])).toEqual([[4, true, 0.9, 2], [6, false, 0.6, 2], [8, false, 0.25, 2]]);
    expect(at4.points[1]!.lo).toBeGreaterThanOrEqual(0.5);
    expect(at4.points[1]!.hi).toBeLessThanOrEqual(0.7);
    expect(at4.points[2]).toMatchObject({ lo: 0.25, hi: 0.25 }); // seeds agree: a point
    expect(at6.points.map((p) => [p.evalDepth, p.mean])).toEqual([[6, 0.9], [8, 0.4]]);
    const token = analyse(probeData(records), { metric: 'token_accuracy' });
    expect(token.depthGeneralization[0]!.points[2]!.mean).toBe(0.125);
  });
});
