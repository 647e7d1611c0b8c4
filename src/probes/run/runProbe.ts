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
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BackendPreference } from '../../models/backend/index.js';
import type { CellConfig } from '../cell/CellConfig.js';
import type { CellResult } from '../cell/runCell.js';
import { expandGrid, type GridCell } from '../spec/expandGrid.js';
import type { ProbeSpec } from '../spec/ProbeSpec.js';
import { shardCells, type Shard } from '../spec/shard.js';
import type { CellRecord, Versions } from '../store/CellRecord.js';
import { WorkerProcess, type StepEvent } from './WorkerProcess.js';

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

export type ProbeEvent =
  | { type: 'plan'; total: number; done: number; toRun: number; recovered: number; workers: number }
  | { type: 'cell-start'; id: string; config: CellConfig; worker: number; pid: number | undefined }
  | { type: 'step'; id: string; worker: number; step: number; total: number; loss: number }
  | { type: 'cell-end'; id: string; worker: number; status: 'done' | 'failed' | 'retry'; detail: string };

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

/** Attempts per cell within one run when its worker dies. */
const MAX_ATTEMPTS_PER_RUN = 2;

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

  const script = options.workerScript ?? defaultWorkerScript();
  const backend = options.backend ?? 'auto';
  const attempts = new Map<string, number>();
  const live = new Set<WorkerProcess>();
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
          worker = await WorkerProcess.start(script);
          live.add(worker);
          if (aborted()) break;
        }
        const cell = queue.shift()!;
        store.markRunning(cell.id);
        emit({ type: 'cell-start', id: cell.id, config: cell.config, worker: k, pid: worker.pid });
        const checkpointDir = options.checkpointRoot === undefined ? undefined : join(options.checkpointRoot, cell.id);
        const message = { type: 'run' as const, id: cell.id, config: cell.config, backend, ...(checkpointDir !== undefined && { checkpointDir }) };
        const outcome = await worker.run(message, (e: StepEvent) =>
          emit({ type: 'step', id: cell.id, worker: k, ...e }),
        );
        if (outcome.kind === 'done') {
          store.finish(cell.id, outcome.result, outcome.versions);
          done += 1;
          emit({ type: 'cell-end', id: cell.id, worker: k, status: 'done', detail: `answer accuracy ${outcome.result.answer_accuracy.toFixed(3)}` });
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
    await Promise.all(Array.from({ length: workers }, (_, k) => slot(k)));
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return {
    status: aborted() ? 'interrupted' : 'completed',
    total: cells.length,
    skipped,
    done,
    failed,
    recovered,
    wallSeconds: (performance.now() - started) / 1000,
  };
}

/** cellWorker.js beside this module (compiled), or its dist/ twin when this module runs from src/ (tests). */
function defaultWorkerScript(): string {
  const here = fileURLToPath(new URL('./cellWorker.js', import.meta.url));
  if (existsSync(here)) return here;
  const compiled = here.replace(/([\\/])src([\\/]probes[\\/]run[\\/])/, '$1dist$2');
  if (existsSync(compiled)) return compiled;
  throw new Error(`runProbe: no compiled cell worker at ${here} or ${compiled}; run npm run build`);
}
