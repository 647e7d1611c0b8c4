/**
 * cellRows — one flat row per done cell, as results.csv and results.json
 * carry them, and failedCells for the cells that failed.
 *
 * Columns (units): accuracies are fractions in [0, 1] of the held-out test
 * split; loss_first / loss_last the training loss (nats per predicted token)
 * of the first and last step; train_tokens_per_s training throughput;
 * wall_seconds = train + evaluation time of the cell (s). `status` is the
 * training outcome (completed, early-stopped, diverged): every row is a done
 * cell. `group` is the 'word' task's group (empty otherwise);
 * denoising_steps is empty where diffusion used its automatic default (and
 * for other kinds, which do not use it); loops is the config's value, used
 * only by looped.
 */
import type { TrainStatus } from '../../models/training/index.js';
import type { ModelKind } from '../cell/CellConfig.js';
import type { ProbeData } from '../store/CellRecord.js';
import { csvField } from './_internals/format.js';

export interface CellRow {
  id: string;
  task: string;
  group: string | null;
  depth: number;
  model: ModelKind;
  layers: number;
  d_model: number;
  loops: number;
  denoising_steps: number | null;
  seed: number;
  backend: string;
  params: number;
  steps: number;
  status: TrainStatus;
  loss_first: number;
  loss_last: number;
  token_accuracy: number;
  answer_accuracy: number;
  /** Chance level: always answering the most common training answer. */
  baseline_answer_accuracy: number;
  train_tokens_per_s: number;
  wall_seconds: number;
}

/** The CSV's columns, in order. */
export const CELL_COLUMNS: readonly (keyof CellRow)[] = [
  'id', 'task', 'group', 'depth', 'model', 'layers', 'd_model', 'loops', 'denoising_steps', 'seed', 'backend', 'params', 'steps',
  'status', 'loss_first', 'loss_last', 'token_accuracy', 'answer_accuracy', 'baseline_answer_accuracy', 'train_tokens_per_s', 'wall_seconds',
];

export interface FailedCell {
  id: string;
  task: string;
  group: string | null;
  depth: number;
  model: ModelKind;
  layers: number;
  d_model: number;
  seed: number;
  attempts: number;
  error: string;
}

/** Done cells as rows, ordered by task, group, model, size, depth, seed. */
export function cellRows(data: ProbeData): CellRow[] {
  const rows: CellRow[] = [];
  for (const r of data.records) {
    const m = r.metrics;
    if (r.status !== 'done' || m === null) continue;
    const c = r.config;
    rows.push({
      id: r.id, task: c.task, group: c.group ?? null, depth: c.depth, model: c.model, layers: c.layers, d_model: c.dModel,
      loops: c.loops, denoising_steps: c.denoisingSteps ?? null, seed: c.seed, backend: m.backend, params: m.params, steps: m.steps,
      status: m.status, loss_first: m.loss_first, loss_last: m.loss_last, token_accuracy: m.token_accuracy,
      answer_accuracy: m.answer_accuracy, baseline_answer_accuracy: m.baseline_answer_accuracy, train_tokens_per_s: m.train_tokens_per_s, wall_seconds: m.train_seconds + m.eval_seconds,
    });
  }
  return rows.sort(compareRows);
}

export function failedCells(data: ProbeData): FailedCell[] {
  return data.records
    .filter((r) => r.status === 'failed')
    .map((r) => ({
      id: r.id, task: r.config.task, group: r.config.group ?? null, depth: r.config.depth, model: r.config.model,
      layers: r.config.layers, d_model: r.config.dModel, seed: r.config.seed, attempts: r.attempts, error: r.error ?? '(no message)',
    }))
    .sort((a, b) => compareRows(a, b));
}

/** RFC 4180 text: a header line, then one line per row, CRLF-free (\n). */
export function toCsv(rows: readonly CellRow[]): string {
  const lines = [CELL_COLUMNS.join(',')];
  for (const row of rows) lines.push(CELL_COLUMNS.map((c) => csvField(row[c])).join(','));
  return `${lines.join('\n')}\n`;
}

type Sortable = Pick<CellRow, 'task' | 'group' | 'model' | 'layers' | 'd_model' | 'depth' | 'seed' | 'id'> & { loops?: CellRow['loops']; denoising_steps?: CellRow['denoising_steps'] };

function compareRows(a: Sortable, b: Sortable): number {
  const keys = ['task', 'group', 'model', 'layers', 'd_model', 'loops', 'denoising_steps', 'depth', 'seed', 'id'] as const;
  for (const k of keys) {
    const x = a[k] ?? '';
    const y = b[k] ?? '';
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}
