/**
 * Tests of BitslicedEvaluator against the scalar `evaluate` oracle, vector by
 * vector, on both backends (js, wasm-simd): run, countOnes, countOnesRandom
 * and evaluateVectors over vector counts around word (32), SIMD-vector (128)
 * and block boundaries, with the default and forced block sizes; outputs that
 * are constants or inputs (one node as two outputs); a circuit big enough to be
 * split over several WASM functions; and the input checks (CircuitError
 * 'width'), block-size checks and backend selection.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { Circuit } from '../Circuit.js';
import { CircuitError } from '../CircuitError.js';
import { evaluate } from '../evaluate.js';
import { GATE_KINDS } from '../gates.js';
import { randomLayeredCircuit } from '../randomLayeredCircuit.js';
import { lowerCircuit } from './BitProgram.js';
import { BitslicedEvaluator } from './BitslicedEvaluator.js';
import { RandomLanes } from './lanes.js';
import { wasmSimdAvailable } from './WasmKernel.js';

const BACKENDS = wasmSimdAvailable() ? (['js', 'wasm-simd'] as const) : (['js'] as const);
const VECTOR_COUNTS = [0, 1, 31, 32, 33, 127, 128, 129, 1000, 4097];
const BLOCK_WORDS = [undefined, 4, 8, 64];

const bit = (lane: Uint32Array, v: number) => (lane[v >>> 5]! >>> (v & 31)) & 1;

function naivePopcount(x: number): number {
  let c = 0;
  for (let i = 0; i < 32; i++) c += (x >>> i) & 1;
  return c;
}

/** Random lanes for `vectors` vectors from a seed, every bit random (also those past `vectors` in the last word). */
function randomLanes(numInputs: number, vectors: number, seed: number): Uint32Array[] {
  const g = xoroshiro128plus(seed);
  return Array.from({ length: numInputs }, () => Uint32Array.from({ length: Math.ceil(vectors / 32) }, () => g.next() >>> 0));
}

/** The scalar oracle: output bits of every vector, read from lanes by hand. */
function scalarOutputs(circuit: Circuit, lanes: readonly Uint32Array[], vectors: number): Uint8Array[] {
  return Array.from({ length: vectors }, (_, v) => evaluate(circuit, lanes.map((lane) => bit(lane, v))));
}

function scalarCounts(circuit: Circuit, outs: readonly Uint8Array[]): number[] {
  return circuit.outputs.map((_, o) => outs.reduce((s, out) => s + out[o]!, 0));
}

/**
 * A random layered circuit over every gate kind, plus outputs that are
 * constants (true, false), inputs (x0 twice under two names, x5), and one gate
 * named as two outputs.
 */
function mixedCircuit(): Circuit {
  const layered = randomLayeredCircuit({ inputs: 9, width: 10, depth: 6, seed: 17, kinds: GATE_KINDS, fanIn: 5 });
  const base = layered.toDescription();
  // A sink that lowers to an operation (some fold to an input or a constant).
  const computed = lowerCircuit(layered).outputRecords.findIndex((r) => r >= 0);
  const twice = base.outputs[computed]!.node;
  return Circuit.fromDescription({
    ...base,
    nodes: [...base.nodes, { type: 'const', name: 'T', value: true }, { type: 'const', name: 'F', value: false }],
    outputs: [
      ...base.outputs,
      { name: 'one', node: 'T' },
      { name: 'zero', node: 'F' },
      { name: 'x0_a', node: 'x0' },
      { name: 'x0_b', node: 'x0' },
      { name: 'x5', node: 'x5' },
      { name: 'again', node: twice },
    ],
  });
}

const circuit = mixedCircuit();
const numInputs = circuit.inputs.length;

// The oracle once per vector count (the lanes depend only on the count).
const cases = new Map(
  VECTOR_COUNTS.map((vectors) => {
    const lanes = randomLanes(numInputs, vectors, 1000 + vectors);
    const outs = scalarOutputs(circuit, lanes, vectors);
    return [vectors, { lanes, outs, counts: scalarCounts(circuit, outs) }] as const;
  }),
);

