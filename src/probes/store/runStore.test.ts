/**
 * The run store: schema and reopen, idempotent adds, atomic finish, resume
 * after a killed worker (in process, and a real SIGKILL of a writing child
 * process), merge, and the one-line errors.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cellConfig, cellHash, type CellConfig } from '../cell/CellConfig.js';
import type { CellResult } from '../cell/runCell.js';
import type { StepRecord } from '../../models/training/index.js';
import { mergeStores, RUN_STORE_FILE, RunStore, RunStoreError } from './index.js';

const VERSIONS = { depthlab: '0.1.0', tfjs: '4.22.0', node: process.version };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'depthlab-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cell(depth: number, seed = 0): CellConfig {
  return cellConfig({ task: 'parity', depth, model: 'ar', seed, steps: 10 });
}

function curveOf(points: number, scale = 1): StepRecord[] {
  return Array.from({ length: points }, (_, i) => ({
    step: i + 1, loss: scale / (i + 1), gradNorm: 0.5, lr: 1e-3, tokens: 64 * (i + 1), ...(i % 5 === 4 && { metric: 0.25 }),
  }));
}

/** A fake wall-clock figure that differs between calls (timing fields never compare equal). */
let wallClock = 0;

function result(config: CellConfig, accuracy = 0.75, curve = curveOf(10)): CellResult {
  return {
    id: cellHash(config), config, backend: 'wasm', backend_reason: 'test',
    task: { id: config.task, class: 'test', depth_meaning: 'bits', parameters: {} },
    params: 1000, vocab_size: 8, sequence_length: 16, n_train: 100, n_val: 0, n_test: 20,
    status: 'completed', steps: curve.length, train_tokens: 640, loss_first: 1, loss_last: Number.NaN,
    token_accuracy: accuracy, answer_accuracy: accuracy, baseline_answer_accuracy: 0.5, details: {}, generalization: [],
    train_tokens_per_s: 1000 + (wallClock += 37), train_seconds: 1, eval_seconds: 0.1, curve,
  };
}

function expectOneLine(fn: () => unknown, ...parts: string[]): void {
  let message = '';
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RunStoreError);
    message = (error as Error).message;
  }
  expect(message).not.toBe('');
  expect(message).not.toContain('\n');
  for (const part of parts) expect(message).toContain(part);
}

