/**
 * The messages between a probe and its cell workers (child processes, one
 * cell at a time each, because tfjs trains on one thread). Sent with Node's
 * 'advanced' IPC serialization (structured clone), so NaN metrics survive.
 *
 *   parent → worker   { type: 'run', config, backend, checkpointDir? }
 *                     SIGTERM: stop — the cell in flight checkpoints after its
 *                     current step (when it has a checkpointDir), then the worker exits
 *   worker → parent   { type: 'ready' }                       once, after start-up
 *                     { type: 'step', id, step, total, loss }   at most every 250 ms
 *                     { type: 'done', id, result, versions }
 *                     { type: 'failed', id, error }             error: one line
 *                     { type: 'interrupted', id, step }         stopped at a checkpoint
 */
import type { BackendPreference } from '../../models/backend/index.js';
import type { CellConfig } from '../cell/CellConfig.js';
import type { CellResult } from '../cell/runCell.js';
import type { Versions } from '../store/CellRecord.js';

export interface RunMessage {
  type: 'run';
  id: string;
  config: CellConfig;
  backend: BackendPreference;
  /** Where the cell checkpoints when stopped (and resumes from, if a checkpoint is there). */
  checkpointDir?: string;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'step'; id: string; step: number; total: number; loss: number }
  | { type: 'done'; id: string; result: CellResult; versions: Versions }
  | { type: 'failed'; id: string; error: string }
  | { type: 'interrupted'; id: string; step: number };

/** Milliseconds between two step messages of one worker. */
export const STEP_MESSAGE_INTERVAL_MS = 250;
