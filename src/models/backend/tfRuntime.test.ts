/** readTidy: the values of a computed tensor, with every intermediate freed. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { selectBackend } from './selectBackend.js';
import { readTidy } from './tfRuntime.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

it('returns the values and leaves no tensor behind', () => {
  const before = tf.memory().numTensors;
  const values = readTidy(() => tf.add(tf.mul(tf.tensor1d([1, 2, 3]), 2), 1));
  expect(Array.from(values)).toEqual([3, 5, 7]);
  expect(tf.memory().numTensors).toBe(before);
});

it('reads a large tensor without walking it as a container (the tidy-returns-typed-array trap)', () => {
  // tf.tidy(() => t.dataSync()) visits every index of the returned array;
  // readTidy returns the tensor from tidy and reads it afterwards.
  const values = readTidy(() => tf.ones([400, 1000]));
  expect(values.length).toBe(400_000);
  expect(values[399_999]).toBe(1);
});
