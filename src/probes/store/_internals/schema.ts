/**
 * The run store's file format: where the file lives, the connection settings,
 * the tables (schema version 2) and the checks made on opening.
 *
 * Versions: 1 held probe cells (cells, curves); 2 adds the data-constrained
 * study's cells (study_cells: one row per cell, its whole result, held-out
 * curve included, as JSON). A version-1 store opened for writing is upgraded
 * in place (the study table created, nothing else touched); opened readonly
 * it is read as is, with no study cells.
 *
 * Durability: WAL journal with `synchronous = NORMAL`. A commit appends to the
 * WAL through the OS, so a killed process (crash, Ctrl-C, SIGKILL) never loses
 * a committed transaction and never leaves a partial one; only a power loss or
 * OS crash can roll back the last few commits, never corrupt the file. That is
 * the right trade here: a lost 'done' is recomputed (a cell is a pure function
 * of its config), while FULL would fsync on every cell and every status change.
 *
 * Integrity is also enforced by the schema itself, so no writer can store a
 * half-state: STRICT tables reject mistyped values, a 'done' row must carry its
 * metrics and curve length, curve values are NOT NULL (a NaN binds as NULL and
 * is refused, aborting the transaction that wrote it), and curve rows need
 * their cell (foreign key).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The file name inside a probe's output directory. */
export const RUN_STORE_FILE = 'runs.sqlite';
/** The schema this code writes; a store with a larger version is refused. */
export const SCHEMA_VERSION = 2;

/** A store that cannot be opened or used as asked; the message is one line naming the file and the fix. */
export class RunStoreError extends Error {
  override readonly name = 'RunStoreError';
}

/** `DIR` → `DIR/runs.sqlite`; a path ending in `.sqlite` is taken as the file itself. */
export function storeFile(path: string): string {
  return path.endsWith('.sqlite') ? path : join(path, RUN_STORE_FILE);
}

/** Schema 2: the study's cells (StudyStore). The indexed columns are the study's grid axes. */
const STUDY_DDL = `
CREATE TABLE study_cells (
  id            TEXT PRIMARY KEY,
  config        TEXT NOT NULL,
  corpus        TEXT NOT NULL,
  model         TEXT NOT NULL,
  unique_tokens INTEGER NOT NULL,
  epochs        INTEGER NOT NULL,
  layers        INTEGER NOT NULL,
  d_model       INTEGER NOT NULL,
  seed          INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
  attempts      INTEGER NOT NULL DEFAULT 0,
  started_at    TEXT,
  finished_at   TEXT,
  backend       TEXT,
  versions      TEXT,
  result        TEXT,
  error         TEXT,
  CHECK (status <> 'done' OR result IS NOT NULL)
) STRICT;
CREATE INDEX study_cells_status ON study_cells (status);
CREATE INDEX study_cells_grid ON study_cells (corpus, model, unique_tokens, epochs, layers, d_model, seed);
`;

const DDL = `
CREATE TABLE schema_version (version INTEGER NOT NULL) STRICT;
CREATE TABLE probe (
  spec_hash  TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  spec       TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE cells (
  id           TEXT PRIMARY KEY,
  config       TEXT NOT NULL,
  task         TEXT NOT NULL,
  task_group   TEXT,
  depth        INTEGER NOT NULL,
  model        TEXT NOT NULL,
  layers       INTEGER NOT NULL,
  d_model      INTEGER NOT NULL,
  seed         INTEGER NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  started_at   TEXT,
  finished_at  TEXT,
  backend      TEXT,
  versions     TEXT,
  metrics      TEXT,
  curve_points INTEGER,
  error        TEXT,
  CHECK (status <> 'done' OR (metrics IS NOT NULL AND curve_points IS NOT NULL))
) STRICT;
CREATE INDEX cells_status ON cells (status);
CREATE INDEX cells_grid ON cells (task, depth, model, layers, d_model, seed);
CREATE TABLE curves (
  cell_id   TEXT NOT NULL REFERENCES cells (id) ON DELETE CASCADE,
  step      INTEGER NOT NULL,
  loss      REAL NOT NULL,
  grad_norm REAL NOT NULL,
  lr        REAL NOT NULL,
  tokens    INTEGER NOT NULL,
  metric    REAL,
  PRIMARY KEY (cell_id, step)
) STRICT, WITHOUT ROWID;
${STUDY_DDL}`;

