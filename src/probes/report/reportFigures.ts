/**
 * reportFigures — the report's charts as Vega-Lite specs (rendered to SVG by
 * renderSvg): accuracy against depth per model kind (mean line and a rule
 * from the 2.5% to the 97.5% bootstrap percentile at every point, τ dashed),
 * a depth × layers heatmap of mean accuracy per model kind, diffusion's
 * accuracy against denoising steps, and learning curves (training loss
 * against step, one line per cell).
 *
 * A chart without data is a "no data" panel, so an empty or partial probe
 * still gets every figure.
 */
import { MODEL_KINDS, type ModelKind } from '../cell/CellConfig.js';
import type { ProbeData } from '../store/CellRecord.js';
import type { Analysis, AccuracySeries } from '../analysis/index.js';
import type { CellRow } from './cellRows.js';
import type { VegaLiteSpec } from './renderSvg.js';
import { sizeName, taskName } from './_internals/format.js';

export interface Figure {
  /** File stem: the figure is written as `<name>.svg`. */
  name: string;
  title: string;
  caption: string;
  spec: VegaLiteSpec;
}

/** Learning curves drawn at most (chosen evenly through the ordered cells), and points per curve. */
export const MAX_CURVES = 24;
const MAX_CURVE_POINTS = 100;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const PANEL = { width: 240, height: 160 };

/** A "no data: why" panel standing in for a chart without data. */
export function noData(title: string, why: string): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title,
    width: 320,
    height: 60,
    data: { values: [{ text: `no data: ${why}` }] },
    mark: { type: 'text', fontSize: 13 },
    encoding: { text: { field: 'text', type: 'nominal' } },
  } as VegaLiteSpec;
}

/** Small multiples of `layer`, one panel per value of `panel` (alphabetical, or in `order` when given). */
export function faceted(
  title: string,
  rows: Record<string, unknown>[],
  layer: unknown[],
  panelTitle: string,
  independent: readonly ('x' | 'y')[] = ['x'],
  order?: readonly string[],
): VegaLiteSpec {
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows },
    facet: { field: 'panel', type: 'nominal', title: panelTitle, ...(order ? { sort: [...order] } : {}) },
    columns: 3,
    spec: { ...PANEL, layer },
    // Panels hold different depth ranges (and layer counts): each gets its own axis.
    resolve: { scale: Object.fromEntries(independent.map((axis) => [axis, 'independent'])) },
  } as VegaLiteSpec;
}

/** The kinds with results, in MODEL_KINDS order. */
function kindsOf(series: readonly AccuracySeries[]): ModelKind[] {
  const present = new Set(series.map((s) => s.model));
  return MODEL_KINDS.filter((kind) => present.has(kind));
}

/** The series' label within its kind: size, plus the variant when it has one. */
function seriesName(s: AccuracySeries): string {
  const variant = s.label.slice(s.model.length).trim();
  return variant === '' ? sizeName(s) : `${sizeName(s)} ${variant}`;
}

function accuracyFigures(analysis: Analysis): Figure[] {
  const kinds = kindsOf(analysis.series);
  const metric = analysis.metric.replace('_', ' ');
  if (kinds.length === 0) {
    return [{ name: 'accuracy', title: 'Accuracy against depth', caption: 'No done cells.', spec: noData('accuracy against depth', 'no done cells') }];
  }
  return kinds.map((kind) => {
    const rows = analysis.series
      .filter((s) => s.model === kind)
      .flatMap((s) => s.points.map((p) => ({ panel: taskName(s), series: seriesName(s), depth: p.depth, mean: p.mean, lo: p.lo, hi: p.hi, n: p.n })));
    const x = { field: 'depth', type: 'quantitative', title: 'depth', scale: { zero: false }, axis: { tickMinStep: 1, format: 'd' } }; // depths are integers
    const color = { field: 'series', type: 'nominal', title: 'model' };
    const spec = faceted(`${kind}: ${metric} against depth`, rows, [
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative', scale: { domain: [0, 1] }, title: metric }, y2: { field: 'hi' }, color } },
      { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color } },
      { mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { y: { datum: analysis.tau } } },
    ], 'task');
    return {
      name: `accuracy-${kind}`,
      title: `${kind}: accuracy against depth`,
      caption: `Mean ${metric} over seeds per depth; vertical bars span the bootstrap 95% interval; dashed line τ = ${analysis.tau}.`,
      spec,
    };
  });
}

