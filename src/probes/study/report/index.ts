/**
 * The data-constrained study's report (issue 7): writeStudyReport writes
 * report.md, a self-contained report.html, one SVG per figure, results.csv
 * (one row per cell) and results.json (the StudyAnalysis, Infinity kept as
 * the string "Infinity"; parseResultsJson reads it back).
 */
export { DEFAULT_STUDY_REPORT_TITLE, writeStudyReport } from './writeStudyReport.js';
export type { WriteStudyReportOptions, WrittenStudyReport } from './writeStudyReport.js';
export { STUDY_CELL_COLUMNS, studyCellRows, studyCsv } from './studyCellRows.js';
export type { StudyCellRow } from './studyCellRows.js';
export { studyFigures } from './studyFigures.js';
export { studyDocument } from './studyDocument.js';
export type { StudyReportContext } from './studyDocument.js';
export { parseResultsJson, toResultsJson } from './studyResultsJson.js';
