/**
 * ReportDocument — the report as plain data: sections of text, lists,
 * tables and figure references, rendered alike to Markdown (renderMarkdown)
 * and HTML (renderHtml), so both files carry the same tables. All text is
 * raw; each renderer escapes for its language.
 */
import type { Analysis } from '../analysis/index.js';
import type { ProbeData } from '../store/CellRecord.js';
import type { CellRow, FailedCell } from './cellRows.js';
import { overviewSections } from './overviewSections.js';
import type { Figure } from './reportFigures.js';
import { resultSections } from './resultSections.js';
import { generalizationSection } from './generalizationSection.js';

export type Block =
  | { type: 'text'; text: string }
  | { type: 'list'; items: string[] }
  | { type: 'table'; caption?: string; header: string[]; rows: string[][] }
  | { type: 'figures'; figures: Pick<Figure, 'name' | 'title' | 'caption'>[] };

export interface Section {
  /** Anchor id: lowercase letters, digits and dashes. */
  id: string;
  title: string;
  blocks: Block[];
}

export interface ReportDocument {
  title: string;
  sections: Section[];
}

export interface ReportContext {
  data: ProbeData;
  analysis: Analysis;
  cells: readonly CellRow[];
  failed: readonly FailedCell[];
  figures: readonly Figure[];
  title: string;
  /** The probe's wall-clock time (s), when the caller knows it. */
  wallSeconds?: number;
}

export function reportDocument(context: ReportContext): ReportDocument {
  const generalization = generalizationSection(context);
  return { title: context.title, sections: [...overviewSections(context), ...resultSections(context), ...(generalization ? [generalization] : [])] };
}
