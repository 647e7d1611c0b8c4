/**
 * Properties of bit-sliced evaluation on random circuits over the whole gate
 * basis (constants, repeated inputs, several outputs; fan-in up to 12 so the
 * counters behind MAJ, THR and MOD get wide inputs): the js and wasm-simd
 * backends, at a random block size from {4, 8, 16, 64} words, agree with the
 * scalar `evaluate` oracle on every vector, and their countOnes equals the
 * oracle's count of ones per output. countOnesRandom agrees across backends
 * and block sizes.
 */
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import type { Circuit } from '../../src/circuits/Circuit.js';
import { evaluate } from '../../src/circuits/evaluate.js';
import { BitslicedEvaluator } from '../../src/circuits/bitslice/BitslicedEvaluator.js';
import { wasmSimdAvailable } from '../../src/circuits/bitslice/WasmKernel.js';
import { circuitArb, circuitWithInputsArb, type RandomCircuitOptions } from './arbitraries.js';

const NUM_RUNS = 300;
const BACKENDS = wasmSimdAvailable() ? (['js', 'wasm-simd'] as const) : (['js'] as const);
const blockWordsArb = fc.constantFrom(4, 8, 16, 64);

/** Packs vectors into lanes (vector v at bit v mod 32 of word v div 32), written here rather than taken from lanes.ts. */
function pack(vectors: readonly boolean[][], numInputs: number): Uint32Array[] {
  return Array.from({ length: numInputs }, (_, i) => {
    const lane = new Uint32Array(Math.ceil(vectors.length / 32));
    vectors.forEach((vec, v) => {
      if (vec[i]) lane[v >>> 5]! |= 1 << (v & 31);
    });
    return lane;
  });
}

/** Output bits of every vector as one string (one row per vector), cheap to compare. */
const table = (rows: readonly ArrayLike<number>[]) => rows.map((r) => Array.from(r).join('')).join('\n');

function agreesWithScalar(circuit: Circuit, vectors: boolean[][], blockWords: number): void {
  const want = vectors.map((v) => evaluate(circuit, v));
  const counts = circuit.outputs.map((_, o) => want.reduce((s, w) => s + w[o]!, 0));
  const lanes = pack(vectors, circuit.inputs.length);
  for (const backend of BACKENDS) {
    const ev = BitslicedEvaluator.compile(circuit, { backend, blockWords });
    expect(table(ev.evaluateVectors(vectors)), backend).toBe(table(want));
    const out = ev.run(lanes, vectors.length);
    const got = vectors.map((_, v) => out.map((lane) => (lane[v >>> 5]! >>> (v & 31)) & 1));
    expect(table(got), backend).toBe(table(want));
    expect(ev.countOnes(lanes, vectors.length), backend).toEqual(counts);
  }
}

/**
 * circuitWithInputsArb's vector lists stay short (fast-check's default size
 * keeps arrays to about a dozen elements), so each case appends `extra`
 * pseudo-random vectors drawn from `seed`: up to about 310 vectors in all,
 * three blocks at blockWords 4 (128 vectors each). `extra` shrinks to 0.
 */
const extraArb = fc.record({ extra: fc.integer({ min: 0, max: 300 }), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }) });

function withExtra(vectors: boolean[][], numInputs: number, extra: number, seed: number): boolean[][] {
  const g = xoroshiro128plus(seed);
  const more = Array.from({ length: extra }, () => Array.from({ length: numInputs }, () => (g.next() & 1) === 1));
  return [...vectors, ...more];
}

describe.each<[string, RandomCircuitOptions]>([
  ['default circuits', {}],
  ['wide gates (fan-in up to 12)', { maxFanIn: 12, maxInputs: 10, maxGates: 20 }],
])('bit-sliced evaluation, %s', (_name, options) => {
  it('js, wasm-simd and scalar evaluate agree on every vector; countOnes matches the scalar count', () => {
    fc.assert(
      fc.property(circuitWithInputsArb(options), extraArb, blockWordsArb, ({ circuit, vectors }, { extra, seed }, blockWords) => {
        agreesWithScalar(circuit, withExtra(vectors, circuit.inputs.length, extra, seed), blockWords);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

describe('countOnesRandom', () => {
  it('is the same on every backend and block size', () => {
    fc.assert(
      fc.property(
        circuitArb({ maxFanIn: 12, maxInputs: 8 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        blockWordsArb,
        blockWordsArb,
        (circuit, vectors, seed, bw1, bw2) => {
          const reference = BitslicedEvaluator.compile(circuit, { backend: 'js', blockWords: bw1 }).countOnesRandom(vectors, seed);
          for (const backend of BACKENDS) {
            expect(BitslicedEvaluator.compile(circuit, { backend, blockWords: bw2 }).countOnesRandom(vectors, seed), backend).toEqual(reference);
          }
          for (const c of reference) {
            expect(c).toBeGreaterThanOrEqual(0);
            expect(c).toBeLessThanOrEqual(vectors);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
