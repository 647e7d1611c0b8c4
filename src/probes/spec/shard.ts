/**
 * shard — the deterministic slice of a grid that one of N machines runs:
 * cell k of the expansion order goes to shard k mod N. Every cell lands in
 * exactly one shard, shards differ in size by at most one, and the slice
 * depends only on the spec, so N machines given the same spec partition it.
 *
 * `--shard i/N` gives it on the command line; without it, a SLURM array job
 * (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT; the task id taken relative to
 * SLURM_ARRAY_TASK_MIN, 0 by default) gives it; otherwise the whole grid.
 */
export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

export class ShardError extends Error {
  override readonly name = 'ShardError';
}

export function shardCells<T>(cells: readonly T[], shard: Shard): T[] {
  return cells.filter((_, k) => k % shard.count === shard.index);
}

/** "i/N" with 0 ≤ i < N. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || !(count >= 1) || !(index < count)) {
    throw new ShardError(`--shard ${JSON.stringify(text)}: use i/N with 0 ≤ i < N, e.g. --shard 0/4`);
  }
  return { index, count };
}

/** The shard a SLURM array task runs, or undefined outside an array job. */
export function shardFromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): Shard | undefined {
  const id = env['SLURM_ARRAY_TASK_ID'];
  const count = env['SLURM_ARRAY_TASK_COUNT'];
  if (id === undefined || count === undefined) return undefined;
  const min = Number(env['SLURM_ARRAY_TASK_MIN'] ?? '0');
  const index = Number(id) - min;
  const n = Number(count);
  if (!Number.isInteger(index) || !Number.isInteger(n) || n < 1 || index < 0 || index >= n) {
    throw new ShardError(
      `SLURM_ARRAY_TASK_ID=${id} (min ${min}) and SLURM_ARRAY_TASK_COUNT=${count} do not name a shard; use a contiguous array, e.g. --array=0-3`,
    );
  }
  return { index, count: n };
}
