/**
 * Test helper (not part of the build): run a test file on the wasm backend and
 * dispose what each test tracks afterwards.
 */
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, expect } from 'vitest';
import { selectBackend } from '../backend/index.js';

export function useWasmBackend(): <T extends { dispose(): void }>(x: T) => T {
  let toDispose: { dispose(): void }[] = [];
  beforeAll(async () => {
    await selectBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
  afterEach(() => {
    for (const x of toDispose) x.dispose();
    toDispose = [];
  });
  return (x) => {
    toDispose.push(x);
    return x;
  };
}
