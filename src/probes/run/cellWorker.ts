/**
 * The cell worker: a child process of a probe that runs the cells it is sent,
 * one at a time (see protocol.ts), and reports steps and results. It never
 * touches the run store — the parent is its only writer — so a worker killed
 * mid-cell loses that cell's progress and nothing else.
 */
import { CellInterrupted, runCell } from '../cell/runCell.js';
import { STEP_MESSAGE_INTERVAL_MS, type RunMessage, type WorkerMessage } from './protocol.js';
import { currentVersions } from './versions.js';

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error)).split('\n')[0]!;
}

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
  canCheckpoint = message.checkpointDir !== undefined;
  void (async () => {
    let last = 0;
    try {
      const result = await runCell(message.config, {
        backend: message.backend,
        ...(message.checkpointDir !== undefined && { checkpoint: { dir: message.checkpointDir, stop: () => stopRequested } }),
        onStep: (record, total) => {
          const now = Date.now();
          if (now - last < STEP_MESSAGE_INTERVAL_MS && record.step < total) return;
          last = now;
          send({ type: 'step', id: message.id, step: record.step, total, loss: record.loss });
        },
      });
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
