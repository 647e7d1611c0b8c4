/**
 * RunStore — a probe's run store, `DIR/runs.sqlite` (better-sqlite3, WAL): the
 * specs run into it, one row per cell (keyed by cellHash(config)) with its
 * status, attempts, timings, backend, versions and final metrics, and every
 * finished cell's learning curve. File format and durability: _internals/schema.ts.
 *
 * Life of a cell: addCells → 'pending'; markRunning → 'running' (attempts + 1);
 * then finish → 'done' or fail → 'failed'. A probe starting on an existing
 * store first calls recoverInterrupted(): cells still 'running' were in flight
 * when the last run died, and go back to 'pending'. So a crash loses at most
 * the cells in flight.
 *
 * Atomicity: each method is one SQLite transaction. finish() writes the
 * metrics, the status and the whole curve (delete-then-insert) together, so a
 * crash or a bad value leaves either the complete result or none of it. A
 * 'done' cell is final: later finish/fail/markRunning calls for it are ignored
 * and return false (the first result stands; a cell is a pure function of its
 * config, so a second one could differ only in wall-clock timings).
 *
 * Synchronous throughout (better-sqlite3 is); one connection per RunStore.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalJson, cellHash, type CellConfig, type ModelKind } from '../cell/CellConfig.js';
import type { CellResult } from '../cell/runCell.js';
import type { StepRecord } from '../../models/training/index.js';
import type { CellRecord, CellStatus, ProbeData, Versions } from './CellRecord.js';
import { StudyCells } from './StudyCells.js';
import type { StudyData } from './StudyCellRecord.js';
import { configColumns, ROW_COLUMNS, toRecord, toStep, type CellRow, type CurveRow } from './_internals/rows.js';
import * as status from './_internals/cellStatus.js';
import { openDatabase, RunStoreError, toJson } from './_internals/schema.js';

export interface RunStoreOptions {
  /** Open an existing store for reading only; a missing store is an error. */
  readonly?: boolean;
}

/** A spec recorded in the store. */
export interface StoredSpec {
  /** SHA-256 (hex, 16 digits) of the spec's canonical JSON. */
  hash: string;
  name: string;
  spec: unknown;
  createdAt: string;
}

/** Which records to list; every field narrows (AND). */
export interface RecordFilter {
  status?: CellStatus | readonly CellStatus[];
  task?: string;
  model?: ModelKind;
  depth?: number;
  ids?: Iterable<string>;
}

export type StatusCounts = Record<CellStatus, number> & { total: number };


export class RunStore {
  private readonly statements = new Map<string, Database.Statement>();
  /** The data-constrained study's cells in this store (StudyCells.ts), on the same connection. */
  readonly study: StudyCells;

  private constructor(
    private readonly db: Database.Database,
    /** The SQLite file (DIR/runs.sqlite). */
    readonly file: string,
    readonly readonly: boolean,
  ) {
    this.study = new StudyCells(db, file, (text) => this.sql(text));
  }

  /** Opens DIR/runs.sqlite (or a path ending in .sqlite), creating DIR and the schema unless readonly. */
  static open(path: string, options: RunStoreOptions = {}): RunStore {
    const readonly = options.readonly ?? false;
    const { db, file } = openDatabase(path, readonly);
    return new RunStore(db, file, readonly);
  }

  /** Records a spec (once per distinct spec: keyed by the hash of its canonical JSON); returns that hash. */
  recordSpec(spec: unknown, name: string, createdAt: string = new Date().toISOString()): string {
    const json = canonicalJson(spec);
    const hash = createHash('sha256').update(json).digest('hex').slice(0, 16);
    this.sql('INSERT OR IGNORE INTO probe (spec_hash, name, spec, created_at) VALUES (?, ?, ?, ?)').run(hash, name, json, createdAt);
    return hash;
  }

  specs(): StoredSpec[] {
    const rows = this.sql('SELECT spec_hash, name, spec, created_at FROM probe ORDER BY created_at, spec_hash').all() as {
      spec_hash: string; name: string; spec: string; created_at: string;
    }[];
    return rows.map((r) => ({ hash: r.spec_hash, name: r.name, spec: JSON.parse(r.spec) as unknown, createdAt: r.created_at }));
  }

