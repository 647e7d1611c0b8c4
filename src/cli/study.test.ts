/** `depthlab study run`: one JSON document per run, held-out bits along the way; one-line errors, exit 2. */
import { describe, expect, it } from 'vitest';
import { expectUsageError, runCli } from './_internals/runCli.testing.js';

const SMALL = ['--unique-tokens', '1500', '--epochs', '4', '--layers', '1', '--d-model', '16', '--heads', '2', '--context', '16', '--batch-size', '8', '--eval-points', '3', '--backend', 'wasm'];

describe('depthlab study run', () => {
  it.each([['ar'], ['diffusion'], ['ar-orders']])('%s: one JSON document with the held-out curve', (model) => {
    const r = runCli('study', 'run', '--model', model, ...SMALL, '--json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { unique_tokens: number; epochs: number; curve: { epoch: number; bits_per_token: number }[]; flops_estimate: string };
    expect(doc).toMatchObject({ unique_tokens: 1500, epochs: 4, flops_estimate: '6ND' });
    expect(doc.curve).toHaveLength(3);
    expect(doc.curve.at(-1)!.epoch).toBe(4);
    for (const e of doc.curve) expect(Number.isFinite(e.bits_per_token)).toBe(true);
  });

  it.each([
    [['--epochs', '2'], '--unique-tokens is required'],
    [['--unique-tokens', '100'], '--epochs is required'],
    [['--unique-tokens', '999999999', '--epochs', '2'], 'U = 999999999 exceeds'],
    [['--unique-tokens', '100', '--epochs', '2', '--model', 'gpt'], '--model must be one of ar, diffusion, ar-orders'],
  ])('%j → exit 2, one line', (args, fragment) => {
    expectUsageError(runCli('study', 'run', ...args), fragment);
  });
});
