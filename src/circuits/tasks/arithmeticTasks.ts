/**
 * Arithmetic on binary numbers, all in TC0 (comparison and two-number
 * addition even in AC0, by carry-lookahead). Numbers are written MSB first in
 * the input; the depth parameter is the number of bits per number (or, for
 * iterated addition, how many numbers are added).
 *   comparison         input a‖b (2n bits), answer [a > b]; trace: the
 *                      comparison of the prefixes, MSB first ('=', '>', '<').
 *   addition           input a‖b, answer a + b in n + 1 bits; trace: the
 *                      carries into bits 1 … n, least significant first.
 *   iterated-addition  n numbers of 4 bits; answer the sum in 4 + ⌈log2 n⌉
 *                      bits; trace: the partial sums, in that width.
 */
import { BIT_SYMBOLS, toBinary } from './_internals/bits.js';
import { bitStringTrace, bitTask } from './_internals/bitTask.js';
import type { Task } from './Task.js';

const MAX_BITS = 512;

export const comparisonTask: Task = bitTask({
  id: 'comparison',
  summary: 'is a > b, for two n-bit numbers',
  taskClass: 'TC0',
  depthMeaning: 'bits per number n (input 2n bits: a then b, MSB first)',
  maxDepth: MAX_BITS,
  inputBits: (n) => 2 * n,
  solve: (n, bits) => {
    const trace: string[] = [];
    let state = '=';
    for (let i = 0; i < n; i++) {
      if (state === '=' && bits[i] !== bits[n + i]) state = bits[i] === '1' ? '>' : '<';
      trace.push(state);
    }
    return { trace, answer: state === '>' ? '1' : '0' };
  },
  vocabulary: [...BIT_SYMBOLS, '=', '>', '<'],
});

export const additionTask: Task = bitTask({
  id: 'addition',
  summary: 'a + b for two n-bit numbers',
  taskClass: 'TC0',
  depthMeaning: 'bits per number n (input 2n bits: a then b, MSB first)',
  maxDepth: MAX_BITS,
  inputBits: (n) => 2 * n,
  solve: (n, bits) => {
    const carries: string[] = [];
    let sum = '';
    let carry = 0;
    for (let i = n - 1; i >= 0; i--) {
      const s = Number(bits[i]) + Number(bits[n + i]) + carry;
      sum = String(s % 2) + sum;
      carry = s >> 1;
      carries.push(String(carry));
    }
    return { trace: carries, answer: String(carry) + sum };
  },
  vocabulary: BIT_SYMBOLS,
});

const ADDEND_BITS = 4;

export const iteratedAdditionTask: Task = bitTask({
  id: 'iterated-addition',
  summary: `the sum of n numbers of ${ADDEND_BITS} bits`,
  taskClass: 'TC0',
  depthMeaning: `how many ${ADDEND_BITS}-bit numbers are added (input n·${ADDEND_BITS} bits, each number MSB first)`,
  parameters: { bits: ADDEND_BITS },
  minDepth: 1,
  maxDepth: MAX_BITS,
  inputBits: (n) => ADDEND_BITS * n,
  solve: (n, bits) => {
    const width = ADDEND_BITS + Math.max(1, Math.ceil(Math.log2(n)));
    const trace: string[] = [];
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += parseInt(bits.slice(ADDEND_BITS * i, ADDEND_BITS * (i + 1)), 2);
      trace.push(toBinary(total, width));
    }
    return { trace, answer: toBinary(total, width) };
  },
  traceSymbols: bitStringTrace,
  vocabulary: [...BIT_SYMBOLS, ';'],
});
