/**
 * runProbe with real worker processes (the compiled dist/ worker, built by
 * `npm test`): every cell runs once and lands in the store; a re-run skips
 * them; a worker killed mid-cell is replaced and its cell retried; an abort
 * leaves the in-flight cells for the next run, which recovers them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyse } from '../analysis/analyse.js';
import { probeSpec } from '../spec/ProbeSpec.js';
import { RunStore } from '../store/RunStore.js';
import { runProbe, type ProbeEvent } from './runProbe.js';

const SPEC = probeSpec({
  name: 'tiny',
  tasks: [{ task: 'parity', depths: [4, 5] }],
  models: [{ kind: 'ar' }, { kind: 'diffusion' }],
  sizes: { layers: [1], dModel: [16], heads: 2 },
  seeds: [0],
  training: { steps: 40, batchSize: 8 },
});

const stores: RunStore[] = [];
function freshStore(): RunStore {
  const store = RunStore.open(join(mkdtempSync(join(tmpdir(), 'depthlab-probe-')), 'runs.sqlite'));
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

describe('runProbe', () => {
  it('runs every cell once into the store, and a re-run skips them', async () => {
    const store = freshStore();
    const events: ProbeEvent[] = [];
    const first = await runProbe(SPEC, store, { workers: 2, backend: 'wasm', onEvent: (e) => events.push(e) });
    expect(first).toMatchObject({ status: 'completed', total: 4, skipped: 0, done: 4, failed: 0 });
    expect(store.counts()).toMatchObject({ done: 4, total: 4 });
    for (const r of store.records()) {
      expect(r.attempts).toBe(1);
      expect(r.metrics?.backend).toBe('wasm');
      expect(r.versions?.tfjs).toMatch(/^4\./);
      expect(store.curve(r.id)).toHaveLength(40);
    }
    expect(new Set(events.filter((e) => e.type === 'cell-start').map((e) => (e as { worker: number }).worker)).size).toBe(2);
    const again = await runProbe(SPEC, store, { workers: 2, backend: 'wasm' });
    expect(again).toMatchObject({ total: 4, skipped: 4, done: 0 });
    // The analysis reads a store directly.
    expect(analyse(store)).toEqual(analyse(store.data()));
    expect(analyse(store).counts.done).toBe(4);
  }, 60_000);

  it('replaces a worker killed mid-cell and retries its cell', async () => {
    const store = freshStore();
    let killed: string | undefined;
    const summary = await runProbe(SPEC, store, {
      workers: 1,
      backend: 'wasm',
      onEvent: (e) => {
        if (e.type === 'cell-start' && killed === undefined && e.pid !== undefined) {
          killed = e.id;
          process.kill(e.pid, 'SIGKILL');
        }
      },
    });
    expect(summary).toMatchObject({ status: 'completed', done: 4, failed: 0 });
    expect(store.record(killed!)).toMatchObject({ status: 'done', attempts: 2 });
  }, 60_000);

  it('an abort leaves in-flight cells for the next run, which recovers and finishes them once', async () => {
    const store = freshStore();
    const controller = new AbortController();
    let firstDone = false;
    const stopped = await runProbe(SPEC, store, {
      workers: 1,
      backend: 'wasm',
      signal: controller.signal,
      onEvent: (e) => {
        // Mid-second cell: after the first has ended, at the second's first step report.
        if (e.type === 'cell-end') firstDone = true;
        else if (e.type === 'step' && firstDone) controller.abort();
      },
    });
    expect(stopped.status).toBe('interrupted');
    expect(store.counts()).toMatchObject({ done: 1, running: 1 });
    const resumed = await runProbe(SPEC, store, { workers: 2, backend: 'wasm' });
    expect(resumed).toMatchObject({ status: 'completed', skipped: 1, done: 3, recovered: 1 });
    expect(store.counts()).toMatchObject({ done: 4, total: 4 });
  }, 60_000);
});
