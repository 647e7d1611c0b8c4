/**
 * Tests of the lane helpers: packVectors/unpackVectors/laneBit against the
 * layout written out by hand (vector v is bit v mod 32 of word v div 32), the
 * SWAR popcount32 against a naive bit loop, maskTail against an explicit mask,
 * and RandomLanes for determinism and for independence from how its words are
 * drawn (per call, per input count, per vector count).
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { laneBit, maskTail, packVectors, popcount32, RandomLanes, unpackVectors, wordsFor } from './lanes.js';

/** A deterministic stream of 32-bit words for test data. */
function words(seed: number, count: number): number[] {
  const g = xoroshiro128plus(seed);
  return Array.from({ length: count }, () => g.next() >>> 0);
}

function naivePopcount(x: number): number {
  let c = 0;
  for (let i = 0; i < 32; i++) c += Math.floor(x / 2 ** i) % 2;
  return c;
}

function randomVectors(seed: number, count: number, numInputs: number): number[][] {
  const bits = words(seed, count * numInputs);
  return Array.from({ length: count }, (_, v) => Array.from({ length: numInputs }, (_, i) => bits[v * numInputs + i]! & 1));
}

describe('wordsFor', () => {
  it.each([[0, 0], [1, 1], [31, 1], [32, 1], [33, 2], [64, 2], [65, 3], [4097, 129]])('%i vectors need %i words', (v, w) => {
    expect(wordsFor(v)).toBe(w);
  });
});

describe('packVectors / unpackVectors / laneBit', () => {
  it.each([0, 1, 31, 32, 33, 100, 257])('round-trips %i vectors of 5 inputs', (count) => {
    const vectors = randomVectors(count + 1, count, 5);
    const lanes = packVectors(vectors, 5);
    expect(lanes).toHaveLength(5);
    for (const lane of lanes) expect(lane.length).toBe(Math.ceil(count / 32));
    const back = unpackVectors(lanes, count);
    expect(back.map((v) => Array.from(v))).toEqual(vectors);
  });

  it('puts vector v at bit v mod 32 of word v div 32, and leaves the bits past the last vector zero', () => {
    const vectors = Array.from({ length: 70 }, (_, v) => [v % 3 === 0, true]);
    const [first, second] = packVectors(vectors, 2);
    for (let v = 0; v < 70; v++) {
      expect((first![Math.floor(v / 32)]! >>> (v % 32)) & 1).toBe(v % 3 === 0 ? 1 : 0);
      expect(laneBit(first!, v)).toBe(v % 3 === 0 ? 1 : 0);
    }
    expect(Array.from(second!)).toEqual([0xffffffff, 0xffffffff, 0x3f]);
  });

  it('accepts booleans and numbers alike', () => {
    const a = packVectors([[true, false, 1, 0]], 4);
    expect(a.map((l) => l[0])).toEqual([1, 0, 1, 0]);
  });

  it('refuses a vector of the wrong width with a RangeError naming it', () => {
    expect(() => packVectors([[1, 0], [1]], 2)).toThrow(/vector 1 has 1 bits, expected 2/);
  });

  it('unpacks whole words written by hand', () => {
    const lanes = [Uint32Array.of(0x80000001), Uint32Array.of(0x00000002)];
    const back = unpackVectors(lanes, 32).map((v) => Array.from(v));
    expect(back[0]).toEqual([1, 0]);
    expect(back[1]).toEqual([0, 1]);
    expect(back[31]).toEqual([1, 0]);
    expect(back.filter((v) => v[0] === 1 || v[1] === 1)).toHaveLength(3);
  });
});

describe('popcount32', () => {
  it.each([
    [0, 0], [1, 1], [0xffffffff, 32], [0x80000000, 1], [0x7fffffff, 31], [0x55555555, 16],
    [0xaaaaaaaa, 16], [0x0f0f0f0f, 16], [0xff000000, 8], [0x000000ff, 8], [0x80000001, 2],
  ])('popcount32(%i) = %i', (x, c) => {
    expect(popcount32(x)).toBe(c);
  });

  it('takes negative int32 views of the same word (as bitwise operators produce them)', () => {
    expect(popcount32(-1)).toBe(32);
    expect(popcount32(1 << 31)).toBe(1);
    expect(popcount32(~0x0f)).toBe(28);
  });

  it('agrees with a naive bit loop on 2000 random words and on every single-bit and two-bit word', () => {
    const sample = words(7, 2000);
    for (let i = 0; i < 32; i++) {
      sample.push(2 ** i);
      for (let j = i + 1; j < 32; j++) sample.push(2 ** i + 2 ** j);
    }
    const wrong = sample.filter((x) => popcount32(x) !== naivePopcount(x));
    expect(wrong).toEqual([]);
  });
});

