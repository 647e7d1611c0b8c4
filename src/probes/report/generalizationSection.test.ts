/** The depth-generalisation section against hand-computed means and intervals. */
import { describe, expect, it } from 'vitest';
import { analyse } from '../analysis/analyse.js';
import { done, probeData } from '../analysis/_internals/probeData.testing.js';
import type { CellRecord } from '../store/CellRecord.js';
import { generalizationSection } from './generalizationSection.js';
import type { ReportContext } from './reportDocument.js';

function withGeneralization(r: CellRecord, scores: [number, number][]): CellRecord {
  return { ...r, metrics: { ...r.metrics!, generalization: scores.map(([depth, a]) => ({ depth, n_test: 10, token_accuracy: a, answer_accuracy: a })) } };
}

function context(records: CellRecord[]): ReportContext {
  const data = probeData(records);
  return { data, analysis: analyse(data), cells: [], failed: [], figures: [], title: 't' };
}

describe('generalizationSection', () => {
  it('is absent when no cell was scored at other depths', () => {
    expect(generalizationSection(context([done({ task: 'parity', depth: 6, model: 'ar' }, 0.5)]))).toBeUndefined();
  });

  it('averages over seeds per evaluated depth, the training depth marked', () => {
    const cell = (seed: number, inDist: number, at8: number) =>
      withGeneralization(done({ task: 'parity', depth: 6, model: 'cot', seed, evalDepths: [8] }, inDist), [[8, at8]]);
    const section = generalizationSection(context([cell(0, 1, 0.5), cell(1, 0.8, 0.25)]))!;
    const table = section.blocks.find((b) => b.type === 'table') as { header: string[]; rows: string[][] };
    expect(table.header).toEqual(['task', 'model', 'size', 'trained at', 'depth 6', 'depth 8']);
    // Two seeds: the resampled means are min, midpoint or max, so the 95% interval is [min, max].
    expect(table.rows).toEqual([['parity', 'cot', 'L2 d64', '6', '0.900 [0.800, 1.000] (n=2) *', '0.375 [0.250, 0.500] (n=2)']]);
  });
});
