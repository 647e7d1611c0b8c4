/**
 * `depthlab report DIR`, run in-process through commander: one-line usage
 * errors for a missing directory or store, the report written to DIR/report,
 * and the Analysis as one JSON document with --json; a study's store gets
 * the study report (and a store with both, both).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { done, record } from '../probes/analysis/_internals/probeData.testing.js';
import { RunStore } from '../probes/store/index.js';
import { seriesCells } from '../probes/study/analysis/_internals/studyData.testing.js';
import { parseResultsJson } from '../probes/study/report/index.js';
import { UsageError } from './_internals/UsageError.js';
import { registerReportCommand } from './report.js';

async function run(...args: string[]): Promise<string> {
  const program = new Command('depthlab').exitOverride();
  registerReportCommand(program);
  let stdout = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'depthlab', 'report', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return stdout;
}

describe('depthlab report', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'depthlab-cli-report-'));
    const store = RunStore.open(join(dir, 'probe'));
    try {
      const curve = [{ step: 1, loss: 2, gradNorm: 1, lr: 1e-3, tokens: 100 }];
      store.put(done({ task: 's5', depth: 2, model: 'ar', seed: 0 }, 1), curve);
      store.put(done({ task: 's5', depth: 4, model: 'ar', seed: 0 }, 0.2), curve);
      store.put(record({ task: 's5', depth: 8, model: 'ar', seed: 0 }, 'pending'), []);
    } finally {
      store.close();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names a missing directory or store and the fix, as a usage error', async () => {
    await expect(run(join(dir, 'nowhere'))).rejects.toThrow(UsageError);
    await expect(run(join(dir, 'nowhere'))).rejects.toThrow(/nowhere: no such directory; pass a probe's run directory/);
    await expect(run(dir)).rejects.toThrow(/runs\.sqlite: no run store there/);
  });

  it('writes the report to DIR/report and prints the Analysis with --json', async () => {
    const analysis = JSON.parse(await run(join(dir, 'probe'), '--json', '--tau', '0.5')) as { tau: number; counts: { done: number; pending: number }; depthLimits: { limit: number | null }[] };
    expect(analysis.tau).toBe(0.5);
    expect(analysis.counts).toMatchObject({ done: 2, pending: 1 });
    expect(analysis.depthLimits.map((l) => l.limit)).toEqual([2]);
    for (const file of ['report.md', 'report.html', 'results.csv', 'results.json']) expect(existsSync(join(dir, 'probe', 'report', file))).toBe(true);
  });

  it('prints a short summary and where the report is', async () => {
    const out = join(dir, 'elsewhere');
    const text = await run(join(dir, 'probe'), '--out', out);
    expect(text).toContain('cells: 3 (2 done, 1 pending, 0 running, 0 failed)');
    expect(text).toContain(`report: ${join(out, 'report.html')}`);
  });
});

describe('depthlab report on a study store', () => {
  let dir: string;
  const overfitting = (u: number, e: number) => 3 + 20 / Math.sqrt(u * Math.min(e, 8)) + Math.max(0, Math.log(e / 8)) ** 2;
  const improving = (u: number, e: number) => 3.2 + 20 / Math.sqrt(u * e);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'depthlab-cli-study-report-'));
    const base = { layers: 1, dModel: 16, heads: 2, contextLength: 8, heldOutTokens: 100 };
    const cells = [
      ...seriesCells({ ...base, model: 'ar' }, [1e3, 1e4], [1, 4, 16, 64], overfitting),
      ...seriesCells({ ...base, model: 'diffusion' }, [1e3, 1e4], [1, 4, 16, 64], improving),
    ];
    for (const sub of ['study', 'both']) {
      const store = RunStore.open(join(dir, sub));
      try {
        for (const c of cells) store.study.put(c);
        if (sub === 'both') store.put(done({ task: 's5', depth: 2, model: 'ar', seed: 0 }, 1), [{ step: 1, loss: 2, gradNorm: 1, lr: 1e-3, tokens: 100 }]);
      } finally {
        store.close();
      }
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the study report to DIR/report: R_D* per series and the crossovers in the summary', async () => {
    const text = await run(join(dir, 'study'));
    expect(text).toMatch(/^study cells: \d+ \(\d+ done/);
    expect(text).toContain('R_D* (Muennighoff form; published: diffusion ≈ 500');
    expect(text).toMatch(/diffusion · brown-char L1 d16 vs ar · brown-char L1 d16: U=1000: /);
    for (const file of ['report.md', 'report.html', 'results.csv', 'results.json']) expect(existsSync(join(dir, 'study', 'report', file))).toBe(true);
    const json = parseResultsJson<{ series: { model: string; r_d_star: { status: string } }[] }>(await run(join(dir, 'study'), '--json'));
    expect(json.series.map((s) => s.model)).toEqual(['ar', 'diffusion']);
  });

  it('a store with probe and study cells gets both reports, the study one in OUT/study', async () => {
    const json = parseResultsJson<{ probe: { counts: { done: number } }; study: { counts: { done: number } } }>(await run(join(dir, 'both'), '--json'));
    expect(json.probe.counts.done).toBe(1);
    expect(json.study.counts.done).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'both', 'report', 'report.html'))).toBe(true);
    expect(existsSync(join(dir, 'both', 'report', 'study', 'report.html'))).toBe(true);
  });
});