/** Every (output, vector) where the lanes differ from the oracle, at most a few. */
function mismatches(outLanes: readonly Uint32Array[], want: readonly Uint8Array[]): string[] {
  const bad: string[] = [];
  want.forEach((w, v) => {
    outLanes.forEach((lane, o) => {
      if (bad.length < 5 && bit(lane, v) !== w[o]) bad.push(`output ${circuit.outputs[o]!.name}, vector ${v}: got ${bit(lane, v)}, want ${w[o]}`);
    });
  });
  return bad;
}

describe('the test circuit', () => {
  it('has outputs of every sort: computed, constant, input, and one node twice', () => {
    expect(circuit.outputs.length).toBeGreaterThan(7);
    const nodes = circuit.outputs.map((o) => circuit.node(o.node).type);
    expect(nodes).toContain('const');
    expect(nodes).toContain('input');
    expect(nodes.filter((t) => t === 'gate').length).toBeGreaterThan(2);
    expect(new Set(circuit.outputs.map((o) => o.node)).size).toBeLessThan(circuit.outputs.length - 1);
    // The gate named twice is computed by a record, so both kernels count one record for two outputs.
    const { outputRecords } = BitslicedEvaluator.compile(circuit, { backend: 'js' }).program;
    const again = outputRecords[circuit.outputs.length - 1]!;
    expect(again).toBeGreaterThanOrEqual(0);
    expect(outputRecords.filter((r) => r === again)).toHaveLength(2);
  });
});

describe.each(BACKENDS)('a circuit without inputs (%s)', (backend) => {
  const constant = Circuit.fromDescription({
    inputs: [],
    nodes: [{ type: 'const', name: 't', value: true }, { type: 'gate', name: 'n', gate: 'NOT', inputs: ['t'] }, { type: 'gate', name: 'a', gate: 'AND', inputs: ['t', 't'] }],
    outputs: [{ name: 'y', node: 't' }, { name: 'z', node: 'n' }, { name: 'w', node: 'a' }],
  });
  const ev = BitslicedEvaluator.compile(constant, { backend, blockWords: 4 });

  it.each([0, 1, 40, 1000])('gives constant lanes and counts on %i vectors', (vectors) => {
    const words = Math.ceil(vectors / 32);
    const ones = Uint32Array.from({ length: words }, (_, w) => (w < words - 1 || vectors % 32 === 0 ? 0xffffffff : 2 ** (vectors % 32) - 1));
    expect(ev.run([], vectors)).toEqual([ones, new Uint32Array(words), ones]);
    expect(ev.countOnes([], vectors)).toEqual([vectors, 0, vectors]);
    expect(ev.countOnesRandom(vectors, 1)).toEqual([vectors, 0, vectors]);
    expect(ev.evaluateVectors(Array.from({ length: Math.min(vectors, 40) }, () => [])).map((o) => Array.from(o))).toEqual(
      Array.from({ length: Math.min(vectors, 40) }, () => [1, 0, 1]),
    );
  });
});

