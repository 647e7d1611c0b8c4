/**
 * The report's opening sections: a summary with every caveat the numbers
 * need (unfinished and failed cells, divergence, few seeds), the definitions
 * the tables use, the probe spec, the environment (seeds, backends,
 * versions, times) and the cells by status with the failures' errors.
 */
import type { CellRecord, Versions } from '../store/CellRecord.js';
import type { Block, ReportContext, Section } from './reportDocument.js';
import { duration, taskName } from './_internals/format.js';

/** Failed cells listed in full at most; the rest are counted. */
const MAX_FAILED_LISTED = 50;
/** Below this many seeds per point the report warns that intervals are rough. */
const FEW_SEEDS = 5;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function caveats({ analysis }: ReportContext): string[] {
  const c = analysis.counts;
  const out: string[] = [];
  if (c.total === 0) out.push('The probe has no cells.');
  else if (c.done === 0) out.push('No cell is done yet: there are no results to analyse, only the counts below.');
  const unfinished = c.pending + c.running;
  if (unfinished > 0) out.push(`${plural(unfinished, 'cell')} not finished (${c.pending} pending, ${c.running} running): every result below covers done cells only, and some points may rest on fewer seeds than planned or be missing.`);
  if (c.failed > 0) out.push(`${plural(c.failed, 'cell')} failed and ${c.failed === 1 ? 'is' : 'are'} left out of every result; the errors are listed under Cells.`);
  if (c.diverged > 0) out.push(`${plural(c.diverged, 'done cell')} diverged in training (a non-finite loss); ${c.diverged === 1 ? 'its' : 'their'} accuracy is included as measured.`);
  const n = analysis.seedsPerPoint;
  if (n !== null && n.min < FEW_SEEDS) {
    const range = n.min === n.max ? `n = ${n.min}` : `n = ${n.min}–${n.max}`;
    out.push(`Each point averages few seeds (${range}). A bootstrap over so few seeds only describes their spread: it cannot reach beyond the values seen and understates the real uncertainty.${n.min === 1 ? ' Points with one seed have zero-width intervals and say nothing about variability.' : ''}`);
  }
  return out;
}

function summary(context: ReportContext): Section {
  const c = context.analysis.counts;
  const text = `${plural(c.total, 'cell')}: ${c.done} done, ${c.pending} pending, ${c.running} running, ${c.failed} failed.`;
  const notes = caveats(context);
  return { id: 'summary', title: 'Summary', blocks: [{ type: 'text', text }, ...(notes.length > 0 ? [{ type: 'list' as const, items: notes }] : [])] };
}

function definitions({ analysis }: ReportContext): Section {
  const metric = analysis.metric === 'answer_accuracy'
    ? 'answer accuracy: the fraction of held-out test examples whose whole answer the model gets exactly right running free'
    : 'token accuracy: the fraction of predicted positions right on held-out test examples';
  return {
    id: 'definitions',
    title: 'Definitions',
    blocks: [{
      type: 'list',
      items: [
        `Metric: ${metric}. Threshold τ = ${analysis.tau}.`,
        'Cells are averaged as seeds only when their configs agree on everything but depth and seed; a model is its kind, the fields that set it apart (e.g. loops, denoisingSteps) and its size L (layers) × d (width).',
        `Mean over seeds; interval: bootstrap ${Math.round(analysis.bootstrap.level * 100)}% percentile interval over seeds (${analysis.bootstrap.resamples} resamples, seed ${analysis.bootstrap.seed}).`,
        'Depth limit: the largest depth tested whose mean reaches τ (none if no depth does); its interval re-takes the limit in every resample (seeds resampled per depth), nearest-rank 2.5% and 97.5% percentiles. A limit at the deepest depth tested is censored: the real limit may lie beyond.',
        'Fewest layers at a depth: the smallest layer count tested whose mean reaches τ there. Lines are least-squares fits of it against log₂(depth) (depths ≥ 1) and against depth, over the depths where it exists; a fit needs 2 points.',
      ],
    }],
  };
}

/** A spec as given, one table row per top-level field; `what` names it ("probe", "study") when it was not recorded. */
export function specBlocks(spec: unknown, what: string): Block[] {
  if (spec === null || spec === undefined) return [{ type: 'text', text: `The ${what} spec is not recorded with these results.` }];
  const rows = typeof spec === 'object' && !Array.isArray(spec)
    ? Object.entries(spec as Record<string, unknown>).map(([key, value]) => [key, JSON.stringify(value) ?? 'undefined'])
    : [['spec', JSON.stringify(spec) ?? String(spec)]];
  return [{ type: 'table', caption: 'The spec as given', header: ['field', 'value'], rows }];
}

