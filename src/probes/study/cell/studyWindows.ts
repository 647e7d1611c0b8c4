/**
 * studyWindows — a token stream cut into the rows a study cell trains and is
 * scored on.
 *
 * With context C (config.contextLength) and a stream t_0 … t_{n−1}, row r is
 *
 *   row_r = (t_{rC}, t_{rC+1}, …, t_{rC+C}),   r = 0 … W − 1,   W = ⌊(n − 1) / C⌋
 *
 * C + 1 tokens: the first is given (conditioned on, never scored — the "+1"
 * that gives AR its first next-token target), the other C are scored. Rows
 * overlap by that one token, so the scored positions 1 … W·C of the stream
 * are each scored exactly once per pass, and every kind (AR, any-order AR,
 * diffusion with position 0 frozen) is trained and scored on the same C
 * tokens of each row given the same first token. The stream's last
 * (n − 1) mod C tokens are dropped (fewer than C).
 *
 * tokens per epoch = W·C  (≤ n − 1 < U).
 */

/** The W rows of C + 1 tokens of `tokens` (header), as plain arrays. */
export function studyWindows(tokens: ArrayLike<number>, contextLength: number): number[][] {
  const c = contextLength;
  if (!Number.isInteger(c) || c < 1) throw new RangeError(`studyWindows: contextLength = ${c} must be an integer ≥ 1`);
  const count = Math.max(0, Math.floor((tokens.length - 1) / c));
  const rows: number[][] = [];
  for (let r = 0; r < count; r++) {
    const row = new Array<number>(c + 1);
    for (let i = 0; i <= c; i++) row[i] = tokens[r * c + i]!;
    rows.push(row);
  }
  return rows;
}
