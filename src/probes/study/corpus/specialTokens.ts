/**
 * The special tokens every depthlab corpus tokenizer reserves, always at the
 * same ids so that models and losses can rely on them:
 *   0 `<pad>`  — padding; decodes to nothing.
 *   1 `<unk>`  — a character the tokenizer was not trained on; decodes to
 *                U+FFFD (�).
 *   2 `[MASK]` — the absorbing state of masked diffusion; never produced by
 *                encode; decodes to U+2588 (█) so masked text stays readable.
 * Ordinary tokens start at id 3 (SPECIAL_TOKENS.count).
 */
export const SPECIAL_TOKENS = Object.freeze({
  pad: 0,
  unk: 1,
  mask: 2,
  count: 3,
  names: Object.freeze(['<pad>', '<unk>', '[MASK]'] as const),
  /** What decode writes for each special id (index = id). */
  decoded: Object.freeze(['', '\uFFFD', '\u2588'] as const),
});
