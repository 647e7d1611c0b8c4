/**
 * studyFigures — the study report's charts as Vega-Lite specs (rendered to
 * SVG by renderSvg), one panel per U where the chart is per U:
 *
 *   loss-vs-epochs   held-out bits against epochs (log x): every run's
 *                    seed-mean curve thin, and the final point of each E
 *                    (seed mean, a bar from min to max) joined per series
 *   loss-vs-compute  held-out bits against training compute (6·N·D FLOPs,
 *                    log x): every run thin, each series' best-so-far
 *                    envelope m(C) = min{L_j : C_j ≤ C} thick (what the
 *                    crossover compares), dashed rules at C_crit
 *   crossover        C_crit against U (log-log), one panel per AR/diffusion
 *                    pair: the measured crossings, the fitted power law
 *                    a·U^γ, and a reference line of the published slope
 *                    2.174 through the crossings' geometric mean
 *                    (Ū, C̄) = (exp mean ln U, exp mean ln C):
 *                    C = C̄·(U/Ū)^2.174
 *
 * A chart without data is a "no data" panel, so a partial study still gets
 * every figure.
 */
import type { StudyAnalysis, StudyPair } from '../analysis/index.js';
import { faceted, noData, type Figure } from '../../report/reportFigures.js';
import { slope, tokens } from './_internals/studyFormat.js';

type Row = Record<string, unknown>;

const panelOf = (u: number): string => `U = ${tokens(u)}`;

/** Panel names in ascending U. */
function panelOrder(analysis: StudyAnalysis): string[] {
  const us = [...new Set(analysis.series.flatMap((s) => s.budgets.map((b) => b.unique_tokens)))].sort((a, b) => a - b);
  return us.map(panelOf);
}

const only = (layer: string): { filter: string } => ({ filter: `datum.layer === '${layer}'` });
// Series labels are long ("ar-orders N=16 dropout=0.1 · brown-bpe vocab=1024 L2 d64"): legends show them whole.
const color = { field: 'series', type: 'nominal', title: 'series', legend: { labelLimit: 480 } };
const bitsAxis = { field: 'y', type: 'quantitative', title: 'held-out bits/token', scale: { zero: false } };

function lossVsEpochs(analysis: StudyAnalysis): Figure {
  const rows: Row[] = analysis.series.flatMap((s) =>
    s.budgets.flatMap((b) =>
      b.runs.flatMap((r) => [
        ...r.curve.map((p) => ({ panel: panelOf(b.unique_tokens), layer: 'curve', series: s.label, run: `${s.label} E=${r.epochs}`, x: p.epoch, y: p.bits.mean })),
        ...(r.final_bits ? [{ panel: panelOf(b.unique_tokens), layer: 'final', series: s.label, x: r.epochs, y: r.final_bits.mean, lo: r.final_bits.min, hi: r.final_bits.max }] : []),
      ]),
    ),
  );
  const title = 'held-out loss against epochs';
  if (rows.length === 0) return { name: 'loss-vs-epochs', title: 'Loss against epochs', caption: 'No chart: no done runs.', spec: noData(title, 'no done runs') };
  const x = { field: 'x', type: 'quantitative', title: 'epochs', scale: { type: 'log' } };
  return {
    name: 'loss-vs-epochs',
    title: 'Loss against epochs',
    caption: 'Held-out bits per token against epochs (log scale), one panel per U. Thin lines: each run\'s curve (seed mean); thick: the final loss of each E (seed mean, bars from the lowest to the highest seed), the points R_D* is fitted on.',
    spec: faceted(title, rows, [
      { transform: [only('curve')], mark: { type: 'line', strokeWidth: 1, opacity: 0.4 }, encoding: { x, y: bitsAxis, color, detail: { field: 'run', type: 'nominal' } } },
      { transform: [only('final')], mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } },
      { transform: [only('final')], mark: { type: 'line', point: true, strokeWidth: 2 }, encoding: { x, y: bitsAxis, color } },
    ], 'unique tokens', ['y'], panelOrder(analysis)),
  };
}

