/**
 * The status transitions every cell table of the run store shares (cells for
 * probes, study_cells for studies): recover, claim, fail, count, and the
 * existence check. Each is one statement, so one transaction; a 'done' cell
 * is never changed (the WHERE clauses leave it alone).
 */
import type Database from 'better-sqlite3';
import type { CellStatus } from '../CellRecord.js';
import { oneLine, RunStoreError } from './schema.js';

export type CellTable = 'cells' | 'study_cells';
type Sql = (text: string) => Database.Statement;

const MAX_ERROR_CHARS = 2000;

/** 'running' → 'pending' for cells an interrupted run left; returns how many. */
export function recoverInterrupted(sql: Sql, table: CellTable): number {
  return sql(`UPDATE ${table} SET status = 'pending' WHERE status = 'running'`).run().changes;
}

/** Claims a cell: 'running', attempts + 1, started now. False (nothing changed) if it is done; throws for an unknown id. */
export function markRunning(sql: Sql, table: CellTable, file: string, id: string): boolean {
  const changes = sql(`UPDATE ${table} SET status = 'running', attempts = attempts + 1, started_at = ?,
    finished_at = NULL, error = NULL WHERE id = ? AND status <> 'done'`).run(new Date().toISOString(), id).changes;
  if (changes === 0) requireCell(sql, table, file, id);
  return changes > 0;
}

/** Marks a cell failed with its error (kept to one line). False if it is done; throws for an unknown id. */
export function fail(sql: Sql, table: CellTable, file: string, id: string, error: string): boolean {
  const line = (oneLine(error) || 'unknown error').slice(0, MAX_ERROR_CHARS);
  const changes = sql(`UPDATE ${table} SET status = 'failed', finished_at = ?, error = ? WHERE id = ? AND status <> 'done'`)
    .run(new Date().toISOString(), line, id).changes;
  if (changes === 0) requireCell(sql, table, file, id);
  return changes > 0;
}

export function statusCounts(sql: Sql, table: CellTable): Record<CellStatus, number> & { total: number } {
  const counts = { pending: 0, running: 0, done: 0, failed: 0, total: 0 };
  for (const { status, n } of sql(`SELECT status, count(*) AS n FROM ${table} GROUP BY status`).all() as { status: CellStatus; n: number }[]) {
    counts[status] = n;
    counts.total += n;
  }
  return counts;
}

/** The cell's status; a one-line RunStoreError naming the fix when there is no such cell. */
export function requireCell(sql: Sql, table: CellTable, file: string, id: string): { status: CellStatus } {
  const row = sql(`SELECT status FROM ${table} WHERE id = ?`).get(id) as { status: CellStatus } | undefined;
  if (row === undefined) throw new RunStoreError(`${file}: no ${table === 'cells' ? 'cell' : 'study cell'} ${id}; add it with addCells first`);
  return row;
}
