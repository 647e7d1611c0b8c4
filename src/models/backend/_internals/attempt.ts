/**
 * What trying one backend comes to (Attempt), and the small steps every
 * attempt shares: a one-line cause from an error, importing an optional
 * package by a variable specifier, and making a registered backend current.
 */
import { oneLine } from '../BackendUnavailableError.js';
import { loadTf } from '../tfRuntime.js';

/** A failed attempt may carry a fix more precise than selectBackend's FIXES[name]. */
export type Attempt = { ok: true; detail: string } | { ok: false; detail: string; fix?: string };

/** An error as one line of text. */
export function message(error: unknown): string {
  return oneLine(error instanceof Error ? error.message : String(error));
}

/** Imports an optional package by a variable specifier (it has no types here, and may be absent). */
export async function importOptional(pkg: string): Promise<unknown> {
  const specifier: string = pkg;
  return import(specifier);
}

/** Makes `name` the tfjs backend; false when tfjs refuses it. */
export async function activate(name: string): Promise<boolean> {
  const tf = await loadTf();
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) return false;
  await tf.ready();
  return tf.getBackend() === name;
}
