/**
 * StudyCellRecord — one cell of a data-constrained study (issue 7) as the run
 * store keeps it and the study's analysis and report read it: the cell's
 * config (its id is studyCellHash(config)), where it stands, what produced
 * it, and, once done, its whole StudyCellResult (held-out curve included).
 *
 * Life of a cell as for probe cells (CellRecord.ts): 'pending' → 'running'
 * (attempts + 1) → 'done' (the result written in one transaction) or
 * 'failed' (one-line error). A 'running' cell found when a study starts was
 * interrupted and runs again from step 0; a 'done' cell is never run twice.
 */
import type { StudyCellConfig } from '../study/cell/StudyCellConfig.js';
import type { StudyCellResult } from '../study/cell/runStudyCell.js';
import type { CellStatus, Versions } from './CellRecord.js';

export interface StudyCellRecord {
  /** studyCellHash(config). */
  id: string;
  config: StudyCellConfig;
  status: CellStatus;
  /** Attempts started. */
  attempts: number;
  /** ISO 8601 times of the last attempt; null before the first. */
  startedAt: string | null;
  finishedAt: string | null;
  /** Present when status is 'done'. */
  result: StudyCellResult | null;
  versions: Versions | null;
  /** Present when status is 'failed': one line. */
  error: string | null;
}

/**
 * Everything a study's analysis and report read. The run store produces it
 * (StudyStore.data()); tests build one by hand.
 */
export interface StudyData {
  /** The study spec (JSON value) as given; null when unknown (several specs, merged stores). */
  spec: unknown;
  records: StudyCellRecord[];
}
