/**
 * studyCellRows — one flat row per cell of a study (any status), as
 * results.csv and results.json carry them.
 *
 * Columns (units): unique_tokens U and epochs E as configured; params the
 * model's parameter count; flops the run's 6·N·D estimate; final_bits the
 * held-out bits per token at the run's last evaluation (at E when it
 * completed; AR kinds: exact NLL, diffusion: NELBO bound); best_bits and
 * best_epoch the lowest held-out bits of the run and the epoch it was
 * measured at. status is the cell's (done, failed, pending, running);
 * train_status the training outcome of a done cell (completed, diverged,
 * early-stopped). Metrics of cells not done are empty.
 */
import type { StudyCellRecord, StudyData } from '../../store/StudyCellRecord.js';
import { studySeriesNamer } from '../analysis/index.js';
import { csvField } from '../../report/_internals/format.js';

export interface StudyCellRow {
  id: string;
  /** The series label (kind · setting) analyseStudy gives the cell. */
  series: string;
  kind: string;
  corpus: string;
  layers: number;
  d_model: number;
  unique_tokens: number;
  epochs: number;
  seed: number;
  status: string;
  train_status: string | null;
  backend: string | null;
  params: number | null;
  flops: number | null;
  final_bits: number | null;
  best_bits: number | null;
  best_epoch: number | null;
  attempts: number;
  error: string | null;
}

/** The CSV's columns, in order. */
export const STUDY_CELL_COLUMNS: readonly (keyof StudyCellRow)[] = [
  'id', 'series', 'kind', 'corpus', 'layers', 'd_model', 'unique_tokens', 'epochs', 'seed', 'status', 'train_status', 'backend',
  'params', 'flops', 'final_bits', 'best_bits', 'best_epoch', 'attempts', 'error',
];

function rowOf(r: StudyCellRecord, series: string, kind: string, corpus: string): StudyCellRow {
  const m = r.result;
  const last = m?.curve[m.curve.length - 1];
  return {
    id: r.id, series, kind, corpus, layers: r.config.layers, d_model: r.config.dModel, unique_tokens: r.config.uniqueTokens, epochs: r.config.epochs,
    seed: r.config.seed, status: r.status, train_status: m?.status ?? null, backend: m?.backend ?? null, params: m?.params ?? null, flops: m?.flops ?? null,
    final_bits: last?.bits_per_token ?? null, best_bits: m && m.curve.length > 0 ? m.best_bits_per_token : null, best_epoch: m && m.curve.length > 0 ? m.best_epoch : null,
    attempts: r.attempts, error: r.error,
  };
}

/** Every cell, ordered by series label, U, E, seed, id. */
export function studyCellRows(data: StudyData): StudyCellRow[] {
  const configs = data.records.map((r) => r.config as unknown as Record<string, unknown>);
  const name = studySeriesNamer(configs);
  return data.records
    .map((r) => {
      const id = name(r.config as unknown as Record<string, unknown>);
      return rowOf(r, id.label, id.kind, id.corpus);
    })
    .sort((a, b) => (a.series < b.series ? -1 : a.series > b.series ? 1 : 0) || a.unique_tokens - b.unique_tokens || a.epochs - b.epochs || a.seed - b.seed || (a.id < b.id ? -1 : 1));
}

/** RFC 4180 text: a header line, then one line per row (\n line ends). */
export function studyCsv(rows: readonly StudyCellRow[]): string {
  const lines = [STUDY_CELL_COLUMNS.join(',')];
  for (const row of rows) lines.push(STUDY_CELL_COLUMNS.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}
