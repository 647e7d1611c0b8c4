/**
 * runStudy — runs a data-constrained study's cells into the run store
 * (RunStore.study): expand the spec, keep this shard's cells, skip the done
 * ones, and run the rest on the worker pool (_internals/cellPool.ts), the
 * longest first (estimated by U·E, diffusion counted at its evaluation cost),
 * so the last cells in flight are short ones.
 *
 * Guarantees as for runProbe: a cell is 'done' once, with its whole result;
 * re-running a spec runs only what is not done; cells left 'running' by an
 * interrupted run are run again from step 0; a worker that dies mid-cell is
 * replaced and its cell retried once, then 'failed'. An abort (the CLI's
 * SIGINT) stops dispatching and ends the workers; with a checkpointRoot each
 * cell in flight first saves a checkpoint after its current step and resumes
 * from it, bit for bit, next time — except cells with dropout, whose running
 * dropout stream a checkpoint does not hold: they rerun from step 0
 * (studyCellCheckpointable).
 *
 * Before anything runs, each distinct data setting is checked against its
 * largest U (the corpus or task must hold that many unique tokens), so a
 * budget the data cannot meet is a one-line ProbeSpecError, not a column of
 * failed cells.
 */
import { ProbeSpecError } from '../spec/ProbeSpecError.js';
import { shardCells, type Shard } from '../spec/shard.js';
import type { Versions } from '../store/CellRecord.js';
import type { StudyCellRecord } from '../store/StudyCellRecord.js';
import type { StudyCellConfig } from '../study/cell/StudyCellConfig.js';
import type { StudyCellResult } from '../study/cell/runStudyCell.js';
import { studyCellData } from '../study/cell/studyCellData.js';
import { StudyCorpusError } from '../study/corpus/index.js';
import { expandStudyGrid, type StudyGridCell } from '../study/spec/expandStudyGrid.js';
import type { StudySpec } from '../study/spec/StudySpec.js';
import type { PoolJob } from './_internals/cellPool.js';
import { runGrid, type RunEvent, type RunOptions, type RunSummary } from './_internals/runGrid.js';

/** What runStudy needs of a store (RunStore with its study cells implements it). */
export interface StudyStore {
  recordSpec(spec: unknown, name: string): void;
  study: {
    addCells(configs: StudyCellConfig[]): number;
    recoverInterrupted(): number;
    record(id: string): StudyCellRecord | undefined;
    markRunning(id: string): void;
    finish(id: string, result: StudyCellResult, versions: Versions): void;
    fail(id: string, error: string): void;
  };
}

export type StudyEvent = RunEvent<StudyCellConfig>;

export interface RunStudyOptions extends RunOptions<StudyCellConfig> {
  shard?: Shard;
}

export type StudySummary = RunSummary;

/** A cell's short name in progress lines. */
export function studyCellLabel(c: StudyCellConfig): string {
  const variant = [c.orders !== undefined && c.orders > 1 ? `N=${c.orders}` : '', c.dropout > 0 ? `dropout ${c.dropout}` : '', c.attentionDropout > 0 ? `attn-drop ${c.attentionDropout}` : '']
    .filter(Boolean)
    .join(' ');
  return `${c.model}${variant ? ` ${variant}` : ''} U=${c.uniqueTokens} E=${c.epochs} L=${c.layers} d=${c.dModel} seed ${c.seed}`;
}

const STUDY_JOB: PoolJob<'study-cell'> = {
  kind: 'study-cell',
  label: studyCellLabel,
  detail: (r) => `best held-out ${r.best_bits_per_token.toFixed(3)} bits/token at epoch ${r.best_epoch.toFixed(2)}, final ${r.curve.at(-1)?.bits_per_token.toFixed(3) ?? 'n/a'}`,
};

/** Relative cost of a kind's cell per training token (its held-out NELBO costs diffusion extra passes). */
const COST: Record<StudyCellConfig['model'], number> = { ar: 1, 'ar-orders': 1.1, diffusion: 1.5 };

export async function runStudy(spec: StudySpec, store: StudyStore, options: RunStudyOptions = {}): Promise<StudySummary> {
  const grid = expandStudyGrid(spec);
  const cells: StudyGridCell[] = options.shard ? shardCells(grid, options.shard) : grid;
  checkBudgets(cells);
  store.recordSpec(spec, spec.name ?? 'study');
  const study = store.study;
  const cost = (c: StudyCellConfig) => c.uniqueTokens * c.epochs * COST[c.model];
  return runGrid(
    cells,
    {
      addCells: (configs) => study.addCells(configs),
      recoverInterrupted: () => study.recoverInterrupted(),
      status: (id) => study.record(id)?.status,
      markRunning: (id) => study.markRunning(id),
      finish: (id, result, versions) => study.finish(id, result, versions),
      fail: (id, error) => study.fail(id, error),
    },
    STUDY_JOB,
    options,
    (queue) => [...queue].sort((a, b) => cost(b.config) - cost(a.config)), // stable: ties keep the grid's order
  );
}

/** The fields that decide a cell's tokens (studyCellData). */
const DATA_FIELDS = ['corpus', 'bpeVocabSize', 'corpusSeed', 'heldOutTokens', 'contextLength', 'task', 'group', 'taskDepth', 'taskFormat'] as const;

/** The largest U of each distinct data setting must fit its corpus (header). */
function checkBudgets(cells: readonly StudyGridCell[]): void {
  const largest = new Map<string, StudyCellConfig>();
  for (const { config } of cells) {
    const key = JSON.stringify(DATA_FIELDS.map((field) => (config as Record<string, unknown>)[field] ?? null));
    const seen = largest.get(key);
    if (seen === undefined || config.uniqueTokens > seen.uniqueTokens) largest.set(key, config);
  }
  for (const config of largest.values()) {
    try {
      studyCellData(config);
    } catch (error) {
      if (error instanceof StudyCorpusError) throw new ProbeSpecError('uniqueTokens', `spec: uniqueTokens ${config.uniqueTokens}: ${error.message}`);
      throw error;
    }
  }
}
