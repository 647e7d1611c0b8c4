/**
 * Running a probe or a data-constrained study: the worker pool (one child
 * process per core, one cell at a time each) that fills the run store,
 * resumable and shardable.
 */
export { runProbe } from './runProbe.js';
export type { ProbeEvent, ProbeStore, ProbeSummary, RunEvent, RunProbeOptions } from './runProbe.js';
export { runStudy, studyCellLabel } from './runStudy.js';
export type { RunStudyOptions, StudyEvent, StudyStore, StudySummary } from './runStudy.js';
export { WorkerProcess } from './WorkerProcess.js';
export type { CellOutcome, StepEvent } from './WorkerProcess.js';
export { currentVersions } from './versions.js';
