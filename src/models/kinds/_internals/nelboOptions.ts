/**
 * Option and input checks shared by the MDLM NELBO estimators: the common
 * options with their defaults (given = 0, s_max = 1, batchSize = 64), the mask
 * rate s_max ∈ (0, 1], and clean held-out rows (at least `given` long, no [MASK]).
 */
import type { Rows } from '../maskedCrossEntropy.js';
import type { MdlmNelboOptions } from '../mdlmNelboTypes.js';

/** The common options with their defaults, checked; `what` names the caller in errors. */
export function commonOptions(options: MdlmNelboOptions, what: string): Required<MdlmNelboOptions> {
  const given = options.given ?? 0;
  const maxMaskRate = options.maxMaskRate ?? 1;
  const batchSize = options.batchSize ?? 64;
  if (!Number.isInteger(given) || given < 0) throw new Error(`${what}: given = ${given} must be an integer ≥ 0`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${what}: batchSize = ${batchSize} must be an integer ≥ 1`);
  checkRate(maxMaskRate, what);
  return { maskToken: options.maskToken, given, maxMaskRate, batchSize };
}

/** Throws unless s_max ∈ (0, 1]. */
export function checkRate(s: number, what: string): void {
  if (!(s > 0 && s <= 1)) throw new Error(`${what}: maxMaskRate = ${s} must be in (0, 1]`);
}

/** Throws unless every row is at least `given` long and holds no [MASK]. */
export function checkClean(rows: Rows, maskToken: number, given: number, what: string): void {
  rows.forEach((row, r) => {
    if (row.length < given) throw new Error(`${what}: row ${r} has ${row.length} tokens, fewer than given = ${given}`);
    row.forEach((x, i) => {
      if (x === maskToken) throw new Error(`${what}: [${r}, ${i}] is the [MASK] id ${x}; held-out rows hold no [MASK]`);
    });
  });
}
