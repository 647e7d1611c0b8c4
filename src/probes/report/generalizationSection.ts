/**
 * The report's depth-generalisation section: for cells trained at depth d
 * and also scored at other depths (evaluation.depthGeneralization, a cell's
 * evalDepths), the mean answer accuracy over seeds at each evaluated depth,
 * beside the in-distribution accuracy at d. Rows: task, model (kind and its
 * loops / denoising steps), size, training depth.
 */
import type { CellRecord } from '../store/CellRecord.js';
import type { ReportContext, Section } from './reportDocument.js';
import { sizeName, taskName } from './_internals/format.js';

interface Row {
  key: string;
  cells: string[];
  /** evaluated depth → accuracies over seeds (the training depth included, as "in distribution"). */
  byDepth: Map<number, number[]>;
  trainDepth: number;
}

function modelName(r: CellRecord): string {
  const c = r.config;
  if (c.model === 'looped') return `looped loops=${c.loops}`;
  if (c.model === 'diffusion') return `diffusion denoisingSteps=${c.denoisingSteps ?? 'auto'}`;
  return c.model;
}

export function generalizationSection({ data }: ReportContext): Section | undefined {
  const done = data.records.filter((r) => r.status === 'done' && r.metrics !== null && (r.metrics.generalization?.length ?? 0) > 0);
  if (done.length === 0) return undefined;
  const rows = new Map<string, Row>();
  for (const r of done) {
    const c = r.config;
    const cells = [taskName({ task: c.task, group: c.group ?? null }), modelName(r), sizeName(c), String(c.depth)];
    const key = JSON.stringify(cells);
    const row = rows.get(key) ?? { key, cells, byDepth: new Map(), trainDepth: c.depth };
    rows.set(key, row);
    const add = (depth: number, accuracy: number) => row.byDepth.set(depth, [...(row.byDepth.get(depth) ?? []), accuracy]);
    add(c.depth, r.metrics!.answer_accuracy);
    for (const g of r.metrics!.generalization) add(g.depth, g.answer_accuracy);
  }
  const depths = [...new Set([...rows.values()].flatMap((r) => [...r.byDepth.keys()]))].sort((a, b) => a - b);
  const mean = (xs: number[] | undefined) => (xs === undefined ? '–' : `${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3)} (n=${xs.length})`);
  return {
    id: 'depth-generalization',
    title: 'Depth generalisation',
    blocks: [
      {
        type: 'text',
        text: 'Mean answer accuracy over seeds of models trained at one depth and scored on test examples at others (the training depth is the in-distribution test split). Positions beyond the training length were never trained: learned positional embeddings cannot extrapolate there, RoPE may.',
      },
      {
        type: 'table',
        header: ['task', 'model', 'size', 'trained at', ...depths.map((d) => `depth ${d}`)],
        rows: [...rows.values()].map((r) => [...r.cells, ...depths.map((d) => (d === r.trainDepth ? `${mean(r.byDepth.get(d))} *` : mean(r.byDepth.get(d))))]),
      },
      { type: 'text', text: '*: the training depth (in distribution).' },
    ],
  };
}
