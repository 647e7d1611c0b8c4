/**
 * mergeStores — `depthlab merge`: combines run stores (e.g. one per machine
 * running part of a grid) into one.
 *
 * Per cell id: a done copy wins over a pending, running or failed one; of two
 * done copies the first merged (the target's own, then sources in order) is
 * kept, and a conflict is counted when their results differ beyond wall-clock
 * timings (same config on another backend or version). Two unfinished copies:
 * the target's stands. A cell 'running' in a source is added as 'pending':
 * no worker runs it in the target. Specs are added once each. Probe cells
 * and the data-constrained study's cells (schema 2) follow the same rules;
 * the counts cover both.
 *
 * Atomicity: one transaction per source, so an interrupted merge leaves the
 * target with whole sources merged and the rest absent, and re-running it is
 * harmless (every rule above is idempotent). All sources are opened (existence
 * and schema checked) before anything is written, so a mistyped path changes
 * nothing.
 */
import { existsSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { canonicalJson } from '../cell/CellConfig.js';
import type { CellRecord } from './CellRecord.js';
import { RunStore } from './RunStore.js';
import { storeFile } from './_internals/schema.js';

export interface MergeCounts {
  /** Sources merged. */
  merged: number;
  /** Sources skipped: the target itself, or a file already merged in this call. */
  skipped: string[];
  /** Cells new to the target. */
  added: number;
  /** Unfinished target cells replaced by a done copy. */
  replaced: number;
  /** Source cells the target already had in an equal or better state. */
  kept: number;
  /** Ids whose done copies differ in their results (the first copy was kept). */
  conflicts: string[];
  /** Specs new to the target. */
  specs: number;
}

/** Wall-clock and environment text: differ between two runs of one config without a different result. */
const UNCOMPARED: readonly string[] = ['train_tokens_per_s', 'train_seconds', 'eval_seconds', 'data_seconds', 'backend_reason'];

export function mergeStores(target: string, sources: readonly string[]): MergeCounts {
  const counts: MergeCounts = { merged: 0, skipped: [], added: 0, replaced: 0, kept: 0, conflicts: [], specs: 0 };
  const targetFile = identity(storeFile(target));
  const seen = new Set<string>([targetFile]);
  const opened: RunStore[] = [];
  try {
    for (const source of sources) {
      const file = storeFile(source);
      const key = identity(file);
      if (seen.has(key)) {
        counts.skipped.push(file);
        continue;
      }
      seen.add(key);
      // Readonly open: a missing path or an unreadable schema fails here, in one line naming it.
      opened.push(RunStore.open(file, { readonly: true }));
    }
    const into = RunStore.open(target);
    try {
      for (const source of opened) {
        into.transaction(() => mergeOne(into, source, counts));
        counts.merged += 1;
      }
    } finally {
      into.close();
    }
  } finally {
    for (const store of opened) store.close();
  }
  return counts;
}

function mergeOne(into: RunStore, source: RunStore, counts: MergeCounts): void {
  const known = new Set(into.specs().map((s) => s.hash));
  for (const spec of source.specs()) {
    if (known.has(spec.hash)) continue;
    into.recordSpec(spec.spec, spec.name, spec.createdAt);
    counts.specs += 1;
  }
  for (const theirs of source.records()) {
    mergeRecord(counts, theirs, into.record(theirs.id), (r) => r.metrics, (r) => into.put(r, r.status === 'done' ? source.curve(r.id) : []));
  }
  for (const theirs of source.study.records()) {
    mergeRecord(counts, theirs, into.study.record(theirs.id), (r) => r.result, (r) => into.study.put(r));
  }
}

/** The rules of the header for one source record against the target's copy (if any). */
function mergeRecord<R extends { id: string; status: CellRecord['status'] }>(
  counts: MergeCounts,
  theirs: R,
  ours: R | undefined,
  result: (record: R) => object | null,
  put: (record: R) => void,
): void {
  if (ours === undefined) {
    put(theirs.status === 'running' ? { ...theirs, status: 'pending' } : theirs);
    counts.added += 1;
  } else if (theirs.status === 'done' && ours.status !== 'done') {
    put(theirs);
    counts.replaced += 1;
  } else {
    if (theirs.status === 'done' && ours.status === 'done' && !sameResult(result(ours), result(theirs))) {
      if (!counts.conflicts.includes(theirs.id)) counts.conflicts.push(theirs.id);
    }
    counts.kept += 1;
  }
}

function sameResult(a: object | null, b: object | null): boolean {
  const comparable = (m: object | null): string =>
    canonicalJson(m && Object.fromEntries(Object.entries(m).filter(([key]) => !UNCOMPARED.includes(key))));
  return comparable(a) === comparable(b);
}

/** One key per file, so a source given twice, by another path or a symlink, or equal to the target, is noticed. */
function identity(file: string): string {
  return existsSync(file) ? realpathSync(file) : resolve(file);
}