function specSection({ data }: ReportContext): Section {
  return { id: 'probe', title: 'Probe', blocks: specBlocks(data.spec, 'probe') };
}

/** "a × 3, b × 1", most frequent first. */
export function tally(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([v, n]) => `${v} × ${n}`).join(', ');
}

/** "first start → last finish (duration)" of any cells' attempts. */
export function timeSpan(records: readonly Pick<CellRecord, 'startedAt' | 'finishedAt'>[]): string {
  const starts = records.map((r) => r.startedAt).filter((t): t is string => t !== null).sort();
  const ends = records.map((r) => r.finishedAt).filter((t): t is string => t !== null).sort();
  const first = starts[0];
  const last = ends[ends.length - 1];
  if (first === undefined || last === undefined) return 'not recorded';
  const seconds = (Date.parse(last) - Date.parse(first)) / 1000;
  return `${first} → ${last}${Number.isFinite(seconds) && seconds >= 0 ? ` (${duration(seconds)})` : ''}`;
}

/** What a run's cells record about how they ran, for the environment table of a probe's or a study's report. */
export interface RunEnvironment {
  /** 'probe' or 'study'. */
  what: string;
  records: readonly { config: { model: string; seed: number }; versions: Versions | null; startedAt: string | null; finishedAt: string | null }[];
  seeds: readonly number[];
  /** The backend of every done cell. */
  backends: readonly string[];
  wallSeconds: number | undefined;
  /** The summed time of done cells, and what it sums ("training + evaluation"). */
  computeSeconds: number;
  computeWhat: string;
}

/** The rows every report's environment table has, after the caller's own first rows (tasks, corpora). */
export function environmentRows(env: RunEnvironment): string[][] {
  const { records, seeds, backends } = env;
  const versions = records.flatMap((r) => (r.versions === null ? [] : [`depthlab ${r.versions.depthlab} · tfjs ${r.versions.tfjs} · node ${r.versions.node}`]));
  return [
    ['model kinds', [...new Set(records.map((r) => String(r.config.model)))].join(', ') || 'none'],
    ['seeds', seeds.length === 0 ? 'none' : `${seeds.join(', ')} (${plural(seeds.length, 'seed')})`],
    ['backends (done cells)', backends.length === 0 ? 'none' : tally([...backends])],
    ['versions (cells)', versions.length === 0 ? 'not recorded' : tally(versions)],
    [`wall time of the ${env.what}`, env.wallSeconds === undefined ? 'not given' : duration(env.wallSeconds)],
    ['first start → last finish', timeSpan(records)],
    [`${env.computeWhat} time, summed over done cells`, backends.length === 0 ? 'none' : duration(env.computeSeconds)],
  ];
}

function environment({ data, cells, wallSeconds }: ReportContext): Section {
  const records = data.records;
  const rows = [
    ['tasks', [...new Set(records.map((r) => taskName({ task: r.config.task, group: r.config.group ?? null })))].join(', ') || 'none'],
    ...environmentRows({
      what: 'probe',
      records,
      seeds: [...new Set(records.map((r) => r.config.seed))].sort((a, b) => a - b),
      backends: cells.map((c) => c.backend),
      wallSeconds,
      computeSeconds: cells.reduce((sum, c) => sum + c.wall_seconds, 0),
      computeWhat: 'training + evaluation',
    }),
  ];
  return { id: 'environment', title: 'Environment', blocks: [{ type: 'table', header: ['what', 'value'], rows }] };
}

function cellsSection({ analysis, failed }: ReportContext): Section {
  const c = analysis.counts;
  const blocks: Section['blocks'] = [{
    type: 'table',
    caption: 'Cells by status',
    header: ['status', 'cells'],
    rows: [['done', `${c.done}${c.diverged > 0 ? ` (${c.diverged} diverged)` : ''}`], ['pending', String(c.pending)], ['running', String(c.running)], ['failed', String(c.failed)], ['total', String(c.total)]],
  }];
  if (failed.length > 0) {
    const listed = failed.slice(0, MAX_FAILED_LISTED);
    blocks.push({
      type: 'table',
      caption: failed.length > listed.length ? `Failed cells (first ${listed.length} of ${failed.length}; all are in the run store)` : 'Failed cells',
      header: ['id', 'task', 'depth', 'model', 'layers', 'd_model', 'seed', 'attempts', 'error'],
      rows: listed.map((f) => [f.id, taskName(f), String(f.depth), f.model, String(f.layers), String(f.d_model), String(f.seed), String(f.attempts), f.error]),
    });
  }
  return { id: 'cells', title: 'Cells', blocks };
}

export function overviewSections(context: ReportContext): Section[] {
  return [summary(context), definitions(context), specSection(context), environment(context), cellsSection(context)];
}
