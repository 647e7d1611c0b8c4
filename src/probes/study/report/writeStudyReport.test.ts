/**
 * writeStudyReport on hand-built studies: every file is written, the HTML
 * stands alone, results.json reads back with R_D* per series (Infinity
 * intact), results.csv has one row per cell, text from the data is escaped,
 * and an empty study still gets every file.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RDStar, StudyAnalysis } from '../analysis/index.js';
import { TRUTH } from '../analysis/_internals/synthetic.testing.js';
import { modelLoss, otherCell, seriesCells, studyData } from '../analysis/_internals/studyData.testing.js';
import { STUDY_CELL_COLUMNS } from './studyCellRows.js';
import { parseResultsJson, toResultsJson } from './studyResultsJson.js';
import { writeStudyReport, type WrittenStudyReport } from './writeStudyReport.js';

const UNIQUE = [1e4, 3e4, 1e5, 3e5, 1e6];
const EPOCHS = [1, 2, 4, 8, 16, 32, 64];
const base = { layers: 1, dModel: 16, heads: 2, contextLength: 8, heldOutTokens: 100 };
const WEIRD_ERROR = 'boom | <b>bad</b> & "quoted", done';

// AR: R = 15 and overfitting past E = 8; diffusion: no diminishing returns (R = ∞) but a higher floor.
const ar = seriesCells({ ...base, model: 'ar' }, UNIQUE, EPOCHS, (u, e) => modelLoss({ rStar: 15, ...TRUTH }, u, e) + Math.max(0, Math.log(e / 8)) ** 2);
const diffusion = seriesCells({ ...base, model: 'diffusion' }, UNIQUE, EPOCHS, (u, e) => modelLoss({ rStar: Infinity, ...TRUTH, lInf: 2.1 }, u, e));
const data = studyData(
  [...ar, ...diffusion, otherCell({ ...base, model: 'ar', uniqueTokens: 2e6, epochs: 4 }, 'failed', WEIRD_ERROR), otherCell({ ...base, model: 'ar', uniqueTokens: 2e6, epochs: 8 }, 'pending')],
  { name: 'test <study>', uniqueTokens: UNIQUE },
);

describe('writeStudyReport', () => {
  let dir: string;
  let written: WrittenStudyReport;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'depthlab-study-report-'));
    written = await writeStudyReport(join(dir, 'out'), data, { resamples: 20, seed: 1, wallSeconds: 90 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every file, figures before the reports', async () => {
    const names = ['results.csv', 'results.json', 'loss-vs-epochs.svg', 'loss-vs-compute.svg', 'crossover.svg', 'report.md', 'report.html'];
    expect(written.files).toEqual(names.map((n) => join(dir, 'out', n)));
    expect((await readdir(join(dir, 'out'))).sort()).toEqual([...names].sort());
    for (const n of names.filter((f) => f.endsWith('.svg'))) expect(await readFile(join(dir, 'out', n), 'utf8')).toMatch(/^<svg/);
  });

  it('writes a self-contained HTML: inline SVG, no script, no external link', async () => {
    const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toBe(written.html);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link/i);
    expect(html).not.toMatch(/(href|src)\s*=\s*["']?(https?:)?\/\//i);
    expect(html.match(/<svg/g)).toHaveLength(3);
    expect(html).toContain('boom | &lt;b&gt;bad&lt;/b&gt; &amp; &quot;quoted&quot;, done');
    expect(html).toContain('test &lt;study&gt;');
  });

  it('results.json parses, with r_d_star per series and Infinity intact', async () => {
    const text = await readFile(join(dir, 'out', 'results.json'), 'utf8');
    expect(text).toContain('"value": "Infinity"');
    const json = parseResultsJson<{ analysis: StudyAnalysis; cells: Record<string, unknown>[] }>(text);
    expect(json.analysis.series.map((s) => s.label)).toEqual(['ar · brown-char L1 d16', 'diffusion · brown-char L1 d16']);
    const [arFit, diffusionFit] = json.analysis.series.map((s) => s.r_d_star) as [RDStar, RDStar];
    for (const r of [arFit, diffusionFit]) {
      expect(Object.keys(r)).toEqual(expect.arrayContaining(['value', 'interval', 'profile', 'diminishing_returns', 'n_points', 'status']));
    }
    expect(arFit).toMatchObject({ status: 'fitted', diminishing_returns: true, n_points: 20, dropped_points: 15 });
    expect(arFit.value).toBeCloseTo(15, 3);
    expect(diffusionFit).toMatchObject({ status: 'fitted', value: Infinity, diminishing_returns: false, n_points: 35 });
    expect(diffusionFit.profile![1]).toBe(Infinity);
    expect(json.analysis).toEqual(written.analysis);
    expect(json.cells).toHaveLength(data.records.length);
  });

  it('writes one CSV row per cell, any status, quoted where needed', async () => {
    const lines = (await readFile(join(dir, 'out', 'results.csv'), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe(STUDY_CELL_COLUMNS.join(','));
    expect(lines).toHaveLength(data.records.length + 1);
    const failed = lines.find((l) => l.includes(',failed,'))!;
    expect(failed.endsWith('"boom | <b>bad</b> & ""quoted"", done"')).toBe(true);
    expect(lines.filter((l) => l.includes(',pending,'))).toHaveLength(1);
  });

  it('states the comparison, the caveats and the environment in the Markdown', () => {
    const md = written.markdown;
    expect(md).toContain('# depthlab data-constrained study');
    expect(md).toContain('![Loss against epochs](loss-vs-epochs.svg)');
    expect(md).toContain('![Crossover compute](crossover.svg)');
    expect(md).toMatch(/\| ar · brown-char L1 d16 \| 15\.0 \[15\.0, 15\.0\] \| ≈ 31 \(earlier version ≈ 15\) \|/);
    expect(md).toMatch(/\| diffusion · brown-char L1 d16 \| ∞ \[∞, ∞\] \| ≈ 500 \(494–513\) \|/);
    expect(md).toContain('| published γ |');
    expect(md).toContain('1 cell failed and is left out of every result.');
    expect(md).toContain('1 cell not done (1 pending, 0 running)');
    expect(md).toContain('15 final points past the overfitting minimum');
    expect(md).toContain('R = ∞ (no diminishing returns) is not rejected');
    expect(md).toContain('| wall time of the study | 90 s |');
    expect(md).toContain('| seeds | 0, 1 (2 seeds) |');
    expect(md).toContain('boom \\| &lt;b&gt;bad&lt;/b&gt;');
  });

  it('reports crossings and "never crossed", and fits C_crit(U) across the crossings', () => {
    const pair = written.analysis.pairs[0]!;
    // Diffusion's higher floor (2.1 vs 1.8) keeps it behind where AR has not yet overfitted by E = 64.
    expect(pair.crossings.map((c) => c.status)).toEqual(['crossing', 'crossing', 'crossing', 'never', 'never']);
    expect(pair.c_crit).toMatchObject({ status: 'fitted', n_points: 3 });
    expect(written.markdown).toContain('| 300,000 | never crossed in the measured range | — | — |');
    expect(written.markdown).toMatch(/C_crit\(U\) = [0-9.e+-]+·U\^[0-9.]+ \(γ 95% bootstrap/);
  });
});

describe('writeStudyReport on an empty study', () => {
  it('still writes every file, with "no data" figures and an honest summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'depthlab-study-report-'));
    try {
      const w = await writeStudyReport(dir, studyData([]));
      expect(w.files).toHaveLength(7);
      expect(await readFile(join(dir, 'crossover.svg'), 'utf8')).toContain('no data');
      expect(w.markdown).toContain('The study has no cells.');
      expect(w.markdown).toContain('The study spec is not recorded with these results.');
      expect((await readFile(join(dir, 'results.csv'), 'utf8')).trimEnd().split('\n')).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('results.json encoding', () => {
  it('round-trips Infinity, -Infinity and NaN, which plain JSON would turn into null', () => {
    const value = { r: Infinity, interval: [-Infinity, NaN], label: 'x', n: 3 };
    expect(JSON.parse(JSON.stringify(value))).toEqual({ r: null, interval: [null, null], label: 'x', n: 3 });
    const back = parseResultsJson<typeof value>(toResultsJson(value));
    expect(back.r).toBe(Infinity);
    expect(back.interval[0]).toBe(-Infinity);
    expect(back.interval[1]).toBeNaN();
    expect(back).toEqual(value);
  });
});
