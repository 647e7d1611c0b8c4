/**
 * BitBuilder — the small word-level instruction set that every gate lowers to.
 *
 * Bit-slicing (Biham 1997) packs 32 (JS) or 128 (WASM SIMD) independent input
 * vectors into the lanes of one machine word, so one bitwise instruction
 * evaluates a gate on all of them. Each gate kind knows how to express itself
 * with `and`/`or`/`xor`/`not` over such words (see gates.ts); the evaluators
 * only execute the resulting straight-line program.
 *
 * A `Bit` is an SSA value id (>= 0) or one of the two constants below, so
 * builders can fold constants while lowering.
 */
export type Bit = number;

/** The all-zeros word. */
export const ZERO: Bit = -1;
/** The all-ones word. */
export const ONE: Bit = -2;

export interface BitBuilder {
  and(xs: readonly Bit[]): Bit;
  or(xs: readonly Bit[]): Bit;
  xor(xs: readonly Bit[]): Bit;
  not(x: Bit): Bit;
}
