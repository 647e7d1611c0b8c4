/**
 * runGrid — what runProbe and runStudy share once their spec is expanded and
 * sharded: put the cells in the store, recover the ones an interrupted run
 * left 'running', skip the done ones, and run the rest (pending, and failed
 * with retryFailed) on the worker pool in `order`, reporting the plan first.
 */
import { availableParallelism } from 'node:os';
import type { BackendPreference } from '../../../models/backend/index.js';
import type { CellStatus } from '../../store/CellRecord.js';
import type { Jobs, JobKind } from '../protocol.js';
import { runCellPool, type PoolEvent, type PoolJob, type PoolStore } from './cellPool.js';
import { defaultWorkerScript } from './workerScript.js';

/** The plan of a run (probe or study), then its cells' events. */
export type RunEvent<C> = { type: 'plan'; total: number; done: number; toRun: number; recovered: number; workers: number } | PoolEvent<C>;

/** The options every run takes (a probe's and a study's add their shard). */
export interface RunOptions<C> {
  /** Worker processes; default one per core. */
  workers?: number;
  backend?: BackendPreference;
  retryFailed?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent<C>) => void;
  /**
   * Where cells checkpoint when the run is aborted (one folder per cell id):
   * the cells in flight resume from their last step next time instead of
   * from the start. Without it they restart.
   */
  checkpointRoot?: string;
  /** The compiled cellWorker.js (default: beside the run modules, or in dist/ when running from source). */
  workerScript?: string;
}

export interface RunSummary {
  status: 'completed' | 'interrupted';
  /** Cells in this shard of the grid. */
  total: number;
  /** Already done before this run. */
  skipped: number;
  done: number;
  failed: number;
  recovered: number;
  wallSeconds: number;
}

/** One kind of cell in a store: adding, recovery, status, and the pool's writes. */
export interface GridStore<K extends JobKind> extends PoolStore<Jobs[K]['result']> {
  addCells(configs: Jobs[K]['config'][]): number;
  recoverInterrupted(): number;
  status(id: string): CellStatus | undefined;
}

type Cell<K extends JobKind> = { id: string; config: Jobs[K]['config'] };

export async function runGrid<K extends JobKind>(
  cells: Cell<K>[],
  store: GridStore<K>,
  job: PoolJob<K>,
  options: RunOptions<Jobs[K]['config']>,
  order: (queue: Cell<K>[]) => Cell<K>[] = (queue) => queue,
): Promise<RunSummary> {
  const started = performance.now();
  store.addCells(cells.map((c) => c.config));
  const recovered = store.recoverInterrupted();
  const skipped = cells.filter((c) => store.status(c.id) === 'done').length;
  const queue = order(cells.filter((c) => store.status(c.id) === 'pending' || (options.retryFailed === true && store.status(c.id) === 'failed')));
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), queue.length || 1));
  const emit = options.onEvent ?? (() => {});
  emit({ type: 'plan', total: cells.length, done: skipped, toRun: queue.length, recovered, workers });
  const { done, failed } = await runCellPool(queue, store, job, {
    workers,
    backend: options.backend ?? 'auto',
    script: options.workerScript ?? defaultWorkerScript(),
    onEvent: emit,
    ...(options.signal && { signal: options.signal }),
    ...(options.checkpointRoot !== undefined && { checkpointRoot: options.checkpointRoot }),
  });
  return {
    status: options.signal?.aborted === true ? 'interrupted' : 'completed',
    total: cells.length,
    skipped,
    done,
    failed,
    recovered,
    wallSeconds: (performance.now() - started) / 1000,
  };
}
