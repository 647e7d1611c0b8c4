/** `depthlab study run`: one JSON document per run (Brown or a task's examples), held-out bits along the way; one-line errors, exit 2. */
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

  it('--corpus task: trains on a task\'s examples (parity, depth 10, direct) with attention dropout', () => {
    const r = runCli('study', 'run', '--model', 'ar', ...SMALL.slice(4), '--unique-tokens', '800', '--epochs', '2', '--corpus', 'task', '--task', 'parity', '--task-depth', '10', '--task-format', 'direct', '--held-out-tokens', '400', '--attention-dropout', '0.1', '--json');
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { config: Record<string, unknown>; vocab_size: number; unique_tokens: number; curve: { bits_per_token: number }[] };
    expect(doc.config).toMatchObject({ corpus: 'task', task: 'parity', taskDepth: 10, taskFormat: 'direct', heldOutTokens: 400, attentionDropout: 0.1 });
    expect(doc.config.group).toBeUndefined();
    expect(doc).toMatchObject({ unique_tokens: 800, vocab_size: 9 });
    expect(doc.curve).toHaveLength(3);
    for (const e of doc.curve) expect(Number.isFinite(e.bits_per_token)).toBe(true);
  });

  it.each([
    [['--unique-tokens', '800', '--epochs', '2', '--task', 'parity'], '--task only applies to --corpus task (got --corpus brown-char); drop it or add --corpus task'],
    [['--unique-tokens', '800', '--epochs', '2', '--corpus', 'task', '--task-depth', '10'], '--corpus task needs --task'],
    [['--unique-tokens', '800', '--epochs', '2', '--corpus', 'task', '--task', 'parity'], '--corpus task needs --task-depth'],
    [['--unique-tokens', '800', '--epochs', '2', '--corpus', 'task', '--task', 'sorting', '--task-depth', '4'], 'task = "sorting": unknown; choose one of'],
    [['--unique-tokens', '800', '--epochs', '2', '--corpus', 'task', '--task', 'parity', '--task-depth', '10', '--task-format', 'tagged'], '--task-format must be one of direct, cot'],
    [['--unique-tokens', '5000', '--epochs', '2', '--corpus', 'task', '--task', 'parity', '--task-depth', '6', '--held-out-tokens', '80'], 'uniqueTokens = 5000 exceeds the 1003 tokens that parity at depth 6 (cot) allows'],
    [['--unique-tokens', '800', '--epochs', '2', '--attention-dropout', '1'], '--attention-dropout must be a number in [0, 0.99]'],
  ])('task and attention-dropout flags: %j → exit 2, one line', (args, fragment) => {
    expectUsageError(runCli('study', 'run', ...args), fragment);
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
