/**
 * runStudy with real worker processes (the compiled dist/ worker, built by
 * `npm test`): every study cell runs once into the store (its whole result,
 * curve included), a re-run skips them, the shards of a spec partition it and
 * merge into the whole, an abort checkpoints the cells in flight and the next
 * run resumes them to the uninterrupted numbers, and
 * a budget the corpus cannot meet is refused before anything runs.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProbeSpecError } from '../spec/ProbeSpecError.js';
import { mergeStores } from '../store/mergeStores.js';
import { RunStore } from '../store/RunStore.js';
import { studySpec } from '../study/spec/StudySpec.js';
import { runStudy, type StudyEvent } from './runStudy.js';

const SPEC = studySpec({
  name: 'tiny-study',
  data: { heldOutTokens: 200 },
  uniqueTokens: [300, 600],
  epochs: [2],
  models: [{ kind: 'ar' }, { kind: 'diffusion' }],
  sizes: { layers: [1], dModel: [8], heads: 2 },
  training: { contextLength: 16, batchSize: 8, lr: 0.01 },
  evaluation: { evalPoints: 2, elboStrata: 2, elboDraws: 1 },
});

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'depthlab-study-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  dirs.splice(0);
});

describe('runStudy', () => {
  it('runs every cell once, longest first, into the store; a re-run skips them', async () => {
    const store = RunStore.open(freshDir());
    const events: StudyEvent[] = [];
    const first = await runStudy(SPEC, store, { workers: 2, backend: 'wasm', onEvent: (e) => events.push(e) });
    expect(first).toMatchObject({ status: 'completed', total: 4, skipped: 0, done: 4, failed: 0 });
    const starts = events.flatMap((e) => (e.type === 'cell-start' ? [e.config] : []));
    expect(starts.slice(0, 2).map((c) => c.uniqueTokens)).toEqual([600, 600]);
    expect(events.filter((e) => e.type === 'cell-end' && e.status === 'done')).toHaveLength(4);
    const records = store.study.records();
    expect(records.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done']);
    for (const r of records) {
      expect(r.result!.curve.length).toBeGreaterThanOrEqual(1);
      expect(r.result!.curve.at(-1)!.epoch).toBe(2);
      expect(r.attempts).toBe(1);
      expect(r.versions!.node).toBe(process.versions.node);
    }
    expect(store.specs().map((s) => s.name)).toEqual(['tiny-study']);
    const again = await runStudy(SPEC, store, { workers: 2, backend: 'wasm' });
    expect(again).toMatchObject({ status: 'completed', total: 4, skipped: 4, done: 0 });
    store.close();
  }, 120_000);

  it('shards partition the grid, and merging them gives every cell', async () => {
    const [a, b, whole] = [freshDir(), freshDir(), freshDir()];
    for (const [dir, index] of [[a, 0], [b, 1]] as const) {
      const store = RunStore.open(dir);
      expect(await runStudy(SPEC, store, { workers: 1, backend: 'wasm', shard: { index, count: 2 } })).toMatchObject({ total: 2, done: 2 });
      store.close();
    }
    RunStore.open(whole).close();
    expect(mergeStores(whole, [a, b])).toMatchObject({ added: 4, conflicts: [] });
    const merged = RunStore.open(whole, { readonly: true });
    expect(merged.study.counts()).toMatchObject({ done: 4, total: 4 });
    merged.close();
  }, 120_000);

  it('an abort checkpoints the cells in flight; the next run resumes them to the uninterrupted results', async () => {
    const dir = freshDir();
    const store = RunStore.open(dir);
    const controller = new AbortController();
    let started = 0;
    const first = await runStudy(SPEC, store, {
      workers: 2,
      backend: 'wasm',
      signal: controller.signal,
      checkpointRoot: join(dir, 'checkpoints'),
      onEvent: (e) => {
        if (e.type === 'step' && e.step >= 2 && ++started === 1) controller.abort();
      },
    });
    expect(first.status).toBe('interrupted');
    expect(first.done).toBeLessThan(4);
    expect(readdirSync(join(dir, 'checkpoints')).length).toBeGreaterThanOrEqual(1);
    const second = await runStudy(SPEC, store, { workers: 2, backend: 'wasm', checkpointRoot: join(dir, 'checkpoints') });
    expect(second.status).toBe('completed');
    expect(second.recovered).toBeGreaterThanOrEqual(1);
    expect(store.study.counts()).toMatchObject({ done: 4, running: 0, pending: 0 });
    expect(readdirSync(join(dir, 'checkpoints'))).toEqual([]);
    // The same cells run without interruption give the same numbers (wall-clock fields aside).
    const plain = RunStore.open(freshDir());
    await runStudy(SPEC, plain, { workers: 2, backend: 'wasm' });
    const numbers = (s: RunStore) =>
      s.study.records().map((r) => {
        const { train_tokens_per_s: _a, train_seconds: _b, eval_seconds: _c, data_seconds: _d, ...rest } = r.result!;
        return rest;
      });
    expect(numbers(store)).toEqual(numbers(plain));
    store.close();
    plain.close();
  }, 120_000);

  it('refuses a U the corpus cannot hold before running anything', async () => {
    const store = RunStore.open(freshDir());
    const tooMuch = studySpec({ ...SPEC, uniqueTokens: [300, 50_000_000] });
    await expect(runStudy(tooMuch, store, { workers: 1, backend: 'wasm' })).rejects.toThrow(ProbeSpecError);
    await expect(runStudy(tooMuch, store, { workers: 1, backend: 'wasm' })).rejects.toThrow(/uniqueTokens 50000000/);
    expect(store.study.counts().total).toBe(0);
    store.close();
  });
});
