/**
 * Turning one Brown sentence (a list of words, tags already stripped) back
 * into running text.
 *
 * Rules, applied token by token; tokens are otherwise joined by one space:
 *   - `` (opening double quote) becomes `"` with no space after it;
 *     '' (closing double quote) becomes `"` with no space before it.
 *   - A lone ' is a single quote; Brown does not say which side it is on, so
 *     inside one sentence the 1st, 3rd, … lone ' open (no space after) and
 *     the 2nd, 4th, … close (no space before).
 *   - No space before , . ; : ! ? ) ] } and no space after ( [ {.
 *   - Everything else — words, `--`, `&`, `-`, `/`, contractions kept whole by
 *     Brown (`didn't`, `Atlanta's`) — is separated by a single space.
 * Whitespace inside the result is single spaces; there is none at either end.
 */

const NO_SPACE_BEFORE = new Set([',', '.', ';', ':', '!', '?', ')', ']', '}']);
const NO_SPACE_AFTER = new Set(['(', '[', '{']);

/** The sentence's words as one line of text (see the rules above). */
export function detokenizeSentence(words: readonly string[]): string {
  let out = '';
  let glueNext = true; // no space before the first token
  let singleQuotes = 0;
  for (const word of words) {
    let text = word;
    let attachLeft = NO_SPACE_BEFORE.has(word);
    let attachRight = NO_SPACE_AFTER.has(word);
    if (word === '``') {
      text = '"';
      attachRight = true;
    } else if (word === "''") {
      text = '"';
      attachLeft = true;
    } else if (word === "'") {
      singleQuotes++;
      if (singleQuotes % 2 === 1) attachRight = true;
      else attachLeft = true;
    }
    if (!glueNext && !attachLeft) out += ' ';
    out += text;
    glueNext = attachRight;
  }
  return out;
}
