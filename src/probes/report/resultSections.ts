/**
 * The report's result sections, from the Analysis: accuracy against depth
 * (one table per task, depths as columns, "mean [95% interval] n=seeds"),
 * depth limits, the fewest layers per depth with their fits, diffusion's
 * accuracy against denoising steps, and learning curves; each section's
 * figures follow its tables. Empty parts say so instead of vanishing.
 */
import type { AccuracySeries, Analysis, DepthLimit, MinLayersRow, MinLayersView } from '../analysis/index.js';
import type { Block, ReportContext, Section } from './reportDocument.js';
import type { CellRow } from './cellRows.js';
import type { Figure } from './reportFigures.js';
import { estimateWithN, fitText, sizeName, taskName } from './_internals/format.js';

const NOT_TESTED = '–';

/** Items grouped by task name, in first-seen order (the analysis is already ordered by task). */
function byTask<T extends { task: string; group: string | null }>(items: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(taskName(item), [...(groups.get(taskName(item)) ?? []), item]);
  return [...groups.entries()];
}

function depthsOf(points: readonly { depth: number }[]): number[] {
  return [...new Set(points.map((p) => p.depth))].sort((a, b) => a - b);
}

function figuresBlock(figures: readonly Figure[], prefix: string): Block[] {
  const chosen = figures.filter((f) => f.name === prefix || f.name.startsWith(`${prefix}-`));
  return chosen.length === 0 ? [] : [{ type: 'figures', figures: chosen.map(({ name, title, caption }) => ({ name, title, caption })) }];
}

const noDone = (what: string): Block => ({ type: 'text', text: `No done cells: no ${what} to show.` });

/** Chance level per depth of a task: the mean, over its done cells, of always giving the most common training answer. */
function chanceRow(cells: readonly CellRow[], task: string, depths: readonly number[]): string[] {
  const at = (d: number) => cells.filter((c) => taskName(c) === task && c.depth === d).map((c) => c.baseline_answer_accuracy);
  const mean = (xs: number[]) => (xs.length === 0 ? NOT_TESTED : (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3));
  return ['chance (most common answer)', '', ...depths.map((d) => mean(at(d)))];
}

function accuracySection(analysis: Analysis, figures: readonly Figure[], cells: readonly CellRow[]): Section {
  const blocks: Block[] = analysis.series.length === 0 ? [noDone('accuracy')] : [
    { type: 'text', text: `Each entry: mean ${analysis.metric.replace('_', ' ')} over seeds [bootstrap 95% interval] n = seeds; ${NOT_TESTED}: no done cell.` },
    ...byTask(analysis.series).map(([task, series]): Block => {
      const depths = depthsOf(series.flatMap((s) => s.points));
      const cell = (s: AccuracySeries, d: number) => {
        const p = s.points.find((q) => q.depth === d);
        return p === undefined ? NOT_TESTED : estimateWithN(p);
      };
      const rows = series.map((s) => [s.label, sizeName(s), ...depths.map((d) => cell(s, d))]);
      if (analysis.metric === 'answer_accuracy') rows.push(chanceRow(cells, task, depths));
      return { type: 'table', caption: `Task ${task}`, header: ['model', 'size', ...depths.map((d) => `depth ${d}`)], rows };
    }),
  ];
  return { id: 'accuracy', title: 'Accuracy against depth', blocks: [...blocks, ...figuresBlock(figures, 'accuracy')] };
}

function limitNote(l: DepthLimit): string {
  const notes: string[] = [];
  if (l.limit === null) notes.push('no depth tested reaches τ');
  if (l.censored) notes.push('deepest depth tested: the real limit may be larger');
  if (l.failingBelow.length > 0) notes.push(`below τ at depth ${l.failingBelow.join(', ')} (under the limit)`);
  if (l.depths.length === 1) notes.push('one depth tested');
  return notes.join('; ');
}

function limitsSection(analysis: Analysis): Section {
  const show = (d: number | null) => (d === null ? 'none' : String(d));
  const blocks: Block[] = analysis.depthLimits.length === 0 ? [noDone('depth limits')] : [
    { type: 'text', text: `Largest depth tested whose mean reaches τ = ${analysis.tau}; interval from the bootstrap ("none": no depth reaches τ in that resample).` },
    {
      type: 'table',
      header: ['task', 'model', 'size', 'depth limit', '95% interval', 'first depth below τ', 'depths tested', 'note'],
      rows: analysis.depthLimits.map((l) => [taskName(l), l.label, sizeName(l), show(l.limit), `[${show(l.lo)}, ${show(l.hi)}]`, show(l.firstFailure), l.depths.join(', '), limitNote(l)]),
    },
  ];
  return { id: 'depth-limits', title: 'Depth limits', blocks };
}

