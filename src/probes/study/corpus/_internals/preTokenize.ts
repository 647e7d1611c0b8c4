/**
 * The pre-tokenizer of the BPE tokenizer: cuts text into chunks inside which
 * merges happen and across which they never do. GPT-2-like, on characters:
 *   ` ?\p{L}+`            a run of letters, with at most one leading space
 *   ` ?\p{N}+`            a run of digits, with at most one leading space
 *   ` ?[^\s\p{L}\p{N}]+`  a run of other symbols (punctuation), same
 *   `\s+(?= \S)`          whitespace up to, not including, a space that
 *                         starts a word (that space goes to the word)
 *   `\s+`                 any other whitespace run, whole (e.g. '\n\n'
 *                         before a word, trailing spaces)
 * The alternatives cover every character, so the chunks concatenate back to
 * the text exactly; that is what makes decode a plain concatenation.
 */

const CHUNK = / ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?= \S)|\s+/gu;

/** The chunks of `text`, in order; their concatenation is `text`. */
export function preTokenize(text: string): string[] {
  return text.match(CHUNK) ?? [];
}

/** Each distinct chunk of `text` with the number of times it occurs. */
export function countChunks(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of text.matchAll(CHUNK)) {
    const chunk = m[0];
    counts.set(chunk, (counts.get(chunk) ?? 0) + 1);
  }
  return counts;
}
