/**
 * StudyCells — the data-constrained study's cells in a run store
 * (`RunStore.study`; table study_cells of schema 2, _internals/schema.ts).
 * One row per cell keyed by studyCellHash(config); a done cell keeps its
 * whole StudyCellResult (held-out curve included) as one JSON value, so a
 * result is written, and read, all at once.
 *
 * The life of a cell and every guarantee are those of RunStore's probe cells
 * (StudyCellRecord.ts): each method is one transaction; a 'done' cell is
 * final (later finish/fail/markRunning are ignored and return false);
 * recoverInterrupted() turns cells a dead run left 'running' back to
 * 'pending'. It shares RunStore's connection, so a merge writes probe and
 * study cells of one source in one transaction.
 */
import type Database from 'better-sqlite3';
import { canonicalJson } from '../cell/CellConfig.js';
import { studyCellHash, type StudyCellConfig } from '../study/cell/StudyCellConfig.js';
import type { StudyCellResult } from '../study/cell/runStudyCell.js';
import type { CellStatus, Versions } from './CellRecord.js';
import type { StatusCounts } from './RunStore.js';
import type { StudyCellRecord } from './StudyCellRecord.js';
import * as status from './_internals/cellStatus.js';
import { fromJson, hasStudyTable, RunStoreError, toJson } from './_internals/schema.js';

const COLUMNS = 'id, config, status, attempts, started_at, finished_at, versions, result, error';

interface StudyRow {
  id: string;
  config: string;
  status: CellStatus;
  attempts: number;
  started_at: string | null;
  finished_at: string | null;
  versions: string | null;
  result: string | null;
  error: string | null;
}

export class StudyCells {
  /** False for a version-1 store opened readonly: it has no study cells, and writing is refused anyway. */
  private readonly present: boolean;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly sql: (text: string) => Database.Statement,
  ) {
    this.present = hasStudyTable(db);
  }

  /** Adds cells as 'pending'; stored ones (any status) are left as they are. Returns how many were new. */
  addCells(configs: readonly StudyCellConfig[]): number {
    const insert = this.sql(`INSERT OR IGNORE INTO study_cells (id, config, corpus, model, unique_tokens, epochs, layers, d_model, seed, status)
      VALUES (@id, @config, @corpus, @model, @unique_tokens, @epochs, @layers, @d_model, @seed, 'pending')`);
    return this.db.transaction(() => configs.reduce((added, c) => added + insert.run(columns(c)).changes, 0)).immediate();
  }

  /** 'running' → 'pending' for cells an interrupted run left; returns how many. */
  recoverInterrupted(): number {
    return status.recoverInterrupted(this.sql, 'study_cells');
  }

  /** Claims a cell: 'running', attempts + 1, started now. False if it is already done. */
  markRunning(id: string): boolean {
    return status.markRunning(this.sql, 'study_cells', this.file, id);
  }

  /** Stores a finished cell's result, backend and versions; false (nothing changed) if it is already done. */
  finish(id: string, result: StudyCellResult, versions: Versions): boolean {
    if (result.id !== id || studyCellHash(result.config) !== id) {
      throw new RunStoreError(`${this.file}: finish(${id}) was given the result of study cell ${result.id}; pass the id of the cell that ran`);
    }
    return this.db.transaction(() => {
      if (this.requireCell(id).status === 'done') return false;
      this.sql(`UPDATE study_cells SET status = 'done', attempts = max(attempts, 1), finished_at = ?, backend = ?, versions = ?,
        result = ?, error = NULL WHERE id = ?`).run(now(), result.backend, JSON.stringify(versions), toJson(result), id);
      return true;
    }).immediate();
  }

  /** Marks a cell failed with its error (one line). False if it is already done. */
  fail(id: string, error: string): boolean {
    return status.fail(this.sql, 'study_cells', this.file, id, error);
  }

  record(id: string): StudyCellRecord | undefined {
    if (!this.present) return undefined;
    const row = this.sql(`SELECT ${COLUMNS} FROM study_cells WHERE id = ?`).get(id) as StudyRow | undefined;
    return row && toRecord(row);
  }

  /** Every study cell in the order added, optionally only those of some statuses. */
  records(status?: readonly CellStatus[]): StudyCellRecord[] {
    if (!this.present) return [];
    const rows = (this.sql(`SELECT ${COLUMNS} FROM study_cells ORDER BY rowid`).all() as StudyRow[]).map(toRecord);
    return status === undefined ? rows : rows.filter((r) => status.includes(r.status));
  }

  counts(): StatusCounts {
    return this.present ? status.statusCounts(this.sql, 'study_cells') : { pending: 0, running: 0, done: 0, failed: 0, total: 0 };
  }

  /**
   * Writes a record as given, replacing a stored cell of that id (merge and
   * import). Runs inside the caller's transaction when there is one.
   */
  put(record: StudyCellRecord): void {
    if (studyCellHash(record.config) !== record.id) throw new RunStoreError(`${this.file}: study record ${record.id} does not match its config's hash`);
    this.sql(`INSERT INTO study_cells (id, config, corpus, model, unique_tokens, epochs, layers, d_model, seed, status, attempts,
        started_at, finished_at, backend, versions, result, error)
      VALUES (@id, @config, @corpus, @model, @unique_tokens, @epochs, @layers, @d_model, @seed, @status, @attempts,
        @started_at, @finished_at, @backend, @versions, @result, @error)
      ON CONFLICT (id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts, started_at = excluded.started_at,
        finished_at = excluded.finished_at, backend = excluded.backend, versions = excluded.versions,
        result = excluded.result, error = excluded.error`).run({
      ...columns(record.config),
      status: record.status,
      attempts: record.attempts,
      started_at: record.startedAt,
      finished_at: record.finishedAt,
      backend: record.result?.backend ?? null,
      versions: record.versions && JSON.stringify(record.versions),
      result: record.result && toJson(record.result),
      error: record.error,
    });
  }

  private requireCell(id: string): { status: CellStatus } {
    if (!this.present) throw new RunStoreError(`${this.file}: no study cell ${id}; add it with addCells first`);
    return status.requireCell(this.sql, 'study_cells', this.file, id);
  }
}

function columns(config: StudyCellConfig): Record<string, string | number> {
  return {
    id: studyCellHash(config),
    config: canonicalJson(config),
    corpus: config.corpus,
    model: config.model,
    unique_tokens: config.uniqueTokens,
    epochs: config.epochs,
    layers: config.layers,
    d_model: config.dModel,
    seed: config.seed,
  };
}

function toRecord(row: StudyRow): StudyCellRecord {
  return {
    id: row.id,
    config: JSON.parse(row.config) as StudyCellConfig,
    status: row.status,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    result: row.result === null ? null : fromJson<StudyCellResult>(row.result),
    versions: row.versions === null ? null : (JSON.parse(row.versions) as Versions),
    error: row.error,
  };
}

function now(): string {
  return new Date().toISOString();
}
