/**
 * The study report's opening sections: a summary with every caveat the
 * numbers need (StudyAnalysis.notes), the definitions behind the tables, the
 * study spec as given, the environment (seeds, backends, versions, times)
 * and the cells by status with the failures' errors.
 */
import type { Section } from '../../report/reportDocument.js';
import { environmentRows, specBlocks } from '../../report/overviewSections.js';
import type { StudyReportContext } from './studyDocument.js';

/** Failed cells listed in full at most; the rest are counted. */
const MAX_FAILED_LISTED = 50;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function summary({ analysis }: StudyReportContext): Section {
  const c = analysis.counts;
  const text = `${plural(c.total, 'cell')}: ${c.done} done, ${c.pending} pending, ${c.running} running, ${c.failed} failed; ${plural(analysis.series.length, 'series', 'series')}, ${plural(analysis.pairs.length, 'AR/diffusion pair')}.`;
  return {
    id: 'summary',
    title: 'Summary',
    blocks: [{ type: 'text', text }, ...(analysis.notes.length > 0 ? [{ type: 'list' as const, items: analysis.notes }] : [])],
  };
}

function definitions({ analysis }: StudyReportContext): Section {
  return {
    id: 'definitions',
    title: 'Definitions',
    blocks: [{
      type: 'list',
      items: [
        'Loss: held-out bits per scored token on the same held-out rows for every U. AR kinds (ar, ar-orders) report the exact NLL in the natural order; diffusion reports the MDLM negative ELBO, an upper bound on its NLL, so the comparison is conservative for diffusion.',
        'Compute: the 6·N·D estimate (N parameters, D training tokens so far), the same formula for every kind; an estimate, not a count.',
        'Series: cells whose configs agree on everything but U (unique tokens), E (epochs) and seed; seeds of one (series, U, E) are averaged (mean, min–max, sample sd).',
        'Final loss: the last held-out evaluation of a completed run (at E). Best loss at a U: the lowest seed-mean evaluation of any run there; "still improving" when it is the last evaluation of the longest run.',
        'R_D*: L(U, E) = L∞ + B / D′^β with D′ = U + U·R·(1 − e^{−(E−1)/R}) (Muennighoff et al. 2023), fitted by least squares to a series\' final losses. At each U the E past the lowest final loss whose loss has risen beyond seed noise (more than two standard errors of the difference; any rise with one seed) are left out as overfitting: the form is monotone. Needs ≥ 5 points. R = ∞ is reported unless a likelihood-ratio test rejects it.',
        `Intervals of R_D*: 95% percentile bootstrap over points (${analysis.bootstrap.resamples} resamples, seed ${analysis.bootstrap.seed}) and 95% profile likelihood; "∞" as an upper end means R = ∞ is inside.`,
        'C_crit: at one U, the compute beyond which diffusion\'s best-so-far loss stays below an AR series\' to the end of the compute range both measured (the last crossing, interpolated in log compute; an early lead near initialisation that AR overturns does not count). C_crit(U) = a·U^γ is fitted in log-log over the U where a crossing was found (≥ 2 needed).',
      ],
    }],
  };
}

function specSection({ data }: StudyReportContext): Section {
  return { id: 'study', title: 'Study', blocks: specBlocks(data.spec, 'study') };
}

function environment(context: StudyReportContext): Section {
  const { data, analysis, wallSeconds } = context;
  const done = data.records.flatMap((r) => (r.result === null ? [] : [r.result]));
  const rows = [
    ['corpora', [...new Set(data.records.map((r) => String(r.config.corpus)))].join(', ') || 'none'],
    ...environmentRows({
      what: 'study',
      records: data.records,
      seeds: analysis.seeds,
      backends: done.map((r) => r.backend),
      wallSeconds,
      computeSeconds: done.reduce((s, r) => s + r.train_seconds + r.eval_seconds + r.data_seconds, 0),
      computeWhat: 'data + training + evaluation',
    }),
  ];
  return { id: 'environment', title: 'Environment', blocks: [{ type: 'table', header: ['what', 'value'], rows }] };
}

function cellsSection({ analysis, cells }: StudyReportContext): Section {
  const c = analysis.counts;
  const blocks: Section['blocks'] = [{
    type: 'table',
    caption: 'Cells by status',
    header: ['status', 'cells'],
    rows: [
      ['done', `${c.done}${c.not_completed > 0 ? ` (${c.not_completed} diverged or stopped early)` : ''}`],
      ['pending', String(c.pending)], ['running', String(c.running)], ['failed', String(c.failed)], ['total', String(c.total)],
    ],
  }];
  const failed = cells.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    const listed = failed.slice(0, MAX_FAILED_LISTED);
    blocks.push({
      type: 'table',
      caption: failed.length > listed.length ? `Failed cells (first ${listed.length} of ${failed.length}; all are in results.csv)` : 'Failed cells',
      header: ['id', 'series', 'U', 'E', 'seed', 'attempts', 'error'],
      rows: listed.map((f) => [f.id, f.series, String(f.unique_tokens), String(f.epochs), String(f.seed), String(f.attempts), f.error ?? '(no message)']),
    });
  }
  return { id: 'cells', title: 'Cells', blocks };
}

export function studyOverview(context: StudyReportContext): Section[] {
  return [summary(context), definitions(context), specSection(context), environment(context), cellsSection(context)];
}
