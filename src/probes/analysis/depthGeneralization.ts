/**
 * depthGeneralization — how a model trained at one depth does at others:
 * for every series (task, model variant, size; _internals/variant.ts) and
 * training depth d whose cells were also scored at other depths (a cell's
 * evalDepths, from the spec's evaluation.depthGeneralization), the metric at
 * each evaluated depth e, the training depth itself included (its ordinary
 * in-distribution test split):
 *
 *   mean(s, d, e) = (1/n) Σₖ aₖ(e)    over the n seeds of (s, d)
 *   interval      = bootstrap 95% percentile interval over seeds, as in
 *                   accuracyByDepth.ts, from the stream named by (s, d, e)
 *
 * Test examples at e ≠ d are fresh draws at depth e (runCell's
 * evaluationExamples), so a drop from e = d to e > d is the failure to
 * extrapolate in depth that the theory predicts for fixed-depth models on
 * NC1-complete tasks — and that learned positions alone can also cause
 * (positions beyond the training length were never trained; RoPE may
 * extrapolate), which the report says beside the table.
 */
import type { ProbeData } from '../store/CellRecord.js';
import type { AccuracyMetric, GeneralizationPoint, GeneralizationView } from './Analysis.js';
import type { BootstrapOptions } from './accuracyByDepth.js';
import { meanWithInterval, streamFor } from './_internals/bootstrap.js';
import { compareIds } from './_internals/order.js';
import { keyOf, taskRefOf, variantNamer } from './_internals/variant.js';

export function depthGeneralization(data: ProbeData, metric: AccuracyMetric, bootstrap: BootstrapOptions): GeneralizationView[] {
  const nameVariant = variantNamer(data.records.map((r) => r.config));
  // (series, training depth) → evaluated depth → (seed, value) pairs
  const groups = new Map<string, { id: Omit<GeneralizationView, 'points'>; byDepth: Map<number, { seed: number; value: number }[]> }>();
  for (const record of data.records) {
    const m = record.metrics;
    if (record.status !== 'done' || m === null || (m.generalization?.length ?? 0) === 0) continue;
    const c = record.config;
    const variant = nameVariant(c);
    const task = taskRefOf(c);
    const key = keyOf({ ...task, model: variant.model, variant: variant.variant, layers: c.layers, dModel: c.dModel });
    const groupKey = `${key}|train=${c.depth}`;
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = { id: { ...task, ...variant, layers: c.layers, dModel: c.dModel, key, trainDepth: c.depth }, byDepth: new Map() };
      groups.set(groupKey, group);
    }
    const add = (depth: number, value: number) => group.byDepth.set(depth, [...(group.byDepth.get(depth) ?? []), { seed: c.seed, value }]);
    add(c.depth, m[metric]);
    for (const g of m.generalization) add(g.depth, g[metric]);
  }
  const views: GeneralizationView[] = [];
  for (const { id, byDepth } of groups.values()) {
    const points: GeneralizationPoint[] = [...byDepth.entries()]
      .sort(([a], [b]) => a - b)
      .map(([evalDepth, cells]) => {
        const sorted = [...cells].sort((a, b) => a.seed - b.seed || a.value - b.value);
        const values = sorted.map((s) => s.value);
        const rng = streamFor(bootstrap.seed, `${id.key}|train=${id.trainDepth}|eval=${evalDepth}`);
        return { evalDepth, inDistribution: evalDepth === id.trainDepth, ...meanWithInterval(values, bootstrap.resamples, rng), n: values.length, seeds: sorted.map((s) => s.seed), values };
      });
    views.push({ ...id, points });
  }
  return views.sort((a, b) => compareIds(a, b) || a.trainDepth - b.trainDepth);
}
