/**
 * The error thrown when a backend is forced (`--backend NAME`) but cannot
 * start on this machine. Its message is one line naming the backend, the cause
 * and the fix, so the CLI can print it as is.
 */
import type { BackendName } from './selectBackend.js';

export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  /** The backend that was asked for. */
  readonly backend: BackendName;
  /** Why it could not start (one line). */
  readonly detail: string;

  constructor(backend: BackendName, cause: string, fix: string) {
    super(`backend ${backend} is not available: ${oneLine(cause)}; ${fix}`);
    this.backend = backend;
    this.detail = oneLine(cause);
  }
}

/** The first line of a message, trimmed (import failures carry stack-like detail). */
export function oneLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}
