/**
 * Training a BpeTokenizer: standard byte-pair encoding over characters, on
 * the chunks of the pre-tokenizer (_internals/preTokenize.ts), with
 * incremental pair counts.
 *
 * Algorithm.
 *  1. Count the distinct chunks of the text. Each distinct chunk is a "word"
 *     with a frequency; its symbols start as its characters' ids (alphabet =
 *     the characters of the text and of `extraCharacters`, sorted by code
 *     point, ids from 3 after the specials).
 *  2. Count every adjacent symbol pair, weighted by word frequency, and index
 *     which words contain each pair. Push all pairs on a max-heap.
 *  3. Repeat until the vocabulary has `vocabSize` ids: pop the best pair —
 *     highest count; ties broken lexicographically by (left token string,
 *     right token string), code-unit order — skipping stale heap entries. A
 *     pair whose concatenation is already a token is never merged (one id per
 *     string). Otherwise add the merge, and in each word that contains the
 *     pair replace its left-to-right non-overlapping occurrences by the new
 *     id, subtracting that word's old pairs and adding its new ones. Only the
 *     pairs whose counts changed are pushed again; nothing is recounted.
 * The result is fully deterministic (no Map iteration order reaches a
 * choice). The seed is only recorded in the tokenizer (for the study's
 * provenance): nothing in training is random.
 *
 * Merges of any count ≥ 1 are allowed; a text that runs out of pairs before
 * reaching vocabSize is an error naming the largest vocabulary it supports.
 */
import { countChunks } from './_internals/preTokenize.js';
import { PairHeap } from './_internals/pairHeap.js';
import { MAX_PAIR_ID, pairKey, pairLeft, pairRight } from './_internals/pairKey.js';
import { BpeTokenizer } from './bpeTokenizer.js';
import { SPECIAL_TOKENS } from './specialTokens.js';

export interface TrainBpeOptions {
  /** The exact number of ids of the result, specials and alphabet included. */
  vocabSize: number;
  /** Recorded in the tokenizer; training does not depend on it. Default 0. */
  seed?: number;
  /**
   * Characters to put in the alphabet even if `text` lacks them (e.g. the
   * whole corpus's characters when training on a sample), so that they encode
   * to themselves rather than <unk>. Default ''.
   */
  extraCharacters?: string;
}

export function trainBpe(text: string, options: TrainBpeOptions): BpeTokenizer {
  const { vocabSize, seed = 0, extraCharacters = '' } = options;
  const points = new Set<number>();
  for (const ch of text) points.add(ch.codePointAt(0) ?? 0);
  for (const ch of extraCharacters) points.add(ch.codePointAt(0) ?? 0);
  const alphabet = [...points].sort((a, b) => a - b).map((p) => String.fromCodePoint(p));
  const base = SPECIAL_TOKENS.count + alphabet.length;
  if (!Number.isInteger(vocabSize) || vocabSize < base || vocabSize > MAX_PAIR_ID) {
    throw new Error(`trainBpe: vocabSize ${vocabSize} must be an integer in [${base}, ${MAX_PAIR_ID}] (3 specials + ${alphabet.length} characters at least)`);
  }

  const tokens: string[] = [...SPECIAL_TOKENS.names, ...alphabet];
  const known = new Set<string>(alphabet);
  const charId = new Map(alphabet.map((ch, i) => [ch, i + SPECIAL_TOKENS.count]));
  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [chunk, count] of countChunks(text)) {
    words.push(Array.from(chunk, (ch) => charId.get(ch) ?? SPECIAL_TOKENS.unk));
    freqs.push(count);
  }

  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  words.forEach((symbols, w) => {
    const f = freqs[w] ?? 0;
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = pairKey(symbols[i] ?? 0, symbols[i + 1] ?? 0);
      pairCount.set(key, (pairCount.get(key) ?? 0) + f);
      let set = pairWords.get(key);
      if (set === undefined) pairWords.set(key, (set = new Set()));
      set.add(w);
    }
  });

  const before = (x: number, y: number): boolean => {
    const lx = tokens[pairLeft(x)] ?? '';
    const ly = tokens[pairLeft(y)] ?? '';
    if (lx !== ly) return lx < ly;
    return (tokens[pairRight(x)] ?? '') < (tokens[pairRight(y)] ?? '');
  };
  const heap = new PairHeap(before);
  for (const [key, count] of pairCount) heap.push(count, key);

  const merges: [number, number][] = [];
  const blocked = new Set<number>();
  while (tokens.length < vocabSize) {
    const top = heap.pop();
    if (top === undefined) {
      throw new Error(`trainBpe: the text supports at most ${tokens.length} tokens; vocabSize ${vocabSize} requested`);
    }
    if (pairCount.get(top.key) !== top.count || blocked.has(top.key)) continue;
    const a = pairLeft(top.key);
    const b = pairRight(top.key);
    const merged = (tokens[a] ?? '') + (tokens[b] ?? '');
    if (known.has(merged)) {
      blocked.add(top.key);
      continue;
    }
    const id = tokens.length;
    tokens.push(merged);
    known.add(merged);
    merges.push([a, b]);
    applyMerge(a, b, id, top.key);
  }
  return new BpeTokenizer(alphabet, merges, seed);

  function applyMerge(a: number, b: number, id: number, key: number): void {
    const delta = new Map<number, number>();
    const bump = (k: number, d: number) => delta.set(k, (delta.get(k) ?? 0) + d);
    for (const w of pairWords.get(key) ?? []) {
      const old = words[w] ?? [];
      if (!containsPair(old, a, b)) continue;
      const f = freqs[w] ?? 0;
      const next: number[] = [];
      for (let i = 0; i < old.length; i++) {
        if (i + 1 < old.length && old[i] === a && old[i + 1] === b) {
          next.push(id);
          i++;
        } else {
          next.push(old[i] ?? 0);
        }
      }
      for (let i = 0; i + 1 < old.length; i++) bump(pairKey(old[i] ?? 0, old[i + 1] ?? 0), -f);
      for (let i = 0; i + 1 < next.length; i++) {
        const k = pairKey(next[i] ?? 0, next[i + 1] ?? 0);
        bump(k, f);
        let set = pairWords.get(k);
        if (set === undefined) pairWords.set(k, (set = new Set()));
        set.add(w);
      }
      words[w] = next;
    }
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const count = (pairCount.get(k) ?? 0) + d;
      if (count > 0) {
        pairCount.set(k, count);
        heap.push(count, k);
      } else {
        pairCount.delete(k);
        pairWords.delete(k);
      }
    }
  }
}

function containsPair(symbols: readonly number[], a: number, b: number): boolean {
  for (let i = 0; i + 1 < symbols.length; i++) if (symbols[i] === a && symbols[i + 1] === b) return true;
  return false;
}
