/**
 * The report's depth-generalisation section: for cells trained at depth d
 * and also scored at other depths (evaluation.depthGeneralization, a cell's
 * evalDepths), the mean over seeds at each evaluated depth with its bootstrap
 * 95% interval, beside the in-distribution score at d (the Analysis'
 * depthGeneralization, depthGeneralization.ts). Rows: task, model variant,
 * size, training depth.
 */
import type { ReportContext, Section } from './reportDocument.js';
import { sizeName, taskName } from './_internals/format.js';

export function generalizationSection({ analysis }: ReportContext): Section | undefined {
  const views = analysis.depthGeneralization;
  if (views.length === 0) return undefined;
  const depths = [...new Set(views.flatMap((v) => v.points.map((p) => p.evalDepth)))].sort((a, b) => a - b);
  const metric = analysis.metric.replace('_', ' ');
  return {
    id: 'depth-generalization',
    title: 'Depth generalisation',
    blocks: [
      {
        type: 'text',
        text: `Mean ${metric} over seeds (bootstrap 95% interval) of models trained at one depth and scored on test examples at others (the training depth is the in-distribution test split). Positions beyond the training length were never trained: learned positional embeddings cannot extrapolate there, RoPE may.`,
      },
      {
        type: 'table',
        header: ['task', 'model', 'size', 'trained at', ...depths.map((d) => `depth ${d}`)],
        rows: views.map((v) => [
          taskName(v),
          v.label,
          sizeName(v),
          String(v.trainDepth),
          ...depths.map((d) => {
            const p = v.points.find((q) => q.evalDepth === d);
            if (p === undefined) return '–';
            const interval = p.n > 1 ? ` [${p.lo.toFixed(3)}, ${p.hi.toFixed(3)}]` : '';
            return `${p.mean.toFixed(3)}${interval} (n=${p.n})${p.inDistribution ? ' *' : ''}`;
          }),
        ]),
      },
      { type: 'text', text: '*: the training depth (in distribution).' },
    ],
  };
}
