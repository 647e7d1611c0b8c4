/**
 * Counting tasks on n input bits — the TC0 core (Σx compared with a constant,
 * or reduced mod m). The depth parameter is n; the circuit depth stays
 * constant (majority: 1, threshold: 1, parity: 3, counting mod m: 4). Traces
 * are prefix counts (or prefix parities / residues), which are also the
 * per-position labels of the tagging format.
 */
import { BIT_SYMBOLS, numberSymbols } from './_internals/bits.js';
import { bitTask } from './_internals/bitTask.js';
import type { Task } from './Task.js';

const MAX_BITS = 1024;

function prefixCounts(bits: string): number[] {
  const out: number[] = [];
  let c = 0;
  for (const b of bits) out.push((c += b === '1' ? 1 : 0));
  return out;
}

export const majorityTask: Task = bitTask({
  id: 'majority',
  summary: 'strict majority of n bits',
  taskClass: 'TC0',
  depthMeaning: 'number of input bits n (circuit depth 1)',
  maxDepth: MAX_BITS,
  solve: (n, bits) => {
    const counts = prefixCounts(bits);
    return { trace: counts.map(String), answer: 2 * counts[n - 1]! > n ? '1' : '0' };
  },
  labels: (ex) => ex.trace.map((c, i) => (2 * Number(c) > i + 1 ? '1' : '0')),
  vocabulary: [...new Set([...BIT_SYMBOLS, ...numberSymbols(MAX_BITS)])],
});

/** THR(k) with k = ⌈n/3⌉: at least a third of the bits set. */
export const thresholdTask: Task = bitTask({
  id: 'threshold',
  summary: 'at least k = ceil(n/3) of n bits set',
  taskClass: 'TC0',
  depthMeaning: 'number of input bits n (circuit depth 1, k = ceil(n/3))',
  parameters: { k: 'ceil(n/3)' },
  maxDepth: MAX_BITS,
  solve: (n, bits) => {
    const counts = prefixCounts(bits);
    return { trace: counts.map(String), answer: counts[n - 1]! >= Math.ceil(n / 3) ? '1' : '0' };
  },
  labels: (ex) => ex.trace.map((c) => (Number(c) >= Math.ceil(ex.depth / 3) ? '1' : '0')),
  vocabulary: [...new Set([...BIT_SYMBOLS, ...numberSymbols(MAX_BITS)])],
});

export const parityTask: Task = bitTask({
  id: 'parity',
  summary: 'parity of n bits',
  taskClass: 'TC0',
  depthMeaning: 'number of input bits n (circuit depth 3 with threshold gates)',
  maxDepth: MAX_BITS,
  solve: (_n, bits) => {
    const trace = prefixCounts(bits).map((c) => String(c % 2));
    return { trace, answer: trace[trace.length - 1]! };
  },
  labels: (ex) => ex.trace,
  vocabulary: BIT_SYMBOLS,
});

/** Σx mod m — the word problem of Z_m on the generators {0, 1}. */
export function modCountTask(m = 3): Task {
  return bitTask({
    id: m === 3 ? 'mod-count' : `mod-count-${m}`,
    summary: `number of set bits mod ${m} (the Z_${m} word problem on generators 0, 1)`,
    taskClass: 'TC0',
    depthMeaning: 'number of input bits n (circuit depth constant)',
    parameters: { m },
    maxDepth: MAX_BITS,
    solve: (_n, bits) => {
      const trace = prefixCounts(bits).map((c) => String(c % m));
      return { trace, answer: trace[trace.length - 1]! };
    },
    answerSymbols: (a) => [a],
    labels: (ex) => ex.trace,
    vocabulary: [...new Set([...BIT_SYMBOLS, ...numberSymbols(m - 1)])],
  });
}
