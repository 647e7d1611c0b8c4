/**
 * `depthlab probe` end to end: SIGKILL the whole probe halfway, run it again,
 * and every cell is done exactly once with its whole curve; bad specs are one
 * line and exit 2; merge combines shards.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunStore } from '../probes/store/index.js';
import { CLI, expectUsageError, runCli } from './_internals/runCli.testing.js';

const SPEC = {
  name: 'kill-test',
  tasks: [{ task: 'parity', depths: [5, 6, 7] }],
  models: [{ kind: 'ar' }, { kind: 'cot' }],
  sizes: { layers: [1], dModel: [16], heads: 2 },
  seeds: [0, 1],
  training: { steps: 60, batchSize: 8 },
};

function specFile(dir: string, spec: unknown = SPEC): string {
  const path = join(dir, 'spec.json');
  writeFileSync(path, JSON.stringify(spec));
  return path;
}

function doneCount(dir: string): number {
  const store = RunStore.open(dir, { readonly: true });
  try {
    return store.counts().done;
  } finally {
    store.close();
  }
}

describe('depthlab probe', () => {
  it('killed with SIGKILL halfway and run again, finishes every cell exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'depthlab-kill-'));
    const spec = specFile(dir);
    const out = join(dir, 'run');
    const child = spawn(process.execPath, [CLI, 'probe', spec, '--out', out, '--workers', '2', '--backend', 'wasm'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    // Kill once a few cells are done.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if ((stderr.match(/\] done /g) ?? []).length >= 3) resolve();
      });
      child.on('exit', () => reject(new Error(`probe ended before the kill: ${stderr}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = doneCount(out);
    expect(before).toBeGreaterThanOrEqual(3);
    expect(before).toBeLessThan(12);

    const again = runCli('probe', spec, '--out', out, '--workers', '2', '--backend', 'wasm', '--json');
    expect(again.status, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout) as { total: number; skipped: number; done: number; failed: number };
    expect(summary).toMatchObject({ total: 12, skipped: before, done: 12 - before, failed: 0 });
    const store = RunStore.open(out, { readonly: true });
    try {
      expect(store.counts()).toMatchObject({ done: 12, total: 12 });
      expect(store.verify()).toEqual([]);
      for (const r of store.records()) expect(store.curve(r.id)).toHaveLength(60);
    } finally {
      store.close();
    }
  }, 120_000);

  it('Ctrl-C checkpoints the cells in flight and exits 130; the next run resumes them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'depthlab-sigint-'));
    const spec = specFile(dir, { ...SPEC, tasks: [{ task: 'parity', depths: [6] }], seeds: [0], training: { steps: 3000, batchSize: 8 } });
    const out = join(dir, 'run');
    const child = spawn(process.execPath, [CLI, 'probe', spec, '--out', out, '--workers', '2', '--backend', 'wasm'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise((r) => setTimeout(r, 6000)); // both cells well into training
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code, stderr).toBe(130);
    expect(readdirSync(join(out, 'checkpoints')).sort()).toHaveLength(2);
    const again = runCli('probe', spec, '--out', out, '--workers', '2', '--backend', 'wasm', '--json');
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ total: 2, done: 2, recovered: 2, failed: 0 });
    expect(readdirSync(join(out, 'checkpoints'))).toEqual([]); // removed as each cell finished
  }, 120_000);

  it('refuses a malformed spec in one line naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'depthlab-spec-'));
    expectUsageError(runCli('probe', specFile(dir, { ...SPEC, training: { steps: -3 } }), '--out', join(dir, 'r')), 'training.steps = -3');
    expectUsageError(runCli('probe', specFile(dir, { ...SPEC, models: [{ kind: 'tagged' }], tasks: [{ task: 'formula', depths: [2] }] }), '--out', join(dir, 'r')), 'no per-position labels');
    expectUsageError(runCli('probe', '--preset', 'nope', '--out', join(dir, 'r')), '--preset "nope": unknown');
    expectUsageError(runCli('probe', join(dir, 'missing.json'), '--out', join(dir, 'r')), 'cannot read the spec');
    expectUsageError(runCli('probe', '--preset', 'quick'), '--out is required');
    expectUsageError(runCli('probe', specFile(dir), '--out', join(dir, 'r'), '--shard', '3/3'), '--shard "3/3"');
  });

  it('runs shards into separate stores and merges them into the whole grid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'depthlab-shard-'));
    const spec = specFile(dir, { ...SPEC, seeds: [0], training: { steps: 5, batchSize: 8 } });
    for (const i of [0, 1]) {
      const r = runCli('probe', spec, '--out', join(dir, `s${i}`), '--shard', `${i}/2`, '--backend', 'wasm', '--json');
      expect(r.status, r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { total: number }).total).toBe(3);
    }
    const merged = runCli('merge', '--out', join(dir, 'all'), join(dir, 's0'), join(dir, 's1'), '--json');
    expect(merged.status, merged.stderr).toBe(0);
    expect(doneCount(join(dir, 'all'))).toBe(6);
    expect(runCli('report', join(dir, 'all')).status).toBe(0);
  }, 60_000);
});
