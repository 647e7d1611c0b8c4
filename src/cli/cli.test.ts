/**
 * End-to-end tests of the command line: the compiled dist/cli.js (built by
 * `npm test` before vitest runs) is spawned like a user would, and stdout,
 * stderr and the exit status are checked — data on stdout, one-line errors on
 * stderr, status 2 for bad input.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, readCircuitFile } from '../circuits/index.js';
import { CLI, expectUsageError, runCli } from './_internals/runCli.testing.js';

const C432 = new URL('../circuits/formats/fixtures/c432.bench', import.meta.url).pathname;
const run = runCli;

describe('depthlab CLI', () => {
  it('has been built, as an executable (npx depthlab runs dist/cli.js itself)', () => {
    expect(existsSync(CLI)).toBe(true);
    expect(statSync(CLI).mode & 0o111).not.toBe(0);
    const direct = spawnSync(CLI, ['--version'], { encoding: 'utf8' });
    expect(direct.status, direct.stderr).toBe(0);
  });

  it('prints help and its version', () => {
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('circuit');
    expect(help.stdout).toContain('demo');
    const version = run('--version');
    expect(version.status).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('demo verifies every family member and classifies the families', () => {
    const out = mkdtempSync(join(tmpdir(), 'depthlab-demo-'));
    const r = run('demo', '--json', '--vectors', '256', '--no-probe', '--out', out);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { families: { family: string; growth: string; members: { mismatches: number }[] }[] };
    const growth = Object.fromEntries(doc.families.map((f) => [f.family, f.growth]));
    expect(growth).toMatchObject({ majority: 'constant', parity: 'constant', 'iterated-addition': 'constant', 'parity-tree': 'logarithmic', formula: 'logarithmic', s5: 'logarithmic', 'ripple-carry-adder': 'polynomial', cvp: 'polynomial' });
    for (const f of doc.families) for (const m of f.members) expect(m.mismatches).toBe(0);
    expect(existsSync(join(out, 'suites', 's5', 'manifest.json'))).toBe(true);
    const text = run('demo', '--vectors', '64', '--no-probe', '--out', out);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/parity-tree\s+consistent with NC1/);
  });

  it('demo runs a training probe end to end and writes its report (a tiny spec in place of quick)', () => {
    const out = mkdtempSync(join(tmpdir(), 'depthlab-demo-'));
    const spec = join(out, 'tiny.json');
    writeFileSync(spec, JSON.stringify({
      name: 'tiny', tasks: [{ task: 'parity', depths: [4, 5] }, { task: 'formula', depths: [1] }],
      models: [{ kind: 'ar' }, { kind: 'cot' }, { kind: 'diffusion' }], sizes: { layers: [1], dModel: [16], heads: 2 },
      seeds: [0], training: { steps: 10, batchSize: 8 },
    }));
    const r = run('demo', '--vectors', '64', '--spec', spec, '--out', out, '--workers', '2', '--backend', 'wasm');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('Training probe "tiny" (9 cells, completed');
    expect(r.stdout).toContain(join(out, 'report', 'report.html'));
    for (const f of ['report.html', 'report.md', 'results.csv', 'results.json']) expect(existsSync(join(out, 'report', f)), f).toBe(true);
    // Re-running resumes: nothing left to train.
    const again = run('demo', '--vectors', '64', '--spec', spec, '--out', out, '--json');
    expect((JSON.parse(again.stdout) as { probe: { skipped: number; done: number } }).probe).toMatchObject({ skipped: 9, done: 0 });
  }, 120_000);

  it('circuit info reads c432', () => {
    const r = run('circuit', 'info', C432, '--json');
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as { inputs: number; outputs: number; size: number; depth: number; gateCounts: Record<string, number>; basis: string };
    expect(s).toMatchObject({ inputs: 36, outputs: 7, size: 160, depth: 17, basis: 'AC0' });
    expect(s.gateCounts).toEqual({ AND: 4, NAND: 79, NOR: 19, NOT: 40, XOR: 18 });
    const text = run('circuit', 'info', C432);
    expect(text.stdout).toMatch(/gates\s+160/);
  });

  it('circuit eval --input agrees with the library', async () => {
    const c = await readCircuitFile(C432);
    const bits = Array.from({ length: 36 }, (_, i) => (i % 3 === 0 ? '1' : '0')).join('');
    const r = run('circuit', 'eval', C432, '--input', bits, '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { output: string };
    expect(doc.output).toBe(Array.from(evaluate(c, [...bits].map(Number))).join(''));
  });

  it('circuit eval --random is seeded and the same on both kernels', () => {
    const a = JSON.parse(run('circuit', 'eval', C432, '--random', '10000', '--seed', '5', '--json', '--backend', 'js').stdout) as { ones: Record<string, number> };
    const b = JSON.parse(run('circuit', 'eval', C432, '--random', '10000', '--seed', '5', '--json', '--backend', 'wasm-simd').stdout) as { ones: Record<string, number> };
    const c = JSON.parse(run('circuit', 'eval', C432, '--random', '10000', '--seed', '6', '--json').stdout) as { ones: Record<string, number> };
    expect(a.ones).toEqual(b.ones);
    expect(a.ones).not.toEqual(c.ones);
  });

  it('circuit convert round-trips through both formats and writes files whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'depthlab-cli-'));
    expect(run('circuit', 'convert', C432, '--to', 'json', '--out', join(dir, 'c.json')).status).toBe(0);
    expect(run('circuit', 'convert', join(dir, 'c.json'), '--to', 'bench', '--out', join(dir, 'c.bench')).status).toBe(0);
    const [orig, back] = [await readCircuitFile(C432), await readCircuitFile(join(dir, 'c.bench'))];
    expect(back.size).toBe(orig.size);
    for (let k = 0; k < 50; k++) {
      const input = Array.from({ length: 36 }, (_, i) => ((k * 7 + i * 13) % 5 < 2 ? 1 : 0));
      expect(evaluate(back, input)).toEqual(evaluate(orig, input));
    }
    const stdout = run('circuit', 'convert', C432, '--to', 'bench');
    expect(stdout.stdout).toContain('INPUT(1)');
    // A target in a missing folder fails cleanly and leaves nothing behind.
    expectUsageError(run('circuit', 'convert', C432, '--to', 'json', '--out', join(dir, 'missing', 'c.json')), 'missing');
    expect(readdirSync(dir).sort()).toEqual(['c.bench', 'c.json']);
  });

  it('refuses bad input with one line and status 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'depthlab-cli-'));
    writeFileSync(join(dir, 'seq.bench'), 'INPUT(a)\nOUTPUT(b)\nb = DFF(a)\n');
    writeFileSync(join(dir, 'bad.json'), '{"format": "depthlab-circuit", "version": 1, "inputs": ["a"], "nodes": [{"name": "g", "op": "ANDD", "in": ["a"]}], "outputs": [{"name": "y", "node": "g"}]}');
    expectUsageError(run('circuit', 'info', join(dir, 'seq.bench')), 'seq.bench:3: DFF');
    expectUsageError(run('circuit', 'info', join(dir, 'bad.json')), 'nodes[0].op');
    expectUsageError(run('circuit', 'info', join(dir, 'nope.bench')), 'cannot read');
    expectUsageError(run('circuit', 'eval', C432, '--random', 'lots'), '--random must be an integer');
    expectUsageError(run('circuit', 'eval', C432), 'exactly one of --input');
    expectUsageError(run('circuit', 'eval', C432, '--input', '0101'), 'has 4 bits but the circuit has 36 inputs');
    expectUsageError(run('circuit', 'eval', C432, '--input', '01x'), '--input must be a string of 0s and 1s');
    expectUsageError(run('circuit', 'eval', C432, '--random', '8', '--backend', 'gpu'), '--backend must be one of');
    expectUsageError(run('circuit', 'convert', C432, '--to', 'xml'), '--to must be one of json, bench');
    expectUsageError(run('circuit', 'frobnicate'), "unknown command 'frobnicate'");
    expectUsageError(run('--bogus'), "unknown option '--bogus'");
    expect(run('circuit').status).toBe(2);
  });
});

describe('depthlab tasks and verify', () => {
  it('lists the task families and shows an example', () => {
    const list = JSON.parse(run('tasks', 'list', '--json').stdout) as { tasks: { id: string; class: string }[] };
    const ids = list.tasks.map((t) => t.id);
    for (const id of ['majority', 'threshold', 'parity', 'mod-count', 'comparison', 'addition', 'iterated-addition', 'formula', 's5', 'a5', 'z60', 'cvp', 'reachability']) expect(ids).toContain(id);
    const show = JSON.parse(run('tasks', 'show', 's5', '--depth', '5', '--seed', '2', '--json').stdout) as { example: { input: string[]; trace: string[]; answer: string } };
    expect(show.example.input).toHaveLength(5);
    expect(show.example.answer).toBe(show.example.trace[4]);
    expect(run('tasks', 'show', 'word', '--group', 'A4', '--depth', '3').stdout).toContain('word-a4');
  });

  it('generates a suite in the documented layout, the same bytes for the same seed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'depthlab-cli-'));
    const args = ['tasks', 'generate', '--family', 'a5', '--depths', '2,4', '--n-train', '30', '--n-test', '10', '--seed', '3', '--depth-split', '2'];
    expect(run(...args, '--out', join(dir, 'x')).status).toBe(0);
    expect(run(...args, '--out', join(dir, 'y'), '--json').status).toBe(0);
    expect(readFileSync(join(dir, 'x', 'manifest.json'), 'utf8')).toBe(readFileSync(join(dir, 'y', 'manifest.json'), 'utf8'));
    expect(readdirSync(join(dir, 'x', 'data')).sort()).toEqual(['a5_d2', 'a5_d4', 'a5_depthgen']);
    expectUsageError(run(...args, '--out', join(dir, 'x')), 'exists and is not empty');
    expectUsageError(run('tasks', 'generate', '--family', 'parity', '--depths', '3', '--n-train', '9', '--n-test', '0', '--out', join(dir, 'z')), 'cannot draw 9 distinct train examples');
    expectUsageError(run('tasks', 'generate', '--family', 'nope', '--depths', '3', '--n-train', '1', '--n-test', '0', '--out', join(dir, 'z')), 'unknown task family "nope"');
    expectUsageError(run('tasks', 'generate', '--family', 'parity', '--depths', '3,x', '--n-train', '1', '--n-test', '0', '--out', join(dir, 'z')), '--depths must be a comma-separated list');
    expect(existsSync(join(dir, 'z'))).toBe(false);
  });

  it('verify runs the property suite for one family and checks a circuit against a family', () => {
    const r = run('verify', '--family', 'parity', '--runs', '10', '--json');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { failed: number; passed: number };
    expect(doc.failed).toBe(0);
    expect(doc.passed).toBeGreaterThanOrEqual(3);
    const dir = mkdtempSync(join(tmpdir(), 'depthlab-cli-'));
    writeFileSync(join(dir, 'xor3.bench'), 'INPUT(a)\nINPUT(b)\nINPUT(c)\nOUTPUT(y)\nt = XOR(a, b)\ny = XOR(t, c)\n');
    writeFileSync(join(dir, 'or3.bench'), 'INPUT(a)\nINPUT(b)\nINPUT(c)\nOUTPUT(y)\ny = OR(a, b, c)\n');
    expect(run('verify', '--circuit', join(dir, 'xor3.bench'), '--against', 'parity', '--n', '3').status).toBe(0);
    const bad = run('verify', '--circuit', join(dir, 'or3.bench'), '--against', 'parity', '--n', '3');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/counterexample: input \d{3}/);
    expectUsageError(run('verify', '--circuit', join(dir, 'or3.bench'), '--against', 'parity', '--n', '4'), 'has 3 inputs but parity at n=4 has 4');
    expectUsageError(run('verify', '--circuit', join(dir, 'or3.bench'), '--n', '3'), 'needs all three');
  });
});

describe('depthlab sde', () => {
  const inTmp = (...args: string[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'depthlab-sde-'));
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir });
    return { ...r, dir };
  };

  it('schedule prints ᾱ, σ, β, g and SNR and writes JSON and SVG', () => {
    const r = inTmp('sde', 'schedule', 'vp-linear', '--t', '1', '--json', '--out', 'vp');
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout) as { rows: { alpha_bar: number }[] };
    expect(doc.rows[0]!.alpha_bar).toBeCloseTo(Math.exp(-10.05), 12);
    expect(readFileSync(join(r.dir, 'vp.svg'), 'utf8').startsWith('<svg')).toBe(true);
    expect(JSON.parse(readFileSync(join(r.dir, 'vp.json'), 'utf8'))).toEqual(doc);
    expectUsageError(run('sde', 'schedule', 'vp-cubic'), 'unknown schedule "vp-cubic"');
  });

  it('score matches the closed form of a single Gaussian', () => {
    const r = inTmp('sde', 'score', '--mixture', '/dev/stdin', '--schedule', 've', '--t', '0.5', '--x', '1,2', '--json');
    expect(r.status).toBe(2); // /dev/stdin is empty here: a one-line error
    const dir = mkdtempSync(join(tmpdir(), 'depthlab-sde-'));
    writeFileSync(join(dir, 'g.json'), JSON.stringify({ weights: [1], means: [[0.5, -1]], covariances: [[[2, 0], [0, 2]]] }));
    const ok = inTmp('sde', 'score', '--mixture', join(dir, 'g.json'), '--schedule', 'vp-linear', '--t', '0.3', '--x', '1,2', '--json');
    expect(ok.status).toBe(0);
    const doc = JSON.parse(ok.stdout) as { score: number[]; mean_coefficient: number; std: number };
    const v = doc.mean_coefficient ** 2 * 2 + doc.std ** 2;
    expect(doc.score[0]).toBeCloseTo(-(1 - doc.mean_coefficient * 0.5) / v, 10);
    expect(doc.score[1]).toBeCloseTo(-(2 + doc.mean_coefficient) / v, 10);
    expectUsageError(run('sde', 'score', '--mixture', join(dir, 'g.json'), '--schedule', 'vp-linear', '--t', '0.3', '--x', '1'), 'has 1 coordinates but the mixture is 2-dimensional');
  });

  it('error-sweep, spectrum and masked run small and write their files', () => {
    const sweep = inTmp('sde', 'error-sweep', '--eps', '0,1', '--steps', '5,20', '--particles', '300', '--json');
    expect(sweep.status).toBe(0);
    expect((JSON.parse(sweep.stdout) as { rows: unknown[] }).rows).toHaveLength(4);
    expect(readdirSync(sweep.dir).sort()).toEqual(['error-sweep.json', 'error-sweep.svg']);
    const spec = inTmp('sde', 'spectrum', '--length', '64', '--steps', '60', '--samples', '4', '--json');
    expect(spec.status).toBe(0);
    const runs = (JSON.parse(spec.stdout) as { runs: { noise: string; ordering_spearman: number }[] }).runs;
    expect(runs.find((x) => x.noise === 'ddpm')!.ordering_spearman).toBeGreaterThan(0.5);
    expect(runs.find((x) => x.noise === 'equal-snr')!.ordering_spearman).toBe(0);
    const masked = inTmp('sde', 'masked', '--family', 's5', '--depth', '2', '--steps', '1,5', '--samples', '20', '--order', 'random', '--json');
    expect(masked.status).toBe(0);
    const rows = (JSON.parse(masked.stdout) as { rows: { steps: number; validity: number }[] }).rows;
    expect(rows.find((x) => x.steps === 5)!.validity).toBe(1);
    expectUsageError(run('sde', 'masked', '--family', 'parity', '--depth', '30', '--steps', '1'), 'parity');
  });
});
