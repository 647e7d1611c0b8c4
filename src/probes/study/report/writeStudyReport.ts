/**
 * writeStudyReport — a data-constrained study's report in a folder:
 *   report.md      summary and caveats, definitions, spec, environment,
 *                  cells, fitted vs published constants, R_D* per series,
 *                  losses per U and E, crossovers; figures linked
 *   report.html    the same, figures as inline SVG: one self-contained
 *                  offline file (no script, no external resource)
 *   <figure>.svg   loss-vs-epochs, loss-vs-compute, crossover (studyFigures.ts)
 *   results.csv    one row per cell, any status (studyCellRows.ts)
 *   results.json   { title, analysis: StudyAnalysis, cells: StudyCellRow[] };
 *                  Infinity and NaN written as the strings "Infinity" and
 *                  "NaN" (parseResultsJson reads them back), so R_D* = ∞
 *                  survives
 *
 * Everything is computed and rendered in memory first; then each file is
 * written atomically (temporary file, then rename), data and figures before
 * the reports that refer to them.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtml } from '../../report/renderHtml.js';
import { renderMarkdown } from '../../report/renderMarkdown.js';
import { renderSvg } from '../../report/renderSvg.js';
import { writeFileAtomic } from '../../report/writeOutputs.js';
import type { StudyData } from '../../store/StudyCellRecord.js';
import { analyseStudy, type AnalyseStudyOptions, type StudyAnalysis } from '../analysis/index.js';
import { studyCellRows, studyCsv } from './studyCellRows.js';
import { studyDocument } from './studyDocument.js';
import { studyFigures } from './studyFigures.js';
import { toResultsJson } from './studyResultsJson.js';

export interface WriteStudyReportOptions extends AnalyseStudyOptions {
  /** Heading of the report; default "depthlab data-constrained study". */
  title?: string;
  /** The study's wall-clock time in seconds, when the caller knows it. */
  wallSeconds?: number;
}

export interface WrittenStudyReport {
  analysis: StudyAnalysis;
  /** Paths written, in order. */
  files: string[];
  markdown: string;
  html: string;
}

export const DEFAULT_STUDY_REPORT_TITLE = 'depthlab data-constrained study';

export async function writeStudyReport(dir: string, data: StudyData, options: WriteStudyReportOptions = {}): Promise<WrittenStudyReport> {
  const { title = DEFAULT_STUDY_REPORT_TITLE, wallSeconds, ...analyseOptions } = options;
  const analysis = analyseStudy(data, analyseOptions);
  const cells = studyCellRows(data);
  const figures = studyFigures(analysis);
  const svgs = new Map<string, string>();
  for (const figure of figures) svgs.set(figure.name, await renderSvg(figure.spec));
  const doc = studyDocument({ data, analysis, cells, figures, title, ...(wallSeconds !== undefined && { wallSeconds }) });
  const markdown = renderMarkdown(doc);
  const html = renderHtml(doc, svgs);

  const contents: [string, string][] = [
    ['results.csv', studyCsv(cells)],
    ['results.json', toResultsJson({ title, analysis, cells })],
    ...[...svgs.entries()].map(([name, svg]): [string, string] => [`${name}.svg`, svg]),
    ['report.md', markdown],
    ['report.html', html],
  ];
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const [name, text] of contents) {
    const path = join(dir, name);
    await writeFileAtomic(path, text);
    files.push(path);
  }
  return { analysis, files, markdown, html };
}
