// The probes: cells (one model kind on one task at one depth), specs and
// their grids, the worker pool, the run store, analysis and reports.
export { lineChart, renderSvg } from './report/renderSvg.js';
export type { VegaLiteSpec } from './report/renderSvg.js';
export { writeFileAtomic, writeResultFiles } from './report/writeOutputs.js';
export { mergeStores, RUN_STORE_FILE, RunStore, RunStoreError, storeFile, StudyCells } from './store/index.js';
export type { CellMetrics, CellRecord, CellStatus, MergeCounts, ProbeData, RecordFilter, StatusCounts, StoredSpec, StudyCellRecord, StudyData, Versions } from './store/index.js';
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
export {
  canonicalJson,
  cellConfig,
  CellConfigError,
  cellConfigSchema,
  cellHash,
  MODEL_KIND_SPECS,
  MODEL_KINDS,
  resolveCell,
  runCell,
} from './cell/index.js';
export type { CellConfig, CellConfigInput, CellEvaluation, CellModel, CellResult, KindContext, ModelKind, ModelKindSpec, RunCellOptions } from './cell/index.js';
export {
  expandGrid,
  parseProbeSpec,
  parseShard,
  PRESET_NAMES,
  PRESETS,
  probeSpec,
  ProbeSpecError,
  probeSpecSchema,
  shardCells,
  ShardError,
  shardFromEnvironment,
} from './spec/index.js';
export type { GridCell, ProbeSpec, ProbeSpecInput, Shard } from './spec/index.js';
export { currentVersions, runProbe, runStudy, studyCellLabel, WorkerProcess } from './run/index.js';
export type {
  CellOutcome,
  ProbeEvent,
  ProbeStore,
  ProbeSummary,
  RunEvent,
  RunProbeOptions,
  RunStudyOptions,
  StepEvent,
  StudyEvent,
  StudyStore,
  StudySummary,
} from './run/index.js';
export * as study from './study/index.js';
