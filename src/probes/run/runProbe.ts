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
import type { CellConfig } from '../cell/CellConfig.js';
import type { CellResult } from '../cell/runCell.js';
import { expandGrid, type GridCell } from '../spec/expandGrid.js';
import type { ProbeSpec } from '../spec/ProbeSpec.js';
import { shardCells, type Shard } from '../spec/shard.js';
import type { CellRecord, Versions } from '../store/CellRecord.js';
import type { PoolJob } from './_internals/cellPool.js';
import { runGrid, type RunEvent, type RunOptions, type RunSummary } from './_internals/runGrid.js';

export type { RunEvent };

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

export type ProbeEvent = RunEvent<CellConfig>;

const PROBE_JOB: PoolJob<'probe-cell'> = {
  kind: 'probe-cell',
  label: (c) => `${c.task} d=${c.depth} ${c.model} L=${c.layers} seed ${c.seed}`,
  detail: (r) => `answer accuracy ${r.answer_accuracy.toFixed(3)}`,
};

export interface RunProbeOptions extends RunOptions<CellConfig> {
  shard?: Shard;
}

export type ProbeSummary = RunSummary;

export async function runProbe(spec: ProbeSpec, store: ProbeStore, options: RunProbeOptions = {}): Promise<ProbeSummary> {
  const grid = expandGrid(spec);
  const cells: GridCell[] = options.shard ? shardCells(grid, options.shard) : grid;
  store.recordSpec(spec, spec.name ?? 'probe');
  return runGrid(
    cells,
    {
      addCells: (configs) => store.addCells(configs),
      recoverInterrupted: () => store.recoverInterrupted(),
      status: (id) => store.record(id)?.status,
      markRunning: (id) => store.markRunning(id),
      finish: (id, result, versions) => store.finish(id, result, versions),
      fail: (id, error) => store.fail(id, error),
    },
    PROBE_JOB,
    options,
  );
}
