/**
 * A character-level tokenizer. The vocabulary is the sorted set of characters
 * (Unicode code points, ordered by code point) of a training text, after the
 * three specials: ids 0 <pad>, 1 <unk>, 2 [MASK] (SPECIAL_TOKENS), then one id
 * per character from 3 upward. encode maps each code point to its id
 * (<unk> when unseen); decode concatenates; the round trip is exact on text
 * made of covered characters.
 */
import { SPECIAL_TOKENS } from './specialTokens.js';
import type { Tokenizer } from './tokenizer.js';

/** The stored form of a CharTokenizer. */
export interface CharTokenizerJson {
  kind: 'char';
  /** The characters in id order (id = index + 3). */
  alphabet: string[];
}

export class CharTokenizer implements Tokenizer {
  readonly kind = 'char';
  readonly vocabSize: number;
  /** The characters in id order (id = index + SPECIAL_TOKENS.count). */
  readonly alphabet: readonly string[];
  /** Code point → id for the BMP (0 = not in the alphabet); astral ones in a Map. */
  private readonly bmpIds = new Int32Array(0x10000);
  private readonly astralIds = new Map<number, number>();
  /** Id → code point (−1 for the specials). */
  private readonly points: Int32Array;

  private constructor(alphabet: readonly string[]) {
    this.alphabet = Object.freeze([...alphabet]);
    this.vocabSize = SPECIAL_TOKENS.count + alphabet.length;
    this.points = new Int32Array(this.vocabSize).fill(-1);
    alphabet.forEach((ch, i) => {
      const point = ch.codePointAt(0) ?? 0;
      const id = i + SPECIAL_TOKENS.count;
      this.points[id] = point;
      if (point < 0x10000) this.bmpIds[point] = id;
      else this.astralIds.set(point, id);
    });
  }

  /** The tokenizer whose alphabet is the set of characters of `text`. */
  static train(text: string): CharTokenizer {
    const points = new Set<number>();
    for (const ch of text) points.add(ch.codePointAt(0) ?? 0);
    const sorted = [...points].sort((a, b) => a - b);
    return new CharTokenizer(sorted.map((p) => String.fromCodePoint(p)));
  }

  static fromJSON(json: unknown): CharTokenizer {
    const j = json as Partial<CharTokenizerJson> | null;
    const alphabet = j?.alphabet;
    const valid =
      j?.kind === 'char' &&
      Array.isArray(alphabet) &&
      alphabet.every((c) => typeof c === 'string' && [...c].length === 1) &&
      new Set(alphabet).size === alphabet.length;
    if (!valid) throw new Error("CharTokenizer.fromJSON: expected { kind: 'char', alphabet: distinct single characters }");
    return new CharTokenizer(alphabet);
  }

  toJSON(): CharTokenizerJson {
    return { kind: 'char', alphabet: [...this.alphabet] };
  }

  encode(text: string): Int32Array {
    const out = new Int32Array(text.length); // ≥ the number of code points
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit < 0xd800 || unit > 0xdbff) {
        out[n++] = this.bmpIds[unit] || SPECIAL_TOKENS.unk;
        continue;
      }
      const point = text.codePointAt(i) ?? unit;
      if (point > 0xffff) i++;
      out[n++] = (point > 0xffff ? this.astralIds.get(point) : this.bmpIds[point]) || SPECIAL_TOKENS.unk;
    }
    return n === out.length ? out : out.slice(0, n);
  }

  decode(ids: ArrayLike<number>): string {
    const parts: string[] = [];
    const points: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] ?? SPECIAL_TOKENS.unk;
      const point = this.points[id];
      if (point !== undefined && point >= 0) points.push(point);
      else parts.push(String.fromCodePoint(...points.splice(0)), this.piece(id));
      if (points.length >= 4096) parts.push(String.fromCodePoint(...points.splice(0)));
    }
    parts.push(String.fromCodePoint(...points));
    return parts.join('');
  }

  tokenText(id: number): string {
    return id >= 0 && id < SPECIAL_TOKENS.count ? (SPECIAL_TOKENS.names[id] ?? '') : this.piece(id);
  }

  private piece(id: number): string {
    if (id >= 0 && id < SPECIAL_TOKENS.count) return SPECIAL_TOKENS.decoded[id] ?? '';
    const ch = this.alphabet[id - SPECIAL_TOKENS.count];
    if (ch === undefined) throw new Error(`CharTokenizer.decode: id ${id} outside the vocabulary [0, ${this.vocabSize})`);
    return ch;
  }
}
