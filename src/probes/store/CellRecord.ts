/**
 * CellRecord — one cell of a probe as the run store keeps it and the
 * analysis and reports read it: the cell's config (its id is the config's
 * hash), where it stands, the environment that produced it, and its metrics.
 *
 * A cell is 'pending' until a worker takes it ('running'), then 'done' (the
 * result and its learning curve written in one transaction) or 'failed' (the
 * error kept). A 'running' cell found when a probe starts was interrupted (a
 * crash, SIGKILL) and is run again; a 'done' cell is never run twice.
 */
import type { CellConfig } from '../cell/CellConfig.js';
import type { CellResult } from '../cell/runCell.js';

export type CellStatus = 'pending' | 'running' | 'done' | 'failed';

/** A finished cell's metrics: the CellResult without its config, id and curve (kept apart). */
export type CellMetrics = Omit<CellResult, 'id' | 'config' | 'curve'>;

/** Versions of what produced a result, for reproduction. */
export interface Versions {
  depthlab: string;
  tfjs: string;
  node: string;
}

export interface CellRecord {
  /** cellHash(config). */
  id: string;
  config: CellConfig;
  status: CellStatus;
  /** Attempts started (1 for a cell run once; more after interruptions or failures). */
  attempts: number;
  /** ISO 8601 times of the last attempt; null before the first. */
  startedAt: string | null;
  finishedAt: string | null;
  /** Present when status is 'done'. */
  metrics: CellMetrics | null;
  versions: Versions | null;
  /** Present when status is 'failed': one line. */
  error: string | null;
}

/**
 * Everything a probe's analysis and report read: the spec as written, the
 * cells, and their learning curves. The run store produces it
 * (RunStore.data()); tests and scripts can build one by hand.
 */
export interface ProbeData {
  /** The spec (JSON value) the probe ran, as given; null when unknown (e.g. merged stores of several specs). */
  spec: unknown;
  records: CellRecord[];
  /** Learning curve of a cell (empty for cells not done). */
  curve(id: string): import('../../models/training/index.js').StepRecord[];
}