function minLayersCell(row: MinLayersRow | undefined): string {
  if (row === undefined || row.layersTested.length === 0) return NOT_TESTED;
  return row.minLayers === null ? `> ${Math.max(...row.layersTested)}` : String(row.minLayers);
}

function fitCell(view: MinLayersView, which: 'log2Depth' | 'depth'): string {
  const fit = which === 'log2Depth' ? view.fitLog2Depth : view.fitDepth;
  const points = view.fitPoints[which];
  if (fit !== null) return fitText(fit, which === 'log2Depth' ? 'log₂ depth' : 'depth');
  return points < 2 ? `too few points (${points} of the 2 needed)` : 'no fit (a single distinct depth)';
}

function minLayersSection(analysis: Analysis, figures: readonly Figure[]): Section {
  const blocks: Block[] = analysis.minLayers.length === 0 ? [noDone('layer counts')] : [
    {
      type: 'text',
      text: `Fewest layers whose mean reaches τ = ${analysis.tau} at each depth ("> L": none of the layer counts tried, up to L, reaches it; ${NOT_TESTED}: not tested). Fits: fewest layers ≈ a + b·x by least squares. With few depths or few layer counts the fits describe the table; they do not decide between log and linear growth.`,
    },
    ...byTask(analysis.minLayers).map(([task, views]): Block => {
      const depths = depthsOf(views.flatMap((v) => v.rows));
      return {
        type: 'table',
        caption: `Task ${task}`,
        header: ['model', 'width', 'layers tried', ...depths.map((d) => `depth ${d}`), 'fit against log₂ depth', 'fit against depth'],
        rows: views.map((v) => [v.label, `d${v.dModel}`, v.layerCounts.join(', '), ...depths.map((d) => minLayersCell(v.rows.find((r) => r.depth === d))), fitCell(v, 'log2Depth'), fitCell(v, 'depth')]),
      };
    }),
  ];
  return { id: 'fewest-layers', title: 'Fewest layers per depth (Illusion of State)', blocks: [...blocks, ...figuresBlock(figures, 'layers-heatmap')] };
}

function diffusionSection(analysis: Analysis, figures: readonly Figure[]): Section {
  const views = analysis.diffusionSteps;
  const blocks: Block[] = views.length === 0 ? [{ type: 'text', text: 'No done diffusion cells.' }] : [
    { type: 'text', text: 'Accuracy of masked diffusion against its denoising steps S at each depth: mean [bootstrap 95% interval] n = seeds; S = auto is one step per generated position.' },
    ...views.map((v): Block => {
      const steps = [...new Set(v.depths.flatMap((d) => d.points.map((p) => p.denoisingSteps)))];
      steps.sort((a, b) => (a ?? Number.MAX_VALUE) - (b ?? Number.MAX_VALUE));
      const cell = (points: (typeof v.depths)[number]['points'], s: number | null) => {
        const p = points.find((q) => q.denoisingSteps === s);
        return p === undefined ? NOT_TESTED : estimateWithN(p);
      };
      return {
        type: 'table',
        caption: `Task ${taskName(v)} · ${sizeName(v)} · ${v.label}`,
        header: ['depth', ...steps.map((s) => `S = ${s ?? 'auto'}`)],
        rows: v.depths.map((d) => [String(d.depth), ...steps.map((s) => cell(d.points, s))]),
      };
    }),
  ];
  return { id: 'diffusion-steps', title: 'Diffusion: denoising steps', blocks: [...blocks, ...figuresBlock(figures, 'diffusion-steps')] };
}

function curvesSection(figures: readonly Figure[]): Section {
  return { id: 'learning-curves', title: 'Learning curves', blocks: figuresBlock(figures, 'learning-curves') };
}

export function resultSections({ analysis, figures, cells }: ReportContext): Section[] {
  return [accuracySection(analysis, figures, cells), limitsSection(analysis), minLayersSection(analysis, figures), diffusionSection(analysis, figures), curvesSection(figures)];
}