function heatmapFigures(analysis: Analysis): Figure[] {
  const kinds = kindsOf(analysis.series);
  if (kinds.length === 0) {
    return [{ name: 'layers-heatmap', title: 'Depth × layers', caption: 'No done cells.', spec: noData('accuracy by depth and layers', 'no done cells') }];
  }
  return kinds.map((kind) => {
    const rows = analysis.series
      .filter((s) => s.model === kind)
      .flatMap((s) => s.points.map((p) => ({ panel: `${taskName(s)} · d${s.dModel} · ${s.label}`, depth: p.depth, layers: s.layers, mean: p.mean })));
    const x = { field: 'depth', type: 'ordinal', title: 'depth' };
    const y = { field: 'layers', type: 'ordinal', title: 'layers', sort: 'descending' };
    const spec = faceted(`${kind}: mean ${analysis.metric.replace('_', ' ')} by depth and layers`, rows, [
      { mark: 'rect', encoding: { x, y, color: { field: 'mean', type: 'quantitative', title: 'mean', scale: { domain: [0, 1], scheme: 'viridis' } } } },
      {
        mark: { type: 'text', fontSize: 9 },
        encoding: { x, y, text: { field: 'mean', type: 'quantitative', format: '.2f' }, color: { condition: { test: 'datum.mean < 0.6', value: 'white' }, value: 'black' } },
      },
    ], 'task · width · model', ['x', 'y']);
    return {
      name: `layers-heatmap-${kind}`,
      title: `${kind}: depth × layers`,
      caption: `Mean accuracy of each (depth, layers); the fewest layers at or above τ = ${analysis.tau} per depth are tabulated under "Fewest layers".`,
      spec,
    };
  });
}

function diffusionFigure(analysis: Analysis): Figure {
  const rows = analysis.diffusionSteps.flatMap((v) =>
    v.depths.flatMap((d) =>
      d.points
        .filter((p) => p.denoisingSteps !== null)
        .map((p) => ({ panel: `${taskName(v)} · ${sizeName(v)} · ${v.label}`, depth: String(d.depth), steps: p.denoisingSteps, mean: p.mean, lo: p.lo, hi: p.hi })),
    ),
  );
  const title = 'diffusion: accuracy against denoising steps';
  if (rows.length === 0) {
    const why = analysis.diffusionSteps.length === 0 ? 'no done diffusion cells' : 'only the automatic number of steps was run';
    return { name: 'diffusion-steps', title: 'Diffusion: denoising steps', caption: `No chart: ${why}.`, spec: noData(title, why) };
  }
  const stepValues = [...new Set(rows.map((r) => r.steps))].sort((a, b) => (a ?? 0) - (b ?? 0));
  const x = { field: 'steps', type: 'quantitative', title: 'denoising steps S', scale: { type: 'log', base: 2 }, axis: { values: stepValues } };
  const color = { field: 'depth', type: 'ordinal', title: 'depth' };
  return {
    name: 'diffusion-steps',
    title: 'Diffusion: denoising steps',
    caption: 'Mean accuracy over seeds against the number of denoising steps S, one line per depth; bars span the bootstrap 95% interval. Runs with the automatic S (one per position) appear only in the table.',
    spec: faceted(title, rows, [
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative', scale: { domain: [0, 1] }, title: 'accuracy' }, y2: { field: 'hi' }, color } },
      { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'mean', type: 'quantitative' }, color } },
    ], 'task · size · model'),
  };
}

/** Up to `limit` of `n` indices, evenly spaced (all of them when n ≤ limit). */
function evenly(n: number, limit: number): number[] {
  if (n <= limit) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: limit }, (_, i) => Math.round((i * (n - 1)) / (limit - 1)));
}

function curvesFigure(data: ProbeData, cells: readonly CellRow[]): Figure {
  const chosen = evenly(cells.length, MAX_CURVES).map((i) => cells[i]!);
  const rows = chosen.flatMap((c) => {
    const curve = data.curve(c.id);
    const stride = Math.max(1, Math.ceil(curve.length / MAX_CURVE_POINTS));
    const cell = `${taskName(c)} d=${c.depth} L${c.layers} d${c.d_model} seed ${c.seed} (${c.id.slice(0, 6)})`;
    return curve
      .filter((_, i) => i % stride === 0 || i === curve.length - 1)
      .filter((r) => Number.isFinite(r.loss))
      .map((r) => ({ panel: c.model, cell, depth: c.depth, step: r.step, loss: r.loss }));
  });
  const title = 'learning curves: training loss against step';
  if (rows.length === 0) {
    const why = cells.length === 0 ? 'no done cells' : 'no learning curve recorded';
    return { name: 'learning-curves', title: 'Learning curves', caption: `No chart: ${why}.`, spec: noData(title, why) };
  }
  const shown = chosen.length < cells.length ? `${chosen.length} of ${cells.length} done cells, chosen evenly through the results table` : `all ${cells.length} done cells`;
  return {
    name: 'learning-curves',
    title: 'Learning curves',
    caption: `Training loss against step, one line per cell (${shown}), coloured by depth, one panel per model kind; curves thinned to at most ${MAX_CURVE_POINTS} points.`,
    spec: faceted(title, rows, [
      {
        mark: { type: 'line', strokeWidth: 1, opacity: 0.8 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'step' },
          y: { field: 'loss', type: 'quantitative', title: 'loss' },
          color: { field: 'depth', type: 'quantitative', title: 'depth', scale: { scheme: 'viridis' } },
          detail: { field: 'cell', type: 'nominal' },
        },
      },
    ], 'model'),
  };
}

/** Every figure of the report, in reading order. `cells`: the done cells' rows (cellRows). */
export function reportFigures(
  analysis: Analysis,
  data: ProbeData,
  cells: readonly CellRow[],
): Figure[] {
  return [...accuracyFigures(analysis), ...heatmapFigures(analysis), diffusionFigure(analysis), curvesFigure(data, cells)];
}