describe('RunStore', () => {
  it('creates DIR/runs.sqlite with WAL and its schema, and reopens it with the data', () => {
    const out = join(dir, 'nested', 'out');
    const store = RunStore.open(out);
    expect(store.file).toBe(join(out, RUN_STORE_FILE));
    store.recordSpec({ name: 'p', grid: [1, 2] }, 'p');
    store.recordSpec({ grid: [1, 2], name: 'p' }, 'p'); // same spec, keys reordered
    expect(store.addCells([cell(1), cell(2)])).toBe(2);
    store.close();

    const raw = new Database(join(out, RUN_STORE_FILE));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = raw.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`).pluck().all();
    expect(tables).toEqual(['cells', 'curves', 'probe', 'schema_version', 'study_cells']);
    raw.close();

    const again = RunStore.open(out);
    expect(again.specs()).toHaveLength(1);
    expect(again.data().spec).toEqual({ name: 'p', grid: [1, 2] });
    expect(again.counts()).toEqual({ pending: 2, running: 0, done: 0, failed: 0, total: 2 });
    expect(again.verify()).toEqual([]);
    again.close();
  });

  it('adds cells idempotently and lists them by filter in insertion order', () => {
    const store = RunStore.open(dir);
    const cells = [cell(3), cell(1), cell(2, 7)];
    expect(store.addCells(cells)).toBe(3);
    expect(store.addCells([...cells, cell(4)])).toBe(1);
    expect(store.records().map((r) => r.config.depth)).toEqual([3, 1, 2, 4]);
    expect(store.records({ depth: 2 })[0]?.config.seed).toBe(7);
    expect(store.records({ status: 'done' })).toEqual([]);
    expect(store.claimable({ ids: [cellHash(cell(1))] })).toEqual([cell(1)]);
    store.close();
  });

  it('finish writes status, metrics (non-finite kept), versions and the curve together; a done cell stays as first written', () => {
    const store = RunStore.open(dir);
    const c = cell(1);
    const id = cellHash(c);
    store.addCells([c]);
    expect(store.markRunning(id)).toBe(true);
    expect(store.finish(id, result(c, 0.75), VERSIONS)).toBe(true);
    const record = store.record(id)!;
    expect(record.status).toBe('done');
    expect(record.attempts).toBe(1);
    expect(record.metrics?.answer_accuracy).toBe(0.75);
    expect(record.metrics?.loss_last).toBeNaN();
    expect(record.versions).toEqual(VERSIONS);
    expect(store.curve(id)).toEqual(curveOf(10));

    expect(store.finish(id, result(c, 0.1, curveOf(3)), VERSIONS)).toBe(false);
    expect(store.fail(id, 'late')).toBe(false);
    expect(store.markRunning(id)).toBe(false);
    expect(store.record(id)).toEqual(record);
    expect(store.curve(id)).toHaveLength(10);
    expect(() => store.finish(cellHash(cell(2)), result(c), VERSIONS)).toThrow(RunStoreError);
    store.close();
  });

  it('a curve value refused midway rolls back the whole finish', () => {
    const store = RunStore.open(dir);
    const c = cell(1);
    const id = cellHash(c);
    store.addCells([c]);
    store.markRunning(id);
    const before = store.record(id);
    const bad = curveOf(10);
    bad[6] = { ...bad[6]!, loss: Number.NaN }; // binds as NULL: NOT NULL fails on the 7th insert
    expect(() => store.finish(id, result(c, 0.9, bad), VERSIONS)).toThrow(/NOT NULL/);
    expect(store.record(id)).toEqual(before);
    expect(store.curve(id)).toEqual([]);
    expect(store.counts().running).toBe(1);
    expect(store.verify()).toEqual([]);
    store.close();
  });

  it('resumes after a killed worker: running cells run again, done cells are never re-listed', () => {
    const first = RunStore.open(dir);
    const [a, b, c] = [cell(1), cell(2), cell(3)];
    first.addCells([a, b, c]);
    first.markRunning(cellHash(a));
    first.finish(cellHash(a), result(a), VERSIONS);
    first.markRunning(cellHash(b)); // the worker dies here, b in flight
    first.markRunning(cellHash(c));
    first.fail(cellHash(c), 'out of memory\n  at somewhere');
    first.close();

    const second = RunStore.open(dir);
    expect(second.addCells([a, b, c])).toBe(0); // the same spec again
    expect(second.recoverInterrupted()).toBe(1);
    expect(second.claimable()).toEqual([b]);
    expect(second.claimable({ retryFailed: true })).toEqual([b, c]);
    expect(second.record(cellHash(c))?.error).toBe('out of memory');
    second.markRunning(cellHash(b));
    expect(second.finish(cellHash(b), result(b), VERSIONS)).toBe(true);
    const rb = second.record(cellHash(b))!;
    expect(rb.attempts).toBe(2);
    expect(second.claimable()).toEqual([]);
    expect(second.counts()).toEqual({ pending: 0, running: 0, done: 2, failed: 1, total: 3 });
    const data = second.data();
    second.close();
    expect(data.records).toHaveLength(3);
    expect(data.curve(cellHash(a))).toEqual(curveOf(10)); // loaded: usable after close
    expect(data.curve(cellHash(c))).toEqual([]);
  });

  // A real writer process killed with SIGKILL (no handler, no cleanup) at a
  // random moment: while claiming and finishing cells, or while rewriting
  // curves (delete-then-insert inside one transaction).
  it.each([
    { phase: 'finishing cells', cells: 300, ready: (lines: string[]) => lines.length > 8 },
    { phase: 'rewriting curves', cells: 20, ready: (lines: string[]) => lines.includes('rewriting') },
  ])('survives SIGKILL of a writer while $phase: integrity ok, every done cell has its whole curve', async ({ cells: n, ready }) => {
    const points = 2000;
    const cells = Array.from({ length: n }, (_, i) => cell(i + 1));
    const setup = RunStore.open(dir);
    setup.addCells(cells);
    setup.close();

    const fixture = fileURLToPath(new URL('./fixtures/killWriter.mjs', import.meta.url));
    const child = spawn(process.execPath, [fixture, join(dir, RUN_STORE_FILE), String(points)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (ready(out.split('\n'))) resolve();
      });
      child.on('exit', () => reject(new Error(`writer exited before the kill: ${err}`)));
    });
    await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const committed = out.split('\n').filter((l) => l.startsWith('done ')).map((l) => l.slice(5));

    const store = RunStore.open(dir);
    expect(store.verify()).toEqual([]);
    for (const id of committed) expect(store.record(id)?.status).toBe('done'); // printed after commit: durable
    expect(store.recoverInterrupted()).toBeLessThanOrEqual(1); // the writer holds one cell at a time
    const counts = store.counts();
    expect(counts.done).toBeGreaterThanOrEqual(committed.length);
    expect(counts.done + counts.pending).toBe(n);
    for (const r of store.records({ status: 'done' })) {
      const curve = store.curve(r.id);
      expect(curve).toHaveLength(points);
      // One rewrite's values throughout: never half of one and half of the next.
      const scale = curve[0]!.loss;
      expect(curve.every((s, i) => Math.abs(s.loss - 1 / (i + 1 / scale)) < 1e-12)).toBe(true);
    }
    expect(store.claimable()).toHaveLength(counts.pending);
    store.close();
  });
});

describe('mergeStores', () => {
  it('merges overlapping stores to their union: done wins, no duplicates, conflicts counted', () => {
    const [c1, c2, c3, c4] = [cell(1), cell(2), cell(3), cell(4)];
    const a = RunStore.open(join(dir, 'a'));
    a.recordSpec({ spec: 'a' }, 'a');
    a.addCells([c1, c2, c3]);
    a.finish(cellHash(c1), result(c1, 0.5), VERSIONS);
    a.markRunning(cellHash(c3));
    a.close();
    const b = RunStore.open(join(dir, 'b'));
    b.recordSpec({ spec: 'b' }, 'b');
    b.addCells([c1, c2, c3, c4]);
    b.finish(cellHash(c1), result(c1, 0.9), VERSIONS); // differs: a conflict
    b.finish(cellHash(c2), result(c2, 0.6, curveOf(4)), VERSIONS);
    b.finish(cellHash(c4), result(c4), VERSIONS);
    b.close();

    const target = join(dir, 'merged');
    const counts = mergeStores(target, [join(dir, 'a'), join(dir, 'b'), join(dir, 'a', RUN_STORE_FILE), target]);
    expect(counts).toMatchObject({ merged: 2, added: 4, replaced: 1, kept: 2, conflicts: [cellHash(c1)], specs: 2 });
    expect(counts.skipped).toHaveLength(2);

    const merged = RunStore.open(target, { readonly: true });
    expect(merged.records().map((r) => [r.config.depth, r.status])).toEqual([[1, 'done'], [2, 'done'], [3, 'pending'], [4, 'done']]);
    expect(merged.record(cellHash(c1))?.metrics?.answer_accuracy).toBe(0.5);
    expect(merged.curve(cellHash(c2))).toEqual(curveOf(4));
    expect(merged.data().spec).toBeNull(); // two specs
    expect(merged.verify()).toEqual([]);
    merged.close();

    const again = mergeStores(target, [join(dir, 'a'), join(dir, 'b')]);
    expect(again).toMatchObject({ added: 0, replaced: 0, specs: 0 });
    const check = RunStore.open(target);
    expect(check.counts().total).toBe(4);
    expect(check.curve(cellHash(c1))).toHaveLength(10);
    check.close();
  });

  it('refuses a missing source in one line and writes nothing', () => {
    const a = RunStore.open(join(dir, 'a'));
    a.addCells([cell(1)]);
    a.close();
    const target = join(dir, 'merged');
    expectOneLine(() => mergeStores(target, [join(dir, 'a'), join(dir, 'missing')]), join(dir, 'missing'));
    expect(existsSync(target)).toBe(false);
  });
});

describe('one-line errors', () => {
  it('readonly open of a missing store names the path and creates nothing', () => {
    const missing = join(dir, 'nope');
    expectOneLine(() => RunStore.open(missing, { readonly: true }), join(missing, RUN_STORE_FILE), 'depthlab probe');
    expect(existsSync(missing)).toBe(false);
  });

  it('a newer schema version is refused with the fix', () => {
    RunStore.open(dir).close();
    const raw = new Database(join(dir, RUN_STORE_FILE));
    raw.prepare('UPDATE schema_version SET version = 99').run();
    raw.close();
    expectOneLine(() => RunStore.open(dir), join(dir, RUN_STORE_FILE), 'version 99', 'upgrade depthlab');
    expectOneLine(() => RunStore.open(dir, { readonly: true }), 'version 99');
  });

  it('an SQLite file of something else, or not SQLite at all, is refused', () => {
    const other = new Database(join(dir, 'other.sqlite'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    expectOneLine(() => RunStore.open(join(dir, 'other.sqlite')), 'not a depthlab run store');
    writeFileSync(join(dir, 'text.sqlite'), 'hello, this is not a database file at all, certainly not one of ours');
    expectOneLine(() => RunStore.open(join(dir, 'text.sqlite')), join(dir, 'text.sqlite'));
  });
});
