/**
 * The messages between a run (a probe or a study) and its cell workers
 * (child processes, one cell at a time each, because tfjs trains on one
 * thread). Sent with Node's 'advanced' IPC serialization (structured clone),
 * so NaN metrics survive.
 *
 *   parent → worker   { type: 'run', job, id, config, backend, checkpointDir? }
 *                     job 'probe-cell' (runCell) or 'study-cell' (runStudyCell)
 *                     SIGTERM: stop — a cell in flight checkpoints after its current
 *                     step (when it has a checkpointDir, and for a study cell when
 *                     studyCellCheckpointable), then the worker exits; otherwise
 *                     it is abandoned (it reruns from step 0)
 *   worker → parent   { type: 'ready' }                       once, after start-up
 *                     { type: 'step', id, step, total, loss }   at most every 250 ms
 *                     { type: 'done', id, result, versions }   result: the job's result
 *                     { type: 'failed', id, error }             error: one line
 *                     { type: 'interrupted', id, step }         stopped at a checkpoint
 */
import type { BackendPreference } from '../../models/backend/index.js';
import type { CellConfig } from '../cell/CellConfig.js';
import type { CellResult } from '../cell/runCell.js';
import type { Versions } from '../store/CellRecord.js';
import type { StudyCellConfig } from '../study/cell/StudyCellConfig.js';
import type { StudyCellResult } from '../study/cell/runStudyCell.js';

/** The kinds of cell a worker runs, with their config and result types. */
export interface Jobs {
  'probe-cell': { config: CellConfig; result: CellResult };
  'study-cell': { config: StudyCellConfig; result: StudyCellResult };
}
export type JobKind = keyof Jobs;

export type RunMessage = {
  [K in JobKind]: {
    type: 'run';
    job: K;
    id: string;
    config: Jobs[K]['config'];
    backend: BackendPreference;
    /** Where the cell checkpoints when stopped (and resumes from, if a checkpoint is there). */
    checkpointDir?: string;
  };
}[JobKind];

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'step'; id: string; step: number; total: number; loss: number }
  | { type: 'done'; id: string; result: Jobs[JobKind]['result']; versions: Versions }
  | { type: 'failed'; id: string; error: string }
  | { type: 'interrupted'; id: string; step: number };

/** Milliseconds between two step messages of one worker. */
export const STEP_MESSAGE_INTERVAL_MS = 250;
