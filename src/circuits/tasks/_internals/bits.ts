/** Bit-string helpers shared by the Boolean tasks (inputs are strings of '0'/'1'). */
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { TaskInput } from '../Task.js';

/** n uniform bits, 32 per generator call. */
export function randomBits(n: number, rng: RandomGenerator): string {
  let s = '';
  for (let i = 0; i < n; i += 32) {
    const word = rng.next() >>> 0;
    for (let j = 0; j < 32 && i + j < n; j++) s += (word >>> j) & 1 ? '1' : '0';
  }
  return s;
}

/** All 2^n bit strings, in increasing binary order (MSB first). */
export function* allBits(n: number): Generator<string> {
  for (let v = 0; v < 2 ** n; v++) yield v.toString(2).padStart(n, '0');
}

/** The input as a bit string, or a clear error. */
export function asBits(input: TaskInput, length: number, task: string): string {
  if (typeof input !== 'string' || input.length !== length || !/^[01]*$/.test(input)) {
    throw new RangeError(`${task}: input must be a bit string of length ${length}, got ${JSON.stringify(input)}`);
  }
  return input;
}

/** Binary of v, MSB first, in exactly `width` bits. */
export function toBinary(v: number, width: number): string {
  return v.toString(2).padStart(width, '0').slice(-width);
}

export const BIT_SYMBOLS = ['0', '1'] as const;

/** '0', '1', …, String(max): decimal numbers as single symbols. */
export function numberSymbols(max: number): string[] {
  return Array.from({ length: max + 1 }, (_, i) => String(i));
}
