/**
 * writeReport — a probe's report in a folder:
 *   report.md      the tables (summary and caveats, definitions, spec,
 *                  environment, cells by status, accuracy against depth,
 *                  depth limits, fewest layers with fits, diffusion steps),
 *                  figures linked
 *   report.html    the same tables and the figures as inline SVG, one
 *                  self-contained offline file
 *   <figure>.svg   each figure (reportFigures.ts)
 *   results.csv    one row per done cell (cellRows.ts)
 *   results.json   { title, analysis: Analysis, cells: CellRow[], failed: FailedCell[] }
 *
 * Everything is computed and rendered in memory first, then each file is
 * written atomically (temporary file, then rename), data files and figures
 * before the two reports that refer to them: a failure leaves no partial
 * file, and never a report pointing at a figure not yet written.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { analyse, type AnalyseOptions, type Analysis } from '../analysis/index.js';
import type { ProbeData } from '../store/CellRecord.js';
import { cellRows, failedCells, toCsv } from './cellRows.js';
import { renderHtml } from './renderHtml.js';
import { renderMarkdown } from './renderMarkdown.js';
import { renderSvg } from './renderSvg.js';
import { reportDocument } from './reportDocument.js';
import { reportFigures } from './reportFigures.js';
import { writeFileAtomic } from './writeOutputs.js';

export interface WriteReportOptions extends AnalyseOptions {
  /** Heading of the report; default "depthlab probe report". */
  title?: string;
  /** The probe's wall-clock time in seconds, when the caller knows it. */
  wallSeconds?: number;
}

export interface WrittenReport {
  analysis: Analysis;
  /** Paths written, in order. */
  files: string[];
  markdown: string;
  html: string;
}

export const DEFAULT_REPORT_TITLE = 'depthlab probe report';

export async function writeReport(data: ProbeData, outDir: string, options: WriteReportOptions = {}): Promise<WrittenReport> {
  const { title = DEFAULT_REPORT_TITLE, wallSeconds, ...analyseOptions } = options;
  const analysis = analyse(data, analyseOptions);
  const cells = cellRows(data);
  const failed = failedCells(data);
  const figures = reportFigures(analysis, data, cells);
  const svgs = new Map<string, string>();
  for (const figure of figures) svgs.set(figure.name, await renderSvg(figure.spec));
  const doc = reportDocument({ data, analysis, cells, failed, figures, title, ...(wallSeconds !== undefined && { wallSeconds }) });
  const markdown = renderMarkdown(doc);
  const html = renderHtml(doc, svgs);

  const contents: [string, string][] = [
    ['results.csv', toCsv(cells)],
    ['results.json', `${JSON.stringify({ title, analysis, cells, failed }, null, 2)}\n`],
    ...[...svgs.entries()].map(([name, svg]): [string, string] => [`${name}.svg`, svg]),
    ['report.md', markdown],
    ['report.html', html],
  ];
  await mkdir(outDir, { recursive: true });
  const files: string[] = [];
  for (const [name, text] of contents) {
    const path = join(outDir, name);
    await writeFileAtomic(path, text);
    files.push(path);
  }
  return { analysis, files, markdown, html };
}
