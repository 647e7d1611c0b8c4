/**
 * `depthlab study data-constrained`: a tiny study from a YAML spec through
 * the CLI — its JSON summary, a re-run that skips the done cells, the study
 * report — and one-line usage errors (exit 2) for a bad spec, an unknown
 * preset, a missing --out and a budget the corpus cannot meet.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectUsageError, runCli } from './_internals/runCli.testing.js';

const SPEC = `name: cli-study
data: { heldOutTokens: 200 }
uniqueTokens: [300, 600]
epochs: [1, 3]
models: [{ kind: ar }, { kind: diffusion }]
sizes: { layers: [1], dModel: [8], heads: 2 }
training: { contextLength: 16, batchSize: 8, lr: 0.01 }
evaluation: { evalPoints: 2, elboStrata: 2, elboDraws: 1 }
`;

function specFile(text: string, name = 'study.yaml'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'depthlab-cli-dc-')), name);
  writeFileSync(path, text);
  return path;
}

describe('depthlab study data-constrained', () => {
  it('runs a study into DIR, skips done cells when run again, and `report DIR` writes the study report', () => {
    const spec = specFile(SPEC);
    const out = join(mkdtempSync(join(tmpdir(), 'depthlab-cli-dc-out-')), 'run');
    const first = runCli('study', 'data-constrained', spec, '--out', out, '--workers', '2', '--backend', 'wasm', '--json');
    expect(first.status, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: 'completed', total: 8, done: 8, failed: 0, store: join(out, 'runs.sqlite') });
    expect(first.stderr).toMatch(/^study: 8 cells, 0 already done, 8 to run on 2 worker\(s\)/);
    const again = runCli('study', 'data-constrained', spec, '--out', out, '--backend', 'wasm');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('study cli-study: completed');
    expect(again.stdout).toMatch(/\n\s+8\s+8\s+0\s+0\s+0\s+\d+\n/);
    const report = runCli('report', out);
    expect(report.status, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/^study cells: 8 \(8 done/);
    expect(report.stdout).toContain('diffusion · brown-char L1 d8 vs ar · brown-char L1 d8: U=300: ');
    for (const file of ['report.md', 'report.html', 'results.csv', 'results.json', 'loss-vs-epochs.svg']) expect(existsSync(join(out, 'report', file))).toBe(true);
    const json = JSON.parse(readFileSync(join(out, 'report', 'results.json'), 'utf8')) as { analysis: { series: { r_d_star: { status: string } }[] } };
    // 2 U × 2 E = 4 final points per series: too few for R_D*, said so rather than fitted.
    expect(json.analysis.series.map((s) => s.r_d_star.status)).toEqual(['insufficient', 'insufficient']);
  }, 180_000);

  it.each([
    [['study', 'data-constrained', '--out', '/tmp/x'], 'give a spec file or --preset NAME (one of data-quick, data-constrained), not neither'],
    [['study', 'data-constrained', '--preset', 'quick', '--out', '/tmp/x'], '--preset "quick": unknown; choose one of data-quick, data-constrained'],
    [['study', 'data-constrained', '--preset', 'data-quick'], '--out is required'],
    [['study', 'data-constrained', '/nonexistent/study.yaml', '--out', '/tmp/x'], '/nonexistent/study.yaml: cannot read the spec (ENOENT)'],
  ])('%j → exit 2, one line', (args, fragment) => {
    expectUsageError(runCli(...args), fragment);
  });

  it('a bad spec is named by its path, value and fix; a cell the config refuses by its place in the grid', () => {
    expectUsageError(runCli('study', 'data-constrained', specFile(SPEC.replace('epochs: [1, 3]', 'epochs: [1, 0]')), '--out', '/tmp/x'), 'epochs[1] = 0');
    expectUsageError(runCli('study', 'data-constrained', specFile(SPEC.replace('{ kind: ar }', '{ kind: ar, orders: [2] }')), '--out', '/tmp/x'), "models[0] (ar) at uniqueTokens 300, epochs 1: orders = 2: only model 'ar-orders'");
    expectUsageError(runCli('study', 'data-constrained', specFile('{"uniqueTokens": [', 'study.json'), '--out', '/tmp/x'), 'not valid JSON');
  });

  it('a U the corpus cannot hold is refused before anything runs', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'depthlab-cli-dc-big-')), 'run');
    expectUsageError(runCli('study', 'data-constrained', specFile(SPEC.replace('[300, 600]', '[300, 50000000]')), '--out', out), 'uniqueTokens 50000000');
  });
});
