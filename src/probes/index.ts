export { lineChart, renderSvg } from './report/renderSvg.js';
export type { VegaLiteSpec } from './report/renderSvg.js';
export { writeFileAtomic, writeResultFiles } from './report/writeOutputs.js';
export { mergeStores, RUN_STORE_FILE, RunStore, RunStoreError, storeFile } from './store/index.js';
export type { CellMetrics, CellRecord, CellStatus, MergeCounts, ProbeData, RecordFilter, StatusCounts, StoredSpec, Versions } from './store/index.js';
export { accuracyByDepth, analyse, AnalyseOptionsError, DEFAULT_RESAMPLES, DEFAULT_TAU, depthLimits, diffusionSteps, limitOf, metricOf, minLayers } from './analysis/index.js';
export type {
  AccuracyMetric,
  AccuracyPoint,
  AccuracySeries,
  Analysis,
  AnalyseOptions,
  BootstrapOptions,
  CellCounts,
  DepthLimit,
  DiffusionStepsView,
  Estimate,
  LinearFit,
  MinLayersRow,
  MinLayersView,
  ModelVariant,
  SeriesId,
  StepsPoint,
  TaskRef,
  VariantValue,
} from './analysis/index.js';
export { DEFAULT_REPORT_TITLE, writeReport } from './report/writeReport.js';
export type { WriteReportOptions, WrittenReport } from './report/writeReport.js';
export { CELL_COLUMNS, cellRows, failedCells, toCsv } from './report/cellRows.js';
export type { CellRow, FailedCell } from './report/cellRows.js';