describe('maskTail', () => {
  it.each([1, 5, 31, 33, 63, 95])('keeps exactly the first %i bits of an all-ones lane', (vectors) => {
    const lane = new Uint32Array(3).fill(0xffffffff);
    maskTail(lane, vectors);
    for (let v = 0; v < 96; v++) expect(laneBit(lane, v), `bit ${v}`).toBe(v < vectors || v >= 32 * Math.ceil(vectors / 32) ? 1 : 0);
  });

  it('keeps the lower bits of the last word and leaves earlier words alone', () => {
    const lane = Uint32Array.of(0xdeadbeef, 0xffffffff);
    maskTail(lane, 32 + 31);
    expect(Array.from(lane)).toEqual([0xdeadbeef, 0x7fffffff]);
    maskTail(lane, 32 + 4);
    expect(Array.from(lane)).toEqual([0xdeadbeef, 0xf]);
  });

  it('does nothing for a multiple of 32 vectors or a lane that ends before the tail', () => {
    const lane = Uint32Array.of(0xffffffff, 0xffffffff);
    maskTail(lane, 64);
    maskTail(lane, 32);
    maskTail(lane, 0);
    expect(Array.from(lane)).toEqual([0xffffffff, 0xffffffff]);
    const short = Uint32Array.of(0xffffffff);
    maskTail(short, 40);
    expect(Array.from(short)).toEqual([0xffffffff]);
  });
});

describe('RandomLanes', () => {
  it('gives the same lanes for the same seed', () => {
    expect(RandomLanes.generate(4, 500, 42)).toEqual(RandomLanes.generate(4, 500, 42));
  });

  it('gives different lanes for different seeds and for different inputs', () => {
    const a = RandomLanes.generate(3, 256, 1);
    const b = RandomLanes.generate(3, 256, 2);
    for (let i = 0; i < 3; i++) expect(a[i]).not.toEqual(b[i]);
    expect(a[0]).not.toEqual(a[1]);
    expect(a[1]).not.toEqual(a[2]);
    expect(a[0]).not.toEqual(a[2]);
  });

  it('gives the same words for input i however many words are drawn per call', () => {
    const whole = new RandomLanes(5, 9);
    const pieces = new RandomLanes(5, 9);
    for (let i = 0; i < 5; i++) {
      const once = new Uint32Array(32);
      whole.next(i, once, 0, 32);
      const parts = new Uint32Array(32);
      pieces.next(i, parts, 0, 7);
      pieces.next(i, parts, 7, 9);
      pieces.next(i, parts, 16, 16);
      expect(parts).toEqual(once);
    }
  });

  it('keeps each input its own stream: the draw order across inputs does not matter', () => {
    const forward = new RandomLanes(3, 5);
    const backward = new RandomLanes(3, 5);
    const f = [0, 1, 2].map(() => new Uint32Array(8));
    const b = [0, 1, 2].map(() => new Uint32Array(8));
    for (let i = 0; i < 3; i++) forward.next(i, f[i]!, 0, 8);
    for (let i = 2; i >= 0; i--) backward.next(i, b[i]!, 4, 4);
    for (let i = 2; i >= 0; i--) backward.next(i, b[i]!, 0, 4);
    // b drew words 0..3 into 4..7 and words 4..7 into 0..3.
    for (let i = 0; i < 3; i++) expect([...b[i]!.subarray(4), ...b[i]!.subarray(0, 4)]).toEqual(Array.from(f[i]!));
  });

  it('does not depend on the number of inputs: input i is the same in a wider instance', () => {
    const narrow = RandomLanes.generate(2, 300, 77);
    const wide = RandomLanes.generate(6, 300, 77);
    expect(wide.slice(0, 2)).toEqual(narrow);
  });

  it('is a prefix stream: fewer vectors give a prefix of the lanes, with the tail masked', () => {
    const long = RandomLanes.generate(3, 1000, 3);
    const short = RandomLanes.generate(3, 100, 3);
    for (let i = 0; i < 3; i++) {
      expect(short[i]!.length).toBe(4);
      expect(Array.from(short[i]!.subarray(0, 3))).toEqual(Array.from(long[i]!.subarray(0, 3)));
      expect(short[i]![3]).toBe(long[i]![3]! & 0xf);
    }
  });

  it('draws full 32-bit words (every bit position is set somewhere, high bits included)', () => {
    const [lane] = RandomLanes.generate(1, 32 * 64, 11);
    let or = 0;
    for (const w of lane!) or |= w;
    expect(or >>> 0).toBe(0xffffffff);
    const density = lane!.reduce((s, w) => s + popcount32(w), 0) / (32 * 64);
    expect(density).toBeGreaterThan(0.45);
    expect(density).toBeLessThan(0.55);
  });

  it('gives empty lanes for 0 vectors', () => {
    expect(RandomLanes.generate(2, 0, 1)).toEqual([new Uint32Array(0), new Uint32Array(0)]);
  });
});
