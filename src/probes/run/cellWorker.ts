/**
 * The cell worker: a child process of a probe or study that runs the cells
 * it is sent, one at a time (see protocol.ts), and reports steps and results.
 * It never touches the run store — the parent is its only writer — so a
 * worker killed mid-cell loses that cell's progress and nothing else.
 */
import type { StepRecord } from '../../models/training/index.js';
import { CellInterrupted, runCell } from '../cell/runCell.js';
import { runStudyCell, studyCellCheckpointable } from '../study/cell/runStudyCell.js';
import { STEP_MESSAGE_INTERVAL_MS, type Jobs, type JobKind, type RunMessage, type WorkerMessage } from './protocol.js';
import { currentVersions } from './versions.js';

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error)).split('\n')[0]!;
}

type OnStep = (record: StepRecord, total: number) => void;

/** Each job's runner; given a folder, a cell checkpoints on stop (a study cell only when checkpointable). */
const RUNNERS: { [K in JobKind]: (message: Extract<RunMessage, { job: K }>, onStep: OnStep) => Promise<Jobs[K]['result']> } = {
  'probe-cell': (m, onStep) =>
    runCell(m.config, {
      backend: m.backend,
      ...(m.checkpointDir !== undefined && { checkpoint: { dir: m.checkpointDir, stop: () => stopRequested } }),
      onStep,
    }),
  'study-cell': (m, onStep) =>
    runStudyCell(m.config, {
      backend: m.backend,
      ...(m.checkpointDir !== undefined && { checkpoint: { dir: m.checkpointDir, stop: () => stopRequested } }),
      onStep,
    }),
};

/** The parent asked the worker to stop (SIGTERM); a cell in flight checkpoints first. */
let stopRequested = false;
let busy = false;
/** Whether the cell in flight can checkpoint; one that cannot is simply abandoned (it reruns from the start). */
let canCheckpoint = false;
process.on('SIGTERM', () => {
  stopRequested = true;
  if (!busy || !canCheckpoint) process.exit(0);
});

process.on('message', (message: RunMessage) => {
  if (message.type !== 'run') return;
  busy = true;
  canCheckpoint = message.checkpointDir !== undefined && (message.job === 'probe-cell' || studyCellCheckpointable(message.config));
  void (async () => {
    let last = 0;
    const onStep: OnStep = (record, total) => {
      const now = Date.now();
      if (now - last < STEP_MESSAGE_INTERVAL_MS && record.step < total) return;
      last = now;
      send({ type: 'step', id: message.id, step: record.step, total, loss: record.loss });
    };
    try {
      const run = RUNNERS[message.job] as (m: RunMessage, onStep: OnStep) => Promise<Jobs[JobKind]['result']>;
      const result = await run(message, onStep);
      send({ type: 'done', id: message.id, result, versions: await currentVersions() });
    } catch (error) {
      if (error instanceof CellInterrupted) send({ type: 'interrupted', id: message.id, step: error.step });
      else send({ type: 'failed', id: message.id, error: oneLine(error) });
    }
    busy = false;
    if (stopRequested) process.exit(0);
  })();
});

// Ctrl-C reaches the whole process group: the parent decides, and ends workers itself.
process.on('SIGINT', () => {});
// The parent going away (crash, SIGKILL) ends the worker too.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
