/**
 * Running a probe: the worker pool (one child process per core, one cell at a
 * time each) that fills the run store, resumable and shardable.
 */
export { runProbe } from './runProbe.js';
export type { ProbeEvent, ProbeStore, ProbeSummary, RunProbeOptions } from './runProbe.js';
export { WorkerProcess } from './WorkerProcess.js';
export type { CellOutcome, StepEvent } from './WorkerProcess.js';
export { currentVersions } from './versions.js';
