/**
 * Reading and writing a checkpoint's files: the JSON text form (one-space
 * indent, trailing newline), reading a file's bytes or JSON with every
 * failure a CheckpointError (missing, unreadable, not JSON), and the header
 * check every checkpoint JSON file passes ({ format: CHECKPOINT_FORMAT,
 * version: CHECKPOINT_VERSION, … }).
 */
import { readFile } from 'node:fs/promises';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from '../checkpointFormat.js';
import { CheckpointError } from '../CheckpointError.js';

/** A JSON value as checkpoint files hold it. */
export const json = (value: unknown): string => `${JSON.stringify(value, null, 1)}\n`;

/** The bytes of `path`; a CheckpointError if it is missing or unreadable. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CheckpointError(path, code === 'ENOENT' ? 'is missing' : `cannot be read (${String(code ?? error)})`);
  }
}

/** The JSON value in `path`; a CheckpointError if it is missing, unreadable or not JSON. */
export async function readJson(path: string): Promise<unknown> {
  const text = new TextDecoder().decode(await readBytes(path));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CheckpointError(path, `is corrupted (not valid JSON: ${(error as Error).message})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an object, if it carries this checkpoint format and version; a CheckpointError otherwise. */
export function checkHeader(path: string, value: unknown): Record<string, unknown> {
  if (!isRecord(value) || value.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(path, `is corrupted (not a ${CHECKPOINT_FORMAT} file)`);
  }
  if (value.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(path, `has format version ${String(value.version)}, this depthlab reads ${CHECKPOINT_VERSION}`);
  }
  return value;
}