  /** Adds cells as 'pending'; cells already stored (any status) are left as they are. Returns how many were new. */
  addCells(configs: readonly CellConfig[]): number {
    const insert = this.sql(`INSERT OR IGNORE INTO cells (id, config, task, task_group, depth, model, layers, d_model, seed, status)
      VALUES (@id, @config, @task, @task_group, @depth, @model, @layers, @d_model, @seed, 'pending')`);
    return this.transaction(() => configs.reduce((added, config) => added + insert.run(configColumns(config)).changes, 0));
  }

  /** Turns cells left 'running' by an interrupted run back to 'pending'; call once when a probe starts. Returns how many. */
  recoverInterrupted(): number {
    return status.recoverInterrupted(this.sql.bind(this), 'cells');
  }

  /**
   * The cells to run now, in the order they were added: 'pending' ones, and
   * 'failed' ones with retryFailed. 'running' cells are not listed (they may be
   * in flight); recoverInterrupted() makes those of a dead run pending again.
   * `ids` restricts the list to one spec's cells in a store holding several.
   */
  claimable(options: { retryFailed?: boolean; ids?: Iterable<string> } = {}): CellConfig[] {
    const statuses: CellStatus[] = options.retryFailed ? ['pending', 'failed'] : ['pending'];
    return this.records({ status: statuses, ...(options.ids && { ids: options.ids }) }).map((r) => r.config);
  }

  /** Claims a cell: 'running', attempts + 1, started now. False (nothing changed) if it is already done. */
  markRunning(id: string): boolean {
    return status.markRunning(this.sql.bind(this), 'cells', this.file, id);
  }

  /**
   * Stores a finished cell: metrics, backend, versions, status 'done' and its
   * whole curve, in one transaction. Returns false and changes nothing if the
   * cell is already done. Throws (leaving the cell as it was) on an unknown id,
   * a result of another config, or a curve value SQLite refuses (e.g. NaN).
   */
  finish(id: string, result: CellResult, versions: Versions): boolean {
    const { id: resultId, config, curve, ...metrics } = result;
    if (resultId !== id || cellHash(config) !== id) {
      throw new RunStoreError(`${this.file}: finish(${id}) was given the result of cell ${resultId}; pass the id of the cell that ran`);
    }
    return this.transaction(() => {
      if (status.requireCell(this.sql.bind(this), 'cells', this.file, id).status === 'done') return false;
      this.sql(`UPDATE cells SET status = 'done', attempts = max(attempts, 1), finished_at = ?, backend = ?, versions = ?,
        metrics = ?, curve_points = ?, error = NULL WHERE id = ?`)
        .run(now(), metrics.backend, JSON.stringify(versions), toJson(metrics), curve.length, id);
      this.writeCurve(id, curve);
      return true;
    });
  }

  /** Marks a cell failed with its error (kept to one line). False if it is already done. */
  fail(id: string, error: string): boolean {
    return status.fail(this.sql.bind(this), 'cells', this.file, id, error);
  }

  record(id: string): CellRecord | undefined {
    const row = this.sql(`SELECT ${ROW_COLUMNS} FROM cells WHERE id = ?`).get(id) as CellRow | undefined;
    return row && toRecord(row);
  }

  /** Records in the order the cells were added, narrowed by the filter (indexed columns). */
  records(filter: RecordFilter = {}): CellRecord[] {
    const where: string[] = [];
    const params: (string | number)[] = [];
    if (filter.status !== undefined) {
      const statuses = typeof filter.status === 'string' ? [filter.status] : filter.status;
      where.push(`status IN (${statuses.map(() => '?').join(', ') || 'NULL'})`);
      params.push(...statuses);
    }
    for (const [column, value] of [['task', filter.task], ['model', filter.model], ['depth', filter.depth]] as const) {
      if (value !== undefined) {
        where.push(`${column} = ?`);
        params.push(value);
      }
    }
    const sql = `SELECT ${ROW_COLUMNS} FROM cells ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY rowid`;
    const rows = (this.db.prepare(sql).all(...params) as CellRow[]).map(toRecord);
    if (filter.ids === undefined) return rows;
    const wanted = new Set(filter.ids);
    return rows.filter((r) => wanted.has(r.id));
  }

  /** A cell's learning curve by step (empty unless done). */
  curve(id: string): StepRecord[] {
    return (this.sql('SELECT * FROM curves WHERE cell_id = ? ORDER BY step').all(id) as CurveRow[]).map(toStep);
  }

  counts(): StatusCounts {
    return status.statusCounts(this.sql.bind(this), 'cells');
  }

