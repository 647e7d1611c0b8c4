/**
 * A byte-pair-encoding tokenizer over characters (trained by trainBpe).
 *
 * Vocabulary: ids 0–2 are the specials (<pad>, <unk>, [MASK]); then the
 * alphabet — the training text's characters sorted by code point; then one id
 * per merge, in merge order, standing for the concatenation of its two parts.
 *
 * Encoding: the text is cut into chunks by the pre-tokenizer
 * (_internals/preTokenize.ts: letters / digits / other symbols with one
 * optional leading space, and whitespace runs); each chunk becomes its
 * characters' ids (<unk> for characters outside the alphabet) and then,
 * repeatedly, the adjacent pair with the lowest merge rank is merged at all
 * its left-to-right non-overlapping places, until no adjacent pair has a
 * merge. This reproduces the segmentation training produced. Decoding
 * concatenates token strings, so decode(encode(t)) = t exactly whenever t
 * uses only alphabet characters. Chunk encodings are cached per instance.
 */
import { preTokenize } from './_internals/preTokenize.js';
import { MAX_PAIR_ID, pairKey } from './_internals/pairKey.js';
import { SPECIAL_TOKENS } from './specialTokens.js';
import type { Tokenizer } from './tokenizer.js';

/** The stored form of a BpeTokenizer. */
export interface BpeTokenizerJson {
  kind: 'bpe';
  version: 1;
  /** The seed recorded at training (training itself is deterministic). */
  seed: number;
  /** The base characters in id order (id = index + 3). */
  alphabet: string[];
  /** Merge k joins ids [a, b] into id 3 + alphabet.length + k. */
  merges: [number, number][];
}

const CACHE_LIMIT = 200_000;

export class BpeTokenizer implements Tokenizer {
  readonly kind = 'bpe';
  readonly vocabSize: number;
  readonly seed: number;
  readonly alphabet: readonly string[];
  readonly merges: readonly (readonly [number, number])[];
  /** The string of every id (specials by their names). */
  readonly vocab: readonly string[];
  private readonly charIds: Map<number, number>;
  private readonly ranks: Map<number, number>; // pair key → merge index
  private readonly firstMergeId: number;
  private readonly cache = new Map<string, Int32Array>();

  constructor(alphabet: readonly string[], merges: readonly (readonly [number, number])[], seed = 0) {
    this.seed = seed;
    this.alphabet = Object.freeze([...alphabet]);
    this.merges = Object.freeze(merges.map(([a, b]) => Object.freeze([a, b] as const)));
    this.firstMergeId = SPECIAL_TOKENS.count + alphabet.length;
    this.vocabSize = this.firstMergeId + merges.length;
    if (this.vocabSize > MAX_PAIR_ID) throw new Error(`BpeTokenizer: vocabulary of ${this.vocabSize} exceeds ${MAX_PAIR_ID}`);
    const vocab: string[] = [...SPECIAL_TOKENS.names, ...alphabet];
    this.charIds = new Map(alphabet.map((ch, i) => [ch.codePointAt(0) ?? 0, i + SPECIAL_TOKENS.count]));
    this.ranks = new Map();
    merges.forEach(([a, b], k) => {
      const id = this.firstMergeId + k;
      const ok = (x: number) => Number.isInteger(x) && x >= SPECIAL_TOKENS.count && x < id;
      if (!ok(a) || !ok(b)) throw new Error(`BpeTokenizer: merge ${k} [${a}, ${b}] must join earlier non-special ids`);
      if (this.ranks.has(pairKey(a, b))) throw new Error(`BpeTokenizer: merge ${k} [${a}, ${b}] repeats an earlier merge`);
      this.ranks.set(pairKey(a, b), k);
      vocab.push((vocab[a] ?? '') + (vocab[b] ?? ''));
    });
    this.vocab = Object.freeze(vocab);
  }

  static fromJSON(json: unknown): BpeTokenizer {
    const j = json as Partial<BpeTokenizerJson> | null;
    const alphabet = j?.alphabet;
    const merges = j?.merges;
    const valid =
      j?.kind === 'bpe' &&
      j.version === 1 &&
      typeof j.seed === 'number' &&
      Array.isArray(alphabet) &&
      alphabet.every((c) => typeof c === 'string' && [...c].length === 1) &&
      new Set(alphabet).size === alphabet.length &&
      Array.isArray(merges) &&
      merges.every((m) => Array.isArray(m) && m.length === 2);
    if (!valid) {
      throw new Error("BpeTokenizer.fromJSON: expected { kind: 'bpe', version: 1, seed, alphabet: characters, merges: [a, b][] }");
    }
    return new BpeTokenizer(alphabet, merges, j.seed);
  }

  toJSON(): BpeTokenizerJson {
    return {
      kind: 'bpe',
      version: 1,
      seed: this.seed,
      alphabet: [...this.alphabet],
      merges: this.merges.map(([a, b]) => [a, b]),
    };
  }

  encode(text: string): Int32Array {
    let out = new Int32Array(Math.max(16, text.length >> 2));
    let n = 0;
    for (const chunk of preTokenize(text)) {
      const ids = this.encodeChunk(chunk);
      if (n + ids.length > out.length) {
        const grown = new Int32Array(Math.max(out.length * 2, n + ids.length));
        grown.set(out);
        out = grown;
      }
      out.set(ids, n);
      n += ids.length;
    }
    return out.slice(0, n);
  }

  decode(ids: ArrayLike<number>): string {
    const parts: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] ?? SPECIAL_TOKENS.unk;
      if (id >= 0 && id < SPECIAL_TOKENS.count) {
        parts.push(SPECIAL_TOKENS.decoded[id] ?? '');
        continue;
      }
      const piece = this.vocab[id];
      if (piece === undefined) throw new Error(`BpeTokenizer.decode: id ${id} outside the vocabulary [0, ${this.vocabSize})`);
      parts.push(piece);
    }
    return parts.join('');
  }

  tokenText(id: number): string {
    const piece = this.vocab[id];
    if (piece === undefined) throw new Error(`BpeTokenizer.tokenText: id ${id} outside the vocabulary [0, ${this.vocabSize})`);
    return piece;
  }

  /** The ids of one pre-tokenized chunk (cached). */
  private encodeChunk(chunk: string): Int32Array {
    const hit = this.cache.get(chunk);
    if (hit !== undefined) return hit;
    let symbols: number[] = [];
    for (const ch of chunk) symbols.push(this.charIds.get(ch.codePointAt(0) ?? 0) ?? SPECIAL_TOKENS.unk);
    for (;;) {
      let bestRank = Infinity;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const rank = this.ranks.get(pairKey(symbols[i] ?? 0, symbols[i + 1] ?? 0));
        if (rank !== undefined && rank < bestRank) bestRank = rank;
      }
      if (bestRank === Infinity) break;
      const [a, b] = this.merges[bestRank] ?? [0, 0];
      const merged: number[] = [];
      for (let i = 0; i < symbols.length; i++) {
        if (symbols[i] === a && symbols[i + 1] === b && i + 1 < symbols.length) {
          merged.push(this.firstMergeId + bestRank);
          i++;
        } else {
          merged.push(symbols[i] ?? 0);
        }
      }
      symbols = merged;
    }
    const ids = Int32Array.from(symbols);
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(chunk, ids);
    return ids;
  }
}
