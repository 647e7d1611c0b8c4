/**
 * The batching loop of the MDLM NELBO estimators: every masked copy of every
 * row (a MaskJob: which row, which positions hold [MASK], what to do with the
 * denoiser's log p_θ(x_i | noisy row)) goes through the denoiser, rows of one
 * length together, `batchSize` copies per call.
 */
import { groupByLength } from '../heldOutBits.js';
import type { Rows } from '../maskedCrossEntropy.js';
import type { Denoiser } from '../mdlmNelboTypes.js';

/** One masked copy of a row to run through the denoiser and what to do with its log-probabilities. */
export interface MaskJob {
  row: number;
  masked: readonly number[];
  done(logP: ArrayLike<number>, offset: number): void;
}

/**
 * Runs every job of every row through the denoiser, rows of one length
 * together, `batchSize` jobs per call; returns the number of denoiser rows.
 */
export function evaluateMasks(sequences: Rows, denoiser: Denoiser, maskToken: number, batchSize: number, jobsOf: (r: number) => Iterable<MaskJob>): number {
  let evaluations = 0;
  for (const [length, indices] of groupByLength(sequences)) {
    let buffer: MaskJob[] = [];
    const flush = (): void => {
      const clean = buffer.map((j) => sequences[j.row]!);
      const noisy = buffer.map((j) => {
        const row = [...sequences[j.row]!];
        for (const i of j.masked) row[i] = maskToken;
        return row;
      });
      const logP = denoiser(noisy, clean);
      if (logP.length !== buffer.length * length) {
        throw new Error(`denoiser returned ${logP.length} values for ${buffer.length} rows of length ${length}`);
      }
      buffer.forEach((j, b) => j.done(logP, b * length));
      evaluations += buffer.length;
      buffer = [];
    };
    for (const r of indices) {
      for (const job of jobsOf(r)) {
        buffer.push(job);
        if (buffer.length >= batchSize) flush();
      }
    }
    if (buffer.length > 0) flush();
  }
  return evaluations;
}
