/**
 * writeReport on hand-built probes: every file is there, the HTML stands
 * alone, the CSV and JSON read back to the cells and the Analysis, text from
 * the data is escaped, and an unfinished probe still gets an honest report.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyse } from '../analysis/index.js';
import { done, probeData, record } from '../analysis/_internals/probeData.testing.js';
import { CELL_COLUMNS } from './cellRows.js';
import { writeReport, type WrittenReport } from './writeReport.js';

/** RFC 4180 reader (quoted fields, doubled quotes), enough to read results.csv back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += c;
  }
  return rows;
}

const WEIRD_TASK = 'a|b<c>&"d",e';

const data = probeData(
  [
    ...[2, 4, 8].flatMap((depth) => [1, 2].flatMap((layers) => [0, 1, 2].map((seed) =>
      done({ task: 's5', depth, model: 'ar', layers, dModel: 64, seed }, 1 - depth / (16 * layers) - seed * 0.01)))),
    ...[0, 1].map((seed) => done({ task: 's5', depth: 2, model: 'looped', loops: 4, seed }, 0.95)),
    ...[2, 8].flatMap((s) => [2, 4].map((depth) => done({ task: 'parity', depth, model: 'diffusion', denoisingSteps: s, seed: 0 }, s / 8))),
    done({ task: WEIRD_TASK, depth: 3, model: 'ar', seed: 0 }, 0.5),
    record({ task: 's5', depth: 16, model: 'ar', seed: 0 }, 'pending'),
    record({ task: 's5', depth: 16, model: 'ar', seed: 1 }, 'failed'),
  ],
  { name: 'test <probe>', depths: [2, 4, 8] },
);
const nDone = data.records.filter((r) => r.status === 'done').length;

describe('writeReport', () => {
  let dir: string;
  let written: WrittenReport;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'depthlab-report-'));
    written = await writeReport(data, join(dir, 'out'), { tau: 0.8, title: 'Test <report>', wallSeconds: 90 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every file, atomically, and nothing else', async () => {
    const names = (await readdir(join(dir, 'out'))).sort();
    expect(names).toEqual([
      'accuracy-ar.svg', 'accuracy-diffusion.svg', 'accuracy-looped.svg', 'diffusion-steps.svg',
      'layers-heatmap-ar.svg', 'layers-heatmap-diffusion.svg', 'layers-heatmap-looped.svg', 'learning-curves.svg',
      'report.html', 'report.md', 'results.csv', 'results.json',
    ]);
    expect(written.files).toHaveLength(names.length);
  });

  it('writes one self-contained, escaped HTML file with every figure inline', async () => {
    const html = await readFile(join(dir, 'out', 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<iframe|<img|<object|<embed|@import/i);
    expect(html).not.toMatch(/url\(\s*['"]?(?!#)/i); // only in-document references such as url(#gradient_0)
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i);
    expect(html.match(/<svg/g)).toHaveLength(8);
    expect(html).toContain('<title>Test &lt;report&gt;</title>');
    expect(html).toContain('a|b&lt;c&gt;&amp;&quot;d&quot;,e');
    expect(html).not.toContain('<boom>');
    expect(html).toContain('&lt;boom&gt; &amp; &quot;quoted&quot;');
  });

  it('writes Markdown tables that state what is missing and how few seeds there are', async () => {
    const md = await readFile(join(dir, 'out', 'report.md'), 'utf8');
    expect(md).toContain('# Test &lt;report&gt;');
    expect(md).toContain('1 cell not finished (1 pending, 0 running)');
    expect(md).toContain('1 cell failed');
    expect(md).toMatch(/few seeds \(n = 1–3\)/);
    expect(md).toContain('a\\|b&lt;c&gt;');
    expect(md).toContain('![ar: accuracy against depth](accuracy-ar.svg)');
    expect(md).toContain('| wall time of the probe | 90 s |');
    expect(md).toContain(`depthlab 0.1.0 · tfjs 4.22.0 · node v20.19.0 × ${nDone}`);
    expect(md).toMatch(/too few points \(1 of the 2 needed\)/);
    expect(md).toContain('S = 2');
  });

  it('writes a CSV that reads back to one row per done cell', async () => {
    const rows = parseCsv(await readFile(join(dir, 'out', 'results.csv'), 'utf8'));
    expect(rows[0]).toEqual([...CELL_COLUMNS]);
    expect(rows).toHaveLength(1 + nDone);
    const weird = rows.find((r) => r[1] === WEIRD_TASK)!;
    expect(weird[CELL_COLUMNS.indexOf('answer_accuracy')]).toBe('0.5');
    expect(weird[CELL_COLUMNS.indexOf('wall_seconds')]).toBe('3.5');
  });

  it('writes results.json holding exactly what analyse computes', async () => {
    const json = JSON.parse(await readFile(join(dir, 'out', 'results.json'), 'utf8')) as { analysis: unknown; cells: unknown[]; failed: unknown[] };
    expect(json.analysis).toEqual(JSON.parse(JSON.stringify(analyse(data, { tau: 0.8 }))));
    expect(json.cells).toHaveLength(nDone);
    expect(json.failed).toHaveLength(1);
    expect(written.analysis).toEqual(analyse(data, { tau: 0.8 }));
  });

  it('reports a probe with no done cell, saying so, with "no data" charts', async () => {
    const empty = probeData([record({ task: 's5', depth: 2, model: 'ar' }, 'pending')]);
    const out = join(dir, 'empty');
    const result = await writeReport(empty, out);
    expect((await readdir(out)).sort()).toEqual([
      'accuracy.svg', 'diffusion-steps.svg', 'layers-heatmap.svg', 'learning-curves.svg', 'report.html', 'report.md', 'results.csv', 'results.json',
    ]);
    expect(result.markdown).toContain('No cell is done yet');
    expect(result.markdown).toContain('The probe spec is not recorded');
    expect(await readFile(join(out, 'accuracy.svg'), 'utf8')).toContain('no data');
    expect(parseCsv(await readFile(join(out, 'results.csv'), 'utf8'))).toHaveLength(1);
  });
});
