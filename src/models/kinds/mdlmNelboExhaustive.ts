/**
 * The exact MDLM NELBO of each row, by enumeration instead of sampling: every
 * nonempty mask M of the n free positions, each weighted W_|M| / C(n, |M|),
 *
 *   NELBO(x) = Σ_{M ≠ ∅} (W_|M| / C(n, |M|)) · Σ_{i∈M} ℓ_i(M)
 *
 * (the count form of mdlmElbo.ts's header with the expectation over uniform
 * k-subsets written out): zero variance, 2ⁿ − 1 denoiser rows per row, n ≤ 16.
 */
import { evaluateMasks } from './_internals/evaluateMasks.js';
import { binomials } from './_internals/maskSampling.js';
import { checkClean, commonOptions } from './_internals/nelboOptions.js';
import { maskCountWeights } from './maskCountWeights.js';
import type { Rows } from './maskedCrossEntropy.js';
import type { Denoiser, MdlmNelboOptions } from './mdlmNelboTypes.js';

/** The most free positions mdlmNelboExhaustive enumerates (2ⁿ − 1 masks per row). */
const EXHAUSTIVE_MAX_FREE = 16;

/**
 * The exact NELBO of each row (nats) by enumerating every nonempty mask of
 * its free positions, weight W_|M| / C(n, |M|) each: zero variance, for rows
 * with at most 16 free positions.
 */
export function mdlmNelboExhaustive(sequences: Rows, denoiser: Denoiser, options: MdlmNelboOptions): number[] {
  const { maskToken, given, maxMaskRate, batchSize } = commonOptions(options, 'mdlmNelboExhaustive');
  checkClean(sequences, maskToken, given, 'mdlmNelboExhaustive');
  const nats = new Array<number>(sequences.length).fill(0);
  evaluateMasks(sequences, denoiser, maskToken, batchSize, function* (r) {
    const row = sequences[r]!;
    const n = row.length - given;
    if (n > EXHAUSTIVE_MAX_FREE) throw new Error(`mdlmNelboExhaustive: row ${r} has ${n} free positions; at most ${EXHAUSTIVE_MAX_FREE} are enumerated`);
    const w = maskCountWeights(n, maxMaskRate);
    const choose = binomials(n);
    for (let bits = 1; bits < 2 ** n; bits++) {
      const masked: number[] = [];
      for (let i = 0; i < n; i++) if ((bits >> i) & 1) masked.push(given + i);
      const weight = w[masked.length]! / choose[masked.length]!;
      yield {
        row: r,
        masked,
        done: (logP: ArrayLike<number>, offset: number) => {
          let loss = 0;
          for (const i of masked) loss -= logP[offset + i] ?? Number.NaN;
          nats[r] = nats[r]! + weight * loss;
        },
      };
    }
  });
  return nats;
}
