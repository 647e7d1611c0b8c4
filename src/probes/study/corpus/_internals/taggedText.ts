/**
 * Reading one Brown corpus file in NLTK's tagged format (Form C).
 *
 * The format: paragraphs are blocks separated by one or more blank lines;
 * inside a block every non-empty line is one sentence (the first is indented
 * by a tab); a sentence is whitespace-separated `word/tag` tokens. A word may
 * itself contain '/' (fractions such as `1/2/cd`, the word `/`), so the tag is
 * whatever follows the LAST '/'. A token without any '/' is kept whole.
 *
 * Algorithm: split on /\n[ \t]*\n/ into blocks, each block into lines, each
 * line on whitespace; drop empty lines, empty blocks and the tags.
 */

/** A paragraph is a list of sentences; a sentence is a list of words. */
export type TaggedParagraph = string[][];

/** The paragraphs of one tagged file, tags stripped, in file order. */
export function parseTaggedText(raw: string): TaggedParagraph[] {
  const paragraphs: TaggedParagraph[] = [];
  for (const block of raw.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)) {
    const sentences: string[][] = [];
    for (const line of block.split('\n')) {
      const tokens = line.trim().split(/\s+/).filter((t) => t.length > 0);
      if (tokens.length === 0) continue;
      sentences.push(tokens.map(stripTag));
    }
    if (sentences.length > 0) paragraphs.push(sentences);
  }
  return paragraphs;
}

/** `word/tag` → `word` (split at the last '/'); `word` alone stays. */
export function stripTag(token: string): string {
  const slash = token.lastIndexOf('/');
  return slash > 0 ? token.slice(0, slash) : token;
}
