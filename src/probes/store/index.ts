/**
 * A probe's run store: DIR/runs.sqlite holding the specs, one row per cell
 * (keyed by the hash of its config) and the learning curves, and the merge
 * of several stores into one.
 */
export { RunStore } from './RunStore.js';
export type { RecordFilter, RunStoreOptions, StatusCounts, StoredSpec } from './RunStore.js';
export { StudyCells } from './StudyCells.js';
export type { StudyCellRecord, StudyData } from './StudyCellRecord.js';
export { mergeStores } from './mergeStores.js';
export type { MergeCounts } from './mergeStores.js';
export { RUN_STORE_FILE, RunStoreError, SCHEMA_VERSION, storeFile } from './_internals/schema.js';
export type { CellMetrics, CellRecord, CellStatus, ProbeData, Versions } from './CellRecord.js';