describe.each(BACKENDS)('backend %s', (backend) => {
  describe.each(BLOCK_WORDS)('blockWords %s', (blockWords) => {
    const ev = BitslicedEvaluator.compile(circuit, blockWords === undefined ? { backend } : { backend, blockWords });

    it('uses the requested backend and block size', () => {
      expect(ev.backend).toBe(backend);
      if (blockWords !== undefined) expect(ev.blockWords).toBe(blockWords);
      else expect(ev.blockWords % 4).toBe(0);
    });

    it.each(VECTOR_COUNTS)('run, countOnes and evaluateVectors match the scalar oracle on %i vectors', (vectors) => {
      const { lanes, outs, counts } = cases.get(vectors)!;
      const result = ev.run(lanes, vectors);
      expect(result).toHaveLength(circuit.outputs.length);
      for (const lane of result) expect(lane.length).toBe(Math.ceil(vectors / 32));
      expect(mismatches(result, outs)).toEqual([]);
      // Bits past the last vector are zero, as the lane convention says.
      if (vectors % 32 !== 0) for (const lane of result) expect(lane[lane.length - 1]! >>> (vectors % 32)).toBe(0);

      const ones = ev.countOnes(lanes, vectors);
      expect(ones).toEqual(counts);
      expect(ones).toEqual(result.map((lane) => lane.reduce((s, w) => s + naivePopcount(w), 0)));

      if (vectors <= 129) {
        const vecs = Array.from({ length: vectors }, (_, v) => lanes.map((lane) => bit(lane, v)));
        expect(ev.evaluateVectors(vecs).map((o) => Array.from(o))).toEqual(outs.map((o) => Array.from(o)));
      }
    });

    it('ignores bits past `vectors` in input lanes that are longer than needed', () => {
      const vectors = 1000;
      const { outs, counts } = cases.get(vectors)!;
      const long = cases.get(vectors)!.lanes.map((lane) => {
        const l = new Uint32Array(lane.length + 5).fill(0xffffffff);
        l.set(lane);
        l[lane.length - 1]! |= ~((1 << (vectors % 32)) - 1);
        return l;
      });
      expect(mismatches(ev.run(long, vectors), outs)).toEqual([]);
      expect(ev.countOnes(long, vectors)).toEqual(counts);
    });

    it.each([100, 1000, 1001, 4097, 5000])('countOnesRandom(%i, seed) equals countOnes on RandomLanes.generate', (vectors) => {
      const seed = vectors * 7 + 3;
      const lanes = RandomLanes.generate(numInputs, vectors, seed);
      const want = ev.countOnes(lanes, vectors);
      expect(ev.countOnesRandom(vectors, seed)).toEqual(want);
      if (vectors === 1001) expect(want).toEqual(scalarCounts(circuit, scalarOutputs(circuit, lanes, vectors)));
    });

    it('gives the same counts when called again (no state carried between calls)', () => {
      const a = ev.countOnesRandom(3000, 5);
      ev.countOnes(cases.get(4097)!.lanes, 4097);
      ev.run(cases.get(33)!.lanes, 33);
      expect(ev.countOnesRandom(3000, 5)).toEqual(a);
      expect(ev.countOnesRandom(0, 5)).toEqual(circuit.outputs.map(() => 0));
    });
  });
});

describe('a circuit spread over several WASM functions', () => {
  const big = randomLayeredCircuit({ inputs: 40, width: 100, depth: 60, seed: 2024 });

  it.runIf(wasmSimdAvailable())('stores more than 4096 operations, and both backends agree with each other and with evaluate', () => {
    const wasm = BitslicedEvaluator.compile(big, { backend: 'wasm-simd' });
    const js = BitslicedEvaluator.compile(big, { backend: 'js' });
    const ops = wasm.program.ops;
    let stored = 0;
    for (let p = 0; p < ops.length; p += 3 + ops[p + 2]!) if (ops[p + 1]! >= 0) stored++;
    expect(stored).toBeGreaterThan(4096);

    const counts = wasm.countOnesRandom(2000, 99);
    expect(js.countOnesRandom(2000, 99)).toEqual(counts);

    const lanes = RandomLanes.generate(40, 2000, 99);
    expect(js.countOnes(lanes, 2000)).toEqual(counts);
    const wasmOut = wasm.run(lanes, 2000);
    expect(js.run(lanes, 2000)).toEqual(wasmOut);

    const picks = Array.from({ length: 64 }, (_, k) => (k * 997 + 13) % 2000);
    const bad = picks.filter((v) => {
      const want = evaluate(big, lanes.map((lane) => bit(lane, v)));
      return wasmOut.some((lane, o) => bit(lane, v) !== want[o]);
    });
    expect(bad).toEqual([]);
  });
});

