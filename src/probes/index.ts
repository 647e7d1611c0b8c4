export { lineChart, renderSvg } from './report/renderSvg.js';
export type { VegaLiteSpec } from './report/renderSvg.js';
export { writeFileAtomic, writeResultFiles } from './report/writeOutputs.js';
export { mergeStores, RUN_STORE_FILE, RunStore, RunStoreError, storeFile } from './store/index.js';
export type { CellMetrics, CellRecord, CellStatus, MergeCounts, ProbeData, RecordFilter, StatusCounts, StoredSpec, Versions } from './store/index.js';
