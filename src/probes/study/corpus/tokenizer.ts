/**
 * The interface shared by the corpus tokenizers (CharTokenizer, BpeTokenizer,
 * TaskTokenizer): text → Int32Array of ids in [0, vocabSize) and back. Ids 0–2 are the
 * special tokens of SPECIAL_TOKENS (<pad>, <unk>, [MASK]). decode(encode(t))
 * equals t whenever every character of t was in the training text.
 */
export interface Tokenizer {
  /** 'char', 'bpe' or 'task'. */
  readonly kind: string;
  /** Number of ids, specials included. */
  readonly vocabSize: number;
  /** The ids of `text`; characters outside the vocabulary become <unk>. */
  encode(text: string): Int32Array;
  /** The text of `ids` (specials rendered as SPECIAL_TOKENS.decoded). */
  decode(ids: ArrayLike<number>): string;
  /** The string a single id stands for (specials by their names). */
  tokenText(id: number): string;
}
