/** Test helpers for the backbones: deterministic token rows and array comparison. */

/** `batch` rows of `seq` token ids in [0, vocab) from a small LCG (deterministic, no Math.random). */
export function randomTokens(seed: number, batch: number, seq: number, vocab: number): number[][] {
  let s = seed;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % vocab;
  };
  return Array.from({ length: batch }, () => Array.from({ length: seq }, next));
}

/** max_i |a_i − b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return d;
}