function lossVsCompute(analysis: StudyAnalysis): Figure {
  const rows: Row[] = analysis.series.flatMap((s) =>
    s.budgets.flatMap((b) => b.runs.flatMap((r) => r.curve.map((p) => ({ panel: panelOf(b.unique_tokens), layer: 'curve', series: s.label, run: `${s.label} E=${r.epochs}`, x: p.flops, y: p.bits.mean })))),
  );
  const crossings = analysis.pairs.flatMap((p) => p.crossings.filter((c) => c.compute !== null).map((c) => ({ panel: panelOf(c.unique_tokens), layer: 'crossing', x: c.compute })));
  const title = 'held-out loss against training compute';
  if (rows.length === 0) return { name: 'loss-vs-compute', title: 'Loss against compute', caption: 'No chart: no done runs.', spec: noData(title, 'no done runs') };
  const x = { field: 'x', type: 'quantitative', title: 'training FLOPs (6·N·D estimate)', scale: { type: 'log' }, axis: { format: '.0e' } };
  return {
    name: 'loss-vs-compute',
    title: 'Loss against compute',
    caption: 'Held-out bits per token against training compute (the 6·N·D estimate, log scale), one panel per U. Thin lines: each run (seed mean); thick: each series\' best-so-far envelope, which the crossover compares; dashed rules: C_crit, where diffusion\'s envelope falls below an AR one for good.',
    spec: faceted(title, [...rows, ...crossings], [
      { transform: [only('curve')], mark: { type: 'line', strokeWidth: 1, opacity: 0.35 }, encoding: { x, y: bitsAxis, color, detail: { field: 'run', type: 'nominal' } } },
      {
        // The running minimum in compute order (ties: the lower loss last), drawn linear on the log axis as crossoverCompute interpolates it.
        transform: [only('curve'), { window: [{ op: 'min', field: 'y', as: 'best' }], sort: [{ field: 'x' }, { field: 'y', order: 'descending' }], groupby: ['panel', 'series'], frame: [null, 0] }],
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: { x, y: { ...bitsAxis, field: 'best' }, color },
      },
      { transform: [only('crossing')], mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { x } },
    ], 'unique tokens', ['x', 'y'], panelOrder(analysis)),
  };
}

function pairName(p: StudyPair): string {
  return `${p.ar_label} vs ${p.diffusion_label}`;
}

function crossoverRows(p: StudyPair, gamma: number): Row[] {
  const panel = pairName(p);
  const found = p.crossings.filter((c) => c.compute !== null);
  if (found.length === 0) return [];
  const us = p.crossings.map((c) => c.unique_tokens);
  const [lo, hi] = [Math.min(...us), Math.max(...us)];
  const measured = found.map((c) => ({ panel, layer: 'point', line: 'measured C_crit', x: c.unique_tokens, y: c.compute }));
  const gu = Math.exp(found.reduce((s, c) => s + Math.log(c.unique_tokens), 0) / found.length);
  const gc = Math.exp(found.reduce((s, c) => s + Math.log(c.compute!), 0) / found.length);
  const reference = `slope ${gamma} (published)`;
  const lines = [lo, hi].map((x) => ({ panel, layer: 'reference', line: reference, x, y: gc * (x / gu) ** gamma }));
  const fit = p.c_crit;
  if (fit.status === 'fitted' && fit.a !== null && fit.gamma !== null) {
    const name = `fit: γ = ${slope(fit.gamma)}`;
    lines.push(...[lo, hi].map((x) => ({ panel, layer: 'fit', line: name, x, y: fit.a! * x ** fit.gamma! })));
  }
  return [...measured, ...lines];
}

function crossoverFigure(analysis: StudyAnalysis): Figure {
  const gamma = analysis.published.c_crit_gamma;
  const rows = analysis.pairs.flatMap((p) => crossoverRows(p, gamma));
  const title = 'crossover compute C_crit against unique tokens U';
  if (rows.length === 0) {
    const why = analysis.pairs.length === 0 ? 'no AR and diffusion series of the same setting' : 'no crossing in the measured range (see the crossover tables)';
    return { name: 'crossover', title: 'Crossover compute', caption: `No chart: ${why}.`, spec: noData(title, why) };
  }
  const x = { field: 'x', type: 'quantitative', title: 'unique tokens U', scale: { type: 'log' } };
  const y = { field: 'y', type: 'quantitative', title: 'C_crit (FLOPs, 6·N·D)', scale: { type: 'log' }, axis: { format: '.0e' } };
  const lineColor = { field: 'line', type: 'nominal', title: '', legend: { labelLimit: 480 } };
  return {
    name: 'crossover',
    title: 'Crossover compute',
    caption: `C_crit, the compute beyond which diffusion's best-so-far loss stays below AR's, against U (log-log), one panel per AR/diffusion pair: measured crossings, the fitted power law a·U^γ (with ≥ 2 crossings), and a line of the published slope ${gamma} through the crossings' geometric mean for reference.`,
    spec: faceted(title, rows, [
      { transform: [only('fit')], mark: { type: 'line', strokeWidth: 1.5 }, encoding: { x, y, color: lineColor } },
      { transform: [only('reference')], mark: { type: 'line', strokeWidth: 1.5, strokeDash: [6, 4] }, encoding: { x, y, color: lineColor } },
      { transform: [only('point')], mark: { type: 'point', filled: true, size: 60 }, encoding: { x, y, color: lineColor } },
    ], 'pair', ['x', 'y']),
  };
}

/** Every figure of the study report, in reading order. */
export function studyFigures(analysis: StudyAnalysis): Figure[] {
  return [lossVsEpochs(analysis), lossVsCompute(analysis), crossoverFigure(analysis)];
}
