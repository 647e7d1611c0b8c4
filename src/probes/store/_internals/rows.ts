/**
 * Conversions between the run store's rows and the typed records it hands
 * out: the indexed columns taken from a config, a cells row to a CellRecord,
 * a curves row to a StepRecord. Kept apart from RunStore so the class reads
 * as the life of a cell.
 */
import { canonicalJson, cellHash, type CellConfig } from '../../cell/CellConfig.js';
import type { StepRecord } from '../../../models/training/index.js';
import type { CellMetrics, CellRecord, CellStatus, Versions } from '../CellRecord.js';
import { fromJson } from './schema.js';

export const ROW_COLUMNS = 'id, config, status, attempts, started_at, finished_at, versions, metrics, error';

export interface CellRow {
  id: string;
  config: string;
  status: CellStatus;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  versions: string | null;
  metrics: string | null;
  error: string | null;
}

export interface CurveRow {
  cell_id: string;
  step: number;
  loss: number;
  grad_norm: number;
  lr: number;
  tokens: number;
  metric: number | null;
}

export function configColumns(config: CellConfig): Record<string, string | number | null> {
  return {
    id: cellHash(config),
    config: canonicalJson(config),
    task: config.task,
    task_group: config.group ?? null,
    depth: config.depth,
    model: config.model,
    layers: config.layers,
    d_model: config.dModel,
    seed: config.seed,
  };
}

export function toRecord(row: CellRow): CellRecord {
  return {
    id: row.id,
    config: JSON.parse(row.config) as CellConfig,
    status: row.status,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    metrics: row.metrics === null ? null : fromJson<CellMetrics>(row.metrics),
    versions: row.versions === null ? null : (JSON.parse(row.versions) as Versions),
    error: row.error,
  };
}

export function toStep(row: CurveRow): StepRecord {
  const step: StepRecord = { step: row.step, loss: row.loss, gradNorm: row.grad_norm, lr: row.lr, tokens: row.tokens };
  if (row.metric !== null) step.metric = row.metric;
  return step;
}
