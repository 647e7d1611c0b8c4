/**
 * studyDocument — the study report as a ReportDocument (the probe report's
 * plain-data form, rendered alike to Markdown and self-contained HTML):
 * the overview (summary and caveats, definitions, spec, environment, cells;
 * studyOverview.ts), then the results (fitted constants beside the
 * published ones, R_D* per series, losses per U and E, crossovers, figures;
 * studyResults.ts).
 */
import type { StudyData } from '../../store/StudyCellRecord.js';
import type { ReportDocument } from '../../report/reportDocument.js';
import type { Figure } from '../../report/reportFigures.js';
import type { StudyAnalysis } from '../analysis/index.js';
import type { StudyCellRow } from './studyCellRows.js';
import { studyOverview } from './studyOverview.js';
import { studyResults } from './studyResults.js';

export interface StudyReportContext {
  data: StudyData;
  analysis: StudyAnalysis;
  cells: readonly StudyCellRow[];
  figures: readonly Figure[];
  title: string;
  /** The study's wall-clock time (s), when the caller knows it. */
  wallSeconds?: number;
}

export function studyDocument(context: StudyReportContext): ReportDocument {
  return { title: context.title, sections: [...studyOverview(context), ...studyResults(context)] };
}
