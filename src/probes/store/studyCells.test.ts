/**
 * The study's cells in the run store (schema 2): the life of a cell, a done
 * cell is final, results (non-finite values included) round-trip, recovery
 * of interrupted cells, the upgrade of a version-1 store, and merge.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { studyCellConfig, studyCellHash, type StudyCellConfig } from '../study/cell/StudyCellConfig.js';
import type { StudyCellResult } from '../study/cell/runStudyCell.js';
import { mergeStores, RUN_STORE_FILE, RunStore, RunStoreError } from './index.js';

const VERSIONS = { depthlab: '0.1.0', tfjs: '4.22.0', node: process.version };
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'depthlab-study-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function cell(epochs: number, model: 'ar' | 'diffusion' = 'ar'): StudyCellConfig {
  return studyCellConfig({ model, uniqueTokens: 2000, epochs });
}

function result(config: StudyCellConfig, bits = 4.5, seconds = 1): StudyCellResult {
  const curve = [
    { step: 1, epoch: 0.5, tokens: 1000, flops: 6e6, bits_per_token: 6, standard_error: 0, train_bits_per_token: 6, train_loss_bits: 6.2 },
    { step: 2, epoch: config.epochs, tokens: 2000, flops: 1.2e7, bits_per_token: bits, standard_error: 0, train_bits_per_token: 4, train_loss_bits: Number.NaN },
  ];
  return {
    id: studyCellHash(config), config, backend: 'wasm', backend_reason: 'test', params: 1000, vocab_size: 80,
    unique_tokens: config.uniqueTokens, epochs: config.epochs, train_windows: 31, held_out_windows: 300,
    tokens_per_epoch: 1984, held_out_tokens_scored: 19200, status: 'completed', steps: 2, train_tokens: 2000,
    flops: 1.2e7, flops_estimate: '6ND', train_loss_first_bits: 6.2, train_loss_last_bits: 4, curve,
    best_bits_per_token: bits, best_epoch: config.epochs, best_tokens: 2000, best_flops: 1.2e7,
    train_tokens_per_s: 1000 / seconds, train_seconds: seconds, eval_seconds: 0.1, data_seconds: 0.1,
  };
}

describe('StudyCells', () => {
  it('pending → running → done; a done cell is final and its result round-trips (NaN kept)', () => {
    const store = RunStore.open(dir);
    const c = cell(4);
    const id = studyCellHash(c);
    expect(store.study.addCells([c, c, cell(8)])).toBe(2);
    expect(store.study.counts()).toMatchObject({ pending: 2, total: 2 });
    expect(store.study.markRunning(id)).toBe(true);
    expect(store.study.record(id)).toMatchObject({ status: 'running', attempts: 1 });
    expect(store.study.finish(id, result(c), VERSIONS)).toBe(true);
    expect(store.study.finish(id, result(c, 9), VERSIONS)).toBe(false);
    expect(store.study.fail(id, 'late')).toBe(false);
    expect(store.study.markRunning(id)).toBe(false);
    store.close();
    const again = RunStore.open(dir, { readonly: true });
    const record = again.study.record(id)!;
    expect(record.status).toBe('done');
    expect(record.result!.best_bits_per_token).toBe(4.5);
    expect(record.result!.curve[1]!.train_loss_bits).toBeNaN();
    expect(record.versions).toEqual(VERSIONS);
    expect(again.studyData().records.map((r) => r.status)).toEqual(['done', 'pending']);
    again.close();
  });

  it('refuses the result of another cell and unknown ids, in one line', () => {
    const store = RunStore.open(dir);
    store.study.addCells([cell(4)]);
    expect(() => store.study.finish(studyCellHash(cell(4)), result(cell(8)), VERSIONS)).toThrow(RunStoreError);
    expect(() => store.study.markRunning('0123456789abcdef')).toThrow(/no study cell 0123456789abcdef; add it with addCells first/);
    store.close();
  });

  it('failures keep one line; running cells of a dead run are recovered as pending', () => {
    const store = RunStore.open(dir);
    const [a, b] = [cell(4), cell(8)];
    store.study.addCells([a, b]);
    store.study.markRunning(studyCellHash(a));
    store.study.markRunning(studyCellHash(b));
    store.study.fail(studyCellHash(b), 'out of memory\n  at somewhere');
    expect(store.study.recoverInterrupted()).toBe(1);
    expect(store.study.record(studyCellHash(a))).toMatchObject({ status: 'pending', attempts: 1 });
    expect(store.study.record(studyCellHash(b))).toMatchObject({ status: 'failed', error: 'out of memory' });
    store.close();
  });

  it('a version-1 store reads with no study cells, and is upgraded in place when opened for writing', () => {
    const probe = RunStore.open(dir);
    probe.close();
    const raw = new Database(join(dir, RUN_STORE_FILE));
    raw.exec('DROP TABLE study_cells; DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (1);');
    raw.close();
    const old = RunStore.open(dir, { readonly: true });
    expect(old.study.records()).toEqual([]);
    expect(old.study.counts().total).toBe(0);
    old.close();
    const upgraded = RunStore.open(dir);
    expect(upgraded.study.addCells([cell(4)])).toBe(1);
    upgraded.close();
    const check = new Database(join(dir, RUN_STORE_FILE), { readonly: true });
    expect(check.prepare('SELECT max(version) FROM schema_version').pluck().get()).toBe(2);
    check.close();
  });

  it('merge: a done copy wins, a second done copy with another result is a conflict, running becomes pending', () => {
    const [a, b, c] = [cell(4), cell(8), cell(16, 'diffusion')];
    const [ida, idb, idc] = [a, b, c].map(studyCellHash) as [string, string, string];
    const target = RunStore.open(join(dir, 't'));
    target.study.addCells([a, b]);
    target.study.markRunning(ida);
    target.study.finish(ida, result(a, 4.5, 1), VERSIONS);
    target.close();
    const source = RunStore.open(join(dir, 's'));
    source.study.addCells([a, b, c]);
    for (const id of [ida, idb, idc]) source.study.markRunning(id);
    source.study.finish(ida, result(a, 4.6, 2), VERSIONS); // differs beyond timings: conflict, target's kept
    source.study.finish(idb, result(b, 4.2, 3), VERSIONS);
    source.close();
    const counts = mergeStores(join(dir, 't'), [join(dir, 's')]);
    expect(counts).toMatchObject({ added: 1, replaced: 1, kept: 1, conflicts: [ida] });
    const merged = RunStore.open(join(dir, 't'), { readonly: true });
    expect(merged.study.record(ida)!.result!.best_bits_per_token).toBe(4.5);
    expect(merged.study.record(idb)!.status).toBe('done');
    expect(merged.study.record(idc)!.status).toBe('pending');
    merged.close();
    // Same results apart from wall-clock timings: no conflict.
    const twin = RunStore.open(join(dir, 'twin'));
    twin.study.addCells([a]);
    twin.study.finish(ida, result(a, 4.5, 7), VERSIONS);
    twin.close();
    expect(mergeStores(join(dir, 't'), [join(dir, 'twin')]).conflicts).toEqual([]);
  });
});