/**
 * Opens (creating when allowed) the store file and checks its schema. In
 * readonly mode a missing file is an error rather than an empty store, so a
 * mistyped directory is noticed instead of reported as "no cells".
 */
export function openDatabase(path: string, readonly: boolean): { db: Database.Database; file: string } {
  const file = storeFile(path);
  if (!existsSync(file)) {
    if (readonly) throw new RunStoreError(`${file}: no run store there; check the path, or run \`depthlab probe SPEC --out ${dirname(file)}\` first`);
    mkdirSync(dirname(file), { recursive: true });
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly });
  } catch (error) {
    throw new RunStoreError(`${file}: cannot open (${oneLine(error)}); check the path and its permissions`);
  }
  try {
    // Another process (a merge, a second worker) may hold the write lock briefly; wait instead of failing.
    db.pragma('busy_timeout = 10000');
    db.pragma('foreign_keys = ON');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    checkSchema(db, file, readonly);
  } catch (error) {
    db.close();
    if (error instanceof RunStoreError) throw error;
    // e.g. SQLITE_NOTADB: a file that is not SQLite at all.
    throw new RunStoreError(`${file}: not a usable run store (${oneLine(error)}); point at a depthlab probe's --out directory`);
  }
  return { db, file };
}

/** Creates the tables in an empty file, accepts version ≤ SCHEMA_VERSION, refuses anything else. */
function checkSchema(db: Database.Database, file: string, readonly: boolean): void {
  const tables = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table'`).pluck().all() as string[]);
  if (tables.length === 0) {
    if (readonly) throw new RunStoreError(`${file}: empty, not a run store; run \`depthlab probe SPEC --out DIR\` to create one`);
    // IMMEDIATE: two processes creating the same new store cannot both run the DDL.
    db.transaction(() => {
      const again = db.prepare(`SELECT count(*) FROM sqlite_schema WHERE type = 'table'`).pluck().get() as number;
      if (again > 0) return;
      db.exec(DDL);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(SCHEMA_VERSION);
    }).immediate();
    return;
  }
  if (!tables.includes('schema_version')) {
    throw new RunStoreError(`${file}: an SQLite file but not a depthlab run store (no schema_version table); use another --out directory`);
  }
  const version = db.prepare('SELECT max(version) FROM schema_version').pluck().get() as number | null;
  if (version === null || version > SCHEMA_VERSION) {
    throw new RunStoreError(
      `${file}: run store schema version ${version ?? 'unknown'} is newer than this depthlab reads (${SCHEMA_VERSION}); upgrade depthlab, or write to a new --out directory`,
    );
  }
  if (version < 2 && !readonly) {
    // 1 → 2: add the study table (IMMEDIATE, rechecked inside, so two openers cannot both migrate).
    db.transaction(() => {
      const current = db.prepare('SELECT max(version) FROM schema_version').pluck().get() as number;
      if (current >= 2) return;
      db.exec(STUDY_DDL);
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(2);
    }).immediate();
  }
}

/** Whether the store has the study table (schema ≥ 2; a version-1 store opened readonly has none). */
export function hasStudyTable(db: Database.Database): boolean {
  return db.prepare(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'study_cells'`).pluck().get() === 1;
}

export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}

/**
 * JSON that keeps non-finite numbers: JSON.stringify would turn a diverged
 * cell's NaN or Infinity loss into null. They are written as the strings
 * "NaN", "Infinity", "-Infinity" and read back as numbers (no metric is a
 * string with one of those exact values).
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) =>
    v === 'NaN' ? Number.NaN : v === 'Infinity' ? Number.POSITIVE_INFINITY : v === '-Infinity' ? Number.NEGATIVE_INFINITY : v,
  ) as T;
}
