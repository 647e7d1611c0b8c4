/**
 * minLayers — the "Illusion of State" view (Merrill, Petty & Sabharwal 2024):
 * how many layers a model needs to reach τ as depth grows. A constant-depth
 * model (TC⁰) should need a number of layers that grows with an NC¹-hard
 * task's depth, like log₂(depth) for the best constructions; a recurrent one
 * should not.
 *
 * For a (task, model variant, width dModel) with series at layer counts L:
 *   minLayers(d) = min{ L : mean(L, d) ≥ τ },  over the L tested at depth d;
 *                  null when none of them reaches τ (the need exceeds the
 *                  largest L tried, or is not met at all).
 * Over the depths where minLayers exists, two least-squares lines
 * (_internals/stats.ts, with R²):
 *   minLayers ≈ a + b·log₂(d)   (depths d ≥ 1 only; log₂ 0 is −∞)
 *   minLayers ≈ a + b·d
 * each needing ≥ 2 points (else null; the point counts are kept so a report
 * can say why a fit is missing). With few depths or few layer counts the
 * fits are descriptive, not a test of one growth law against the other.
 */
import type { AccuracySeries, MinLayersRow, MinLayersView } from './Analysis.js';
import { compareIds, distinctSorted } from './_internals/order.js';
import { linearFit } from './_internals/stats.js';
import { keyOf } from './_internals/variant.js';

export function minLayers(series: readonly AccuracySeries[], tau: number): MinLayersView[] {
  const groups = new Map<string, AccuracySeries[]>();
  for (const s of series) {
    const key = keyOf({ task: s.task, group: s.group, model: s.model, variant: s.variant, dModel: s.dModel });
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const views: MinLayersView[] = [];
  for (const [key, members] of groups) {
    const first = members[0]!;
    const depths = distinctSorted(members.flatMap((s) => s.points.map((p) => p.depth)));
    const rows: MinLayersRow[] = depths.map((depth) => {
      const tested = members
        .map((s) => ({ layers: s.layers, point: s.points.find((p) => p.depth === depth) }))
        .filter((t) => t.point !== undefined)
        .sort((a, b) => a.layers - b.layers);
      const reaching = tested.find((t) => t.point!.mean >= tau);
      return { depth, minLayers: reaching?.layers ?? null, layersTested: tested.map((t) => t.layers) };
    });
    const solved = rows.filter((r): r is MinLayersRow & { minLayers: number } => r.minLayers !== null);
    const log2Points = solved.filter((r) => r.depth >= 1).map((r) => ({ x: Math.log2(r.depth), y: r.minLayers }));
    const depthPoints = solved.map((r) => ({ x: r.depth, y: r.minLayers }));
    views.push({
      task: first.task,
      group: first.group,
      model: first.model,
      variant: first.variant,
      label: first.label,
      dModel: first.dModel,
      key,
      layerCounts: distinctSorted(members.map((s) => s.layers)),
      rows,
      fitLog2Depth: linearFit(log2Points),
      fitDepth: linearFit(depthPoints),
      fitPoints: { log2Depth: log2Points.length, depth: depthPoints.length },
    });
  }
  return views.sort(compareIds);
}
