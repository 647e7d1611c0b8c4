/**
 * Test helpers for the command line: spawn the compiled dist/cli.js (built by
 * `npm test` before vitest runs) like a user would, and check the contract of
 * a usage error — exit 2, nothing on stdout, one line on stderr, no stack.
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'vitest';

export const CLI = new URL('../../../dist/cli.js', import.meta.url).pathname;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(...args: string[]): CliRun {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DEPTHLAB_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function expectUsageError(r: CliRun, fragment: string): void {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^depthlab: /);
  expect(lines[0]).toContain(fragment);
  expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace
}
