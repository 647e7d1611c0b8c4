/**
 * accuracyByDepth — accuracy against depth for every (task, model variant,
 * size) of a probe, from its done cells.
 *
 * For a series s (cells equal in every config field but depth and seed; see
 * _internals/variant.ts) and a depth d with done cells of seeds k = 1 … n,
 * each scoring aₖ on the metric (answer or token accuracy on the held-out
 * test split):
 *   mean(s, d) = (1/n) Σₖ aₖ
 *   interval   = bootstrap 95% percentile interval over seeds: B resamples of
 *                n seeds drawn with replacement, the 2.5% and 97.5%
 *                percentiles (type 7) of their means (_internals/bootstrap.ts)
 * A point with n = 1 has a zero-width interval: one seed says nothing about
 * the spread, which the report states.
 */
import type { CellRecord, ProbeData } from '../store/CellRecord.js';
import type { AccuracyMetric, AccuracyPoint, AccuracySeries } from './Analysis.js';
import { meanWithInterval, streamFor } from './_internals/bootstrap.js';
import { compareIds } from './_internals/order.js';
import { keyOf, taskRefOf, variantNamer } from './_internals/variant.js';

export interface BootstrapOptions {
  /** Resamples B. */
  resamples: number;
  /** Seed of the resampling streams. */
  seed: number;
}

/** The metric's value of a done record (null when the record has no metrics). */
export function metricOf(record: CellRecord, metric: AccuracyMetric): number | null {
  return record.status === 'done' && record.metrics !== null ? record.metrics[metric] : null;
}

export function accuracyByDepth(data: ProbeData, metric: AccuracyMetric, bootstrap: BootstrapOptions): AccuracySeries[] {
  const nameVariant = variantNamer(data.records.map((r) => r.config));
  // series key → identity and depth → (seed, value) pairs
  const groups = new Map<string, { id: Omit<AccuracySeries, 'points'>; byDepth: Map<number, { seed: number; value: number }[]> }>();
  for (const record of data.records) {
    const value = metricOf(record, metric);
    if (value === null) continue;
    const c = record.config;
    const variant = nameVariant(c);
    const task = taskRefOf(c);
    const key = keyOf({ ...task, model: variant.model, variant: variant.variant, layers: c.layers, dModel: c.dModel });
    let group = groups.get(key);
    if (group === undefined) {
      group = { id: { ...task, ...variant, layers: c.layers, dModel: c.dModel, key }, byDepth: new Map() };
      groups.set(key, group);
    }
    const cells = group.byDepth.get(c.depth) ?? [];
    group.byDepth.set(c.depth, cells);
    cells.push({ seed: c.seed, value });
  }
  const series: AccuracySeries[] = [];
  for (const { id, byDepth } of groups.values()) {
    const points: AccuracyPoint[] = [...byDepth.entries()]
      .sort(([a], [b]) => a - b)
      .map(([depth, cells]) => {
        const sorted = [...cells].sort((a, b) => a.seed - b.seed || a.value - b.value);
        const values = sorted.map((s) => s.value);
        const rng = streamFor(bootstrap.seed, `${id.key}|depth=${depth}`);
        return { depth, ...meanWithInterval(values, bootstrap.resamples, rng), n: values.length, seeds: sorted.map((s) => s.seed), values };
      });
    series.push({ ...id, points });
  }
  return series.sort(compareIds);
}
