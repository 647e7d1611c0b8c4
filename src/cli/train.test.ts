/**
 * `depthlab train` end to end: one JSON document with the promised fields,
 * the same numbers for the same seed and backend, one-line errors (exit 2)
 * for bad flags, configs and backends.
 */
import { describe, expect, it } from 'vitest';
import { expectUsageError, runCli } from './_internals/runCli.testing.js';

const SMALL = ['--family', 'parity', '--depth', '5', '--d-model', '16', '--heads', '2', '--layers', '1', '--steps', '8', '--batch-size', '8', '--backend', 'wasm'];

describe('depthlab train', () => {
  it('prints one JSON object with the promised fields; same seed and backend, same numbers', () => {
    const runs = [runCli('train', ...SMALL, '--model', 'cot', '--json'), runCli('train', ...SMALL, '--model', 'cot', '--json')];
    const [a, b] = runs.map((r) => {
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    });
    for (const field of ['backend', 'params', 'steps', 'loss_first', 'loss_last', 'token_accuracy', 'answer_accuracy', 'train_tokens_per_s']) {
      expect(a, field).toHaveProperty(field);
    }
    expect(a!['backend']).toBe('wasm');
    expect(a!['steps']).toBe(8);
    for (const field of ['params', 'loss_first', 'loss_last', 'token_accuracy', 'answer_accuracy', 'curve', 'details', 'id']) {
      expect(b![field], field).toEqual(a![field]);
    }
    expect(runs[0]!.stderr).toContain('backend: forced (--backend wasm)');
  });

  it('prints a learning-curve summary and the metrics as text', () => {
    const r = runCli('train', ...SMALL, '--model', 'lstm');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^lstm on parity \(TC0\) at depth 5/);
    expect(r.stdout).toMatch(/^step\s+loss\s+lr/m);
    expect(r.stdout).toMatch(/^answer_accuracy\s+\d\.\d{4}$/m);
  });

  it.each([
    [['--depth', '3'], '--family is required'],
    [['--family', 'parity'], '--depth is required'],
    [['--family', 'nope', '--depth', '3'], 'task = "nope": unknown'],
    [['--family', 'parity', '--depth', '3', '--model', 'gpt'], '--model must be one of ar, cot, tagged, diffusion, looped, lstm'],
    [['--family', 'parity', '--depth', '99999999'], '--depth: depth = 99999999'],
    [['--family', 'formula', '--depth', '2', '--model', 'tagged'], 'no per-position labels'],
    [['--family', 'parity', '--depth', '5', '--d-model', '30'], '--heads: heads = 4'],
    [['--family', 'parity', '--depth', '5', '--n-train', '999'], 'lower --n-train to at most'],
    [['--family', 'parity', '--depth', '5', '--early-stop', '0.9'], '--eval-every'],
    [['--family', 'parity', '--depth', '5', '--backend', 'tensorflow'], 'backend tensorflow is not available'],
    [['--family', 'parity', '--depth', '5', '--lr', 'fast'], '--lr must be a number'],
  ])('%j → exit 2, one line naming the problem', (args, fragment) => {
    expectUsageError(runCli('train', ...args), fragment);
  });
});