  /**
   * Everything analysis and reports read, loaded now (curves included), so
   * the result stays usable after close(). spec: the recorded spec when the
   * store holds exactly one, else null.
   */
  data(): ProbeData {
    const specs = this.specs();
    const curves = new Map<string, StepRecord[]>();
    for (const row of this.sql('SELECT * FROM curves ORDER BY cell_id, step').iterate() as IterableIterator<CurveRow>) {
      const list = curves.get(row.cell_id) ?? [];
      if (list.length === 0) curves.set(row.cell_id, list);
      list.push(toStep(row));
    }
    return { spec: specs.length === 1 ? specs[0]!.spec : null, records: this.records(), curve: (id) => curves.get(id) ?? [] };
  }

  /** What a study's analysis and report read: the study cells, and the spec when the store holds exactly one. */
  studyData(): StudyData {
    const specs = this.specs();
    return { spec: specs.length === 1 ? specs[0]!.spec : null, records: this.study.records() };
  }

  /**
   * Writes a record and its curve as given, replacing any stored cell of that
   * id (for merge and import; a probe uses addCells/markRunning/finish). Runs
   * inside the caller's transaction when there is one.
   */
  put(record: CellRecord, curve: readonly StepRecord[]): void {
    if (cellHash(record.config) !== record.id) throw new RunStoreError(`${this.file}: record ${record.id} does not match its config's hash`);
    this.transaction(() => {
      // Upsert rather than delete-and-insert: the row keeps its place in the listing order (rowid).
      this.sql(`INSERT INTO cells (id, config, task, task_group, depth, model, layers, d_model, seed, status, attempts,
          started_at, finished_at, backend, versions, metrics, curve_points, error)
        VALUES (@id, @config, @task, @task_group, @depth, @model, @layers, @d_model, @seed, @status, @attempts,
          @started_at, @finished_at, @backend, @versions, @metrics, @curve_points, @error)
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, attempts = excluded.attempts,
          started_at = excluded.started_at, finished_at = excluded.finished_at, backend = excluded.backend,
          versions = excluded.versions, metrics = excluded.metrics, curve_points = excluded.curve_points, error = excluded.error`).run({
        ...configColumns(record.config),
        status: record.status,
        attempts: record.attempts,
        started_at: record.startedAt,
        finished_at: record.finishedAt,
        backend: record.metrics?.backend ?? null,
        versions: record.versions && JSON.stringify(record.versions),
        metrics: record.metrics && toJson(record.metrics),
        curve_points: record.status === 'done' ? curve.length : null,
        error: record.error,
      });
      this.writeCurve(record.id, curve);
    });
  }

  /**
   * Runs fn in one transaction (a savepoint when nested): all of its writes
   * commit, or none. IMMEDIATE takes the write lock up front, so a
   * read-then-write (finish checks 'done' first) waits on busy_timeout for a
   * concurrent writer instead of failing with a stale snapshot.
   */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /**
   * Problems found in the file: SQLite's integrity and foreign-key checks, and
   * any done cell whose stored curve length differs from what finish recorded.
   * Empty when the store is sound.
   */
  verify(): string[] {
    const problems = (this.db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[])
      .map((r) => r.integrity_check).filter((m) => m !== 'ok');
    const orphans = this.db.pragma('foreign_key_check') as unknown[];
    if (orphans.length > 0) problems.push(`${orphans.length} curve rows without their cell`);
    const short = this.sql(`SELECT c.id, c.curve_points AS expected, (SELECT count(*) FROM curves WHERE cell_id = c.id) AS found
      FROM cells c WHERE c.status = 'done' AND c.curve_points <> (SELECT count(*) FROM curves WHERE cell_id = c.id)`)
      .all() as { id: string; expected: number; found: number }[];
    for (const s of short) problems.push(`cell ${s.id}: curve has ${s.found} of ${s.expected} steps`);
    return problems;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private writeCurve(id: string, curve: readonly StepRecord[]): void {
    this.sql('DELETE FROM curves WHERE cell_id = ?').run(id);
    const insert = this.sql('INSERT INTO curves (cell_id, step, loss, grad_norm, lr, tokens, metric) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const s of curve) insert.run(id, s.step, s.loss, s.gradNorm, s.lr, s.tokens, s.metric ?? null);
  }

  /** Prepared once per SQL text (the statements are reused for every cell and curve row). */
  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

function now(): string {
  return new Date().toISOString();
}
