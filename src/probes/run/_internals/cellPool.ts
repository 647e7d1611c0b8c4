/**
 * cellPool — the worker pool shared by runProbe and runStudy: it runs a
 * queue of cells of one job kind on `workers` child processes (one cell per
 * worker at a time; tfjs trains on one thread) and writes each outcome to the
 * store, the parent being its only writer.
 *
 *   done          store.finish(id, result, versions)
 *   failed        store.fail(id, error)               (training threw)
 *   interrupted   nothing: the cell stays 'running' with its checkpoint
 *   died          the worker is replaced and the cell requeued once more in
 *                 this run, then store.fail(id, reason + attempts); after an
 *                 abort nothing (it stays 'running' for the next run to recover)
 *
 * An abort stops dispatching and stops every live worker (SIGTERM: a probe
 * cell with a checkpoint folder saves one first).
 */
import { join } from 'node:path';
import type { BackendPreference } from '../../../models/backend/index.js';
import type { Versions } from '../../store/CellRecord.js';
import type { Jobs, JobKind, RunMessage } from '../protocol.js';
import { WorkerProcess, type StepEvent } from '../WorkerProcess.js';

/** What the pool needs of a store for one job kind (RunStore, RunStore.study). */
export interface PoolStore<R> {
  markRunning(id: string): void;
  finish(id: string, result: R, versions: Versions): void;
  fail(id: string, error: string): void;
}

/** Events of one cell; `label` is a short human name of its config. */
export type PoolEvent<C> =
  | { type: 'cell-start'; id: string; config: C; label: string; worker: number; pid: number | undefined }
  | { type: 'step'; id: string; worker: number; step: number; total: number; loss: number }
  | { type: 'cell-end'; id: string; worker: number; status: 'done' | 'failed' | 'retry'; detail: string };

export interface PoolJob<K extends JobKind> {
  kind: K;
  label(config: Jobs[K]['config']): string;
  /** The one-line summary of a finished cell's result. */
  detail(result: Jobs[K]['result']): string;
}

export interface PoolOptions<K extends JobKind> {
  workers: number;
  backend: BackendPreference;
  script: string;
  signal?: AbortSignal;
  onEvent: (event: PoolEvent<Jobs[K]['config']>) => void;
  /** Checkpoint folders (one per cell id) for jobs that can checkpoint. */
  checkpointRoot?: string;
}

/** Attempts per cell within one run when its worker dies. */
const MAX_ATTEMPTS_PER_RUN = 2;

export async function runCellPool<K extends JobKind>(
  queue: { id: string; config: Jobs[K]['config'] }[],
  store: PoolStore<Jobs[K]['result']>,
  job: PoolJob<K>,
  options: PoolOptions<K>,
): Promise<{ done: number; failed: number }> {
  const attempts = new Map<string, number>();
  const live = new Set<WorkerProcess>();
  const emit = options.onEvent;
  let done = 0;
  let failed = 0;
  const aborted = () => options.signal?.aborted === true;
  const onAbort = () => {
    for (const w of live) void w.stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const slot = async (k: number): Promise<void> => {
    let worker: WorkerProcess | undefined;
    try {
      while (queue.length > 0 && !aborted()) {
        if (!worker) {
          worker = await WorkerProcess.start(options.script);
          live.add(worker);
          if (aborted()) break;
        }
        const cell = queue.shift()!;
        store.markRunning(cell.id);
        emit({ type: 'cell-start', id: cell.id, config: cell.config, label: job.label(cell.config), worker: k, pid: worker.pid });
        const checkpointDir = options.checkpointRoot === undefined ? undefined : join(options.checkpointRoot, cell.id);
        // The message of job K carries K's config (protocol.ts); TypeScript cannot follow the generic here.
        const message = { type: 'run', job: job.kind, id: cell.id, config: cell.config, backend: options.backend, ...(checkpointDir !== undefined && { checkpointDir }) } as RunMessage;
        const outcome = await worker.run(message, (e: StepEvent) => emit({ type: 'step', id: cell.id, worker: k, ...e }));
        if (outcome.kind === 'done') {
          const result = outcome.result as Jobs[K]['result'];
          store.finish(cell.id, result, outcome.versions);
          done += 1;
          emit({ type: 'cell-end', id: cell.id, worker: k, status: 'done', detail: job.detail(result) });
        } else if (outcome.kind === 'failed') {
          store.fail(cell.id, outcome.error);
          failed += 1;
          emit({ type: 'cell-end', id: cell.id, worker: k, status: 'failed', detail: outcome.error });
        } else if (outcome.kind === 'interrupted') {
          // Aborted mid-cell: it stays 'running' with its checkpoint; the next run recovers and resumes it.
          live.delete(worker);
          worker = undefined;
          break;
        } else {
          live.delete(worker);
          worker = undefined;
          // Aborted: the cell stays 'running', and the next run recovers it.
          if (aborted()) break;
          const n = (attempts.get(cell.id) ?? 0) + 1;
          attempts.set(cell.id, n);
          if (n < MAX_ATTEMPTS_PER_RUN) {
            queue.push(cell); // markRunning counts the new attempt
            emit({ type: 'cell-end', id: cell.id, worker: k, status: 'retry', detail: outcome.reason });
          } else {
            store.fail(cell.id, `${outcome.reason} (${n} attempts)`);
            failed += 1;
            emit({ type: 'cell-end', id: cell.id, worker: k, status: 'failed', detail: outcome.reason });
          }
        }
      }
    } finally {
      if (worker) {
        live.delete(worker);
        await worker.stop();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.workers }, (_, k) => slot(k)));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return { done, failed };
}
