/**
 * runProbe — runs a probe's cells into its run store: expand the spec, keep
 * this shard's cells, skip the finished ones, and run the rest on a pool of
 * worker processes (one cell per worker at a time; tfjs is single-threaded).
 *
 * Guarantees (the store is the only record, the parent its only writer):
 *   - a cell is 'done' once, with its metrics and curve written together;
 *     re-running a spec runs only what is not done;
 *   - cells left 'running' by an interrupted probe (Ctrl-C, SIGKILL, power
 *     loss) are run again from the start when the probe is run again;
 *   - a worker that dies mid-cell (killed, out of memory) is replaced, and
 *     its cell retried once more in this run, then marked 'failed';
 *   - a cell whose training throws is 'failed' with the one-line error;
 *     `retryFailed` runs failed cells again.
 * An abort (the CLI's SIGINT) stops dispatching and ends the workers; with a
 * checkpointRoot each cell in flight first saves a checkpoint after its
 * current step. The run resolves with status 'interrupted'; those cells stay
 * 'running' until the next run recovers them and resumes them from their
 * checkpoints (or, after a SIGKILL, from the start).
 */
import { availableParallelism } from 'node:os';
import type { BackendPreference } from '../../models/backend/index.js';
import type { CellConfig } from '../cell/CellConfig.js';
import type { CellResult } from '../cell/runCell.js';
import { expandGrid, type GridCell } from '../spec/expandGrid.js';
import type { ProbeSpec } from '../spec/ProbeSpec.js';
import { shardCells, type Shard } from '../spec/shard.js';
import type { CellRecord, Versions } from '../store/CellRecord.js';
import { runCellPool, type PoolEvent, type PoolJob } from './_internals/cellPool.js';
import { defaultWorkerScript } from './_internals/workerScript.js';

/** What runProbe needs of a run store (RunStore implements it). */
export interface ProbeStore {
  recordSpec(spec: unknown, name: string): void;
  addCells(configs: CellConfig[]): number;
  /** 'running' → 'pending' for cells an interrupted run left; returns how many. */
  recoverInterrupted(): number;
  record(id: string): CellRecord | undefined;
  markRunning(id: string): void;
  finish(id: string, result: CellResult, versions: Versions): void;
  fail(id: string, error: string): void;
}

/** The plan of a run (probe or study), then its cells' events. */
export type RunEvent<C> = { type: 'plan'; total: number; done: number; toRun: number; recovered: number; workers: number } | PoolEvent<C>;
export type ProbeEvent = RunEvent<CellConfig>;

const PROBE_JOB: PoolJob<'probe-cell'> = {
  kind: 'probe-cell',
  label: (c) => `${c.task} d=${c.depth} ${c.model} L=${c.layers} seed ${c.seed}`,
  detail: (r) => `answer accuracy ${r.answer_accuracy.toFixed(3)}`,
};

export interface RunProbeOptions {
  /** Worker processes; default one per core. */
  workers?: number;
  backend?: BackendPreference;
  shard?: Shard;
  retryFailed?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: ProbeEvent) => void;
  /**
   * Where cells checkpoint when the probe is aborted (one folder per cell id):
   * an aborted probe's cells in flight resume from their last step next time
   * instead of from the start. Without it they restart.
   */
  checkpointRoot?: string;
  /** The compiled cellWorker.js (default: beside this module, or in dist/ when running from source). */
  workerScript?: string;
}

export interface ProbeSummary {
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

export async function runProbe(spec: ProbeSpec, store: ProbeStore, options: RunProbeOptions = {}): Promise<ProbeSummary> {
  const started = performance.now();
  const grid = expandGrid(spec);
  const cells: GridCell[] = options.shard ? shardCells(grid, options.shard) : grid;
  store.recordSpec(spec, spec.name ?? 'probe');
  store.addCells(cells.map((c) => c.config));
  const recovered = store.recoverInterrupted();
  const statusOf = (id: string) => store.record(id)?.status;
  const skipped = cells.filter((c) => statusOf(c.id) === 'done').length;
  const queue = cells.filter((c) => statusOf(c.id) === 'pending' || (options.retryFailed === true && statusOf(c.id) === 'failed'));
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), queue.length || 1));
  const emit = options.onEvent ?? (() => {});
  emit({ type: 'plan', total: cells.length, done: skipped, toRun: queue.length, recovered, workers });

  const { done, failed } = await runCellPool(queue, store, PROBE_JOB, {
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