describe('input checks', () => {
  const small = Circuit.fromDescription({
    inputs: ['a', 'b'],
    nodes: [{ type: 'gate', name: 'g', gate: 'AND', inputs: ['a', 'b'] }],
    outputs: [{ name: 'y', node: 'g' }],
  });

  describe.each(BACKENDS)('%s', (backend) => {
    const ev = BitslicedEvaluator.compile(small, { backend });

    const widthError = (f: () => unknown, message: RegExp) => {
      let caught: unknown;
      try {
        f();
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(CircuitError);
      expect((caught as CircuitError).rule).toBe('width');
      expect((caught as CircuitError).message).toMatch(message);
    };

    it('refuses the wrong number of input lanes', () => {
      widthError(() => ev.run([new Uint32Array(1)], 10), /got 1 input lanes but the circuit has 2 inputs/);
      widthError(() => ev.countOnes([new Uint32Array(1), new Uint32Array(1), new Uint32Array(1)], 10), /got 3 input lanes/);
    });

    it('refuses lanes too short for the vectors', () => {
      widthError(() => ev.run([new Uint32Array(2), new Uint32Array(1)], 33), /input lane 1 has 1 words but 33 vectors need 2/);
      widthError(() => ev.countOnes([new Uint32Array(0), new Uint32Array(1)], 1), /input lane 0 has 0 words/);
    });

    it('refuses a vector count that is not a non-negative integer', () => {
      widthError(() => ev.run([new Uint32Array(1), new Uint32Array(1)], -1), /vectors must be a non-negative integer/);
      widthError(() => ev.countOnes([new Uint32Array(1), new Uint32Array(1)], 1.5), /got 1.5/);
    });

    it('refuses a vector of the wrong width in evaluateVectors', () => {
      expect(() => ev.evaluateVectors([[1, 0], [1, 0, 1]])).toThrow(/vector 1 has 3 bits, expected 2/);
    });

    it.each([0, 2, 6, -4, 4.5, Number.NaN])('refuses blockWords %s', (blockWords) => {
      expect(() => BitslicedEvaluator.compile(small, { backend, blockWords })).toThrow(/blockWords must be a positive multiple of 4/);
    });
  });
});

describe('backend selection', () => {
  it('Node 20 has WebAssembly SIMD', () => {
    expect(wasmSimdAvailable()).toBe(true);
  });

  it.runIf(wasmSimdAvailable())('backend "wasm-simd" and "auto" report wasm-simd; "js" reports js', () => {
    const c = Circuit.fromDescription({ inputs: ['a'], nodes: [{ type: 'gate', name: 'n', gate: 'NOT', inputs: ['a'] }], outputs: [{ name: 'y', node: 'n' }] });
    expect(BitslicedEvaluator.compile(c, { backend: 'wasm-simd' }).backend).toBe('wasm-simd');
    expect(BitslicedEvaluator.compile(c).backend).toBe('wasm-simd');
    expect(BitslicedEvaluator.compile(c, { backend: 'auto' }).backend).toBe('wasm-simd');
    expect(BitslicedEvaluator.compile(c, { backend: 'js' }).backend).toBe('js');
  });

  it('picks a block size that is a multiple of 4, smaller for programs with many slots', () => {
    const wide = randomLayeredCircuit({ inputs: 2000, width: 10, depth: 2, seed: 1 });
    const narrow = randomLayeredCircuit({ inputs: 3, width: 2, depth: 2, seed: 1 });
    for (const backend of BACKENDS) {
      const many = BitslicedEvaluator.compile(wide, { backend, cacheBytes: 64 * 1024 });
      const few = BitslicedEvaluator.compile(narrow, { backend, cacheBytes: 64 * 1024 });
      expect(many.blockWords % 4).toBe(0);
      expect(few.blockWords % 4).toBe(0);
      expect(many.blockWords).toBeLessThan(few.blockWords);
    }
  });
});
