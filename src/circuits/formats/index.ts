/**
 * Circuit files: the depthlab JSON format and ISCAS `.bench` netlists, plus
 * reading and writing them on disk. Reading picks the format by extension
 * (or by content when the extension says nothing); writing is atomic, so an
 * interrupted write never leaves a half-written circuit behind.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Circuit } from '../Circuit.js';
import { CircuitError } from '../CircuitError.js';
import { circuitToBench, type BenchWriteOptions } from './circuitToBench.js';
import { parseBench } from './parseBench.js';
import { circuitToJson, parseCircuitJson } from './circuitJson.js';

export { circuitToBench, type BenchWriteOptions } from './circuitToBench.js';
export { parseBench } from './parseBench.js';
export { CIRCUIT_JSON_FORMAT, CIRCUIT_JSON_VERSION, circuitToJson, parseCircuitJson } from './circuitJson.js';

export type CircuitFormat = 'json' | 'bench';

/** The format a file name's extension names (.json, .bench), or undefined. */
export function formatFromPath(path: string): CircuitFormat | undefined {
  const ext = extname(path).toLowerCase();
  return ext === '.json' ? 'json' : ext === '.bench' ? 'bench' : undefined;
}

/** Parses circuit text in the given format; `source` names the file in error messages. */
export function parseCircuit(text: string, format: CircuitFormat, source?: string): Circuit {
  return format === 'json' ? parseCircuitJson(text, source) : parseBench(text, source);
}

/** Serialises a circuit in the given format. */
export function formatCircuit(circuit: Circuit, format: CircuitFormat, options: BenchWriteOptions = {}): string {
  return format === 'json' ? circuitToJson(circuit) : circuitToBench(circuit, options);
}

/**
 * Reads a circuit file: .json and .bench by extension, anything else by
 * content (a first non-blank '{' means JSON, otherwise .bench).
 */
export async function readCircuitFile(path: string): Promise<Circuit> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CircuitError('format', `cannot read ${path}: ${reason(err)}`, path);
  }
  // A byte-order mark is whitespace to .bench but a syntax error to JSON.parse.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const format = formatFromPath(path) ?? (text.trimStart().startsWith('{') ? 'json' : 'bench');
  return parseCircuit(text, format, path);
}

/**
 * Writes a circuit file, in `format` or else the one the extension names.
 * The text goes to a temporary file in the same directory, is flushed, and is
 * renamed over `path`: readers see the old file or the new one, never a part.
 */
export async function writeCircuitFile(path: string, circuit: Circuit, format?: CircuitFormat, options: BenchWriteOptions = {}): Promise<void> {
  const chosen = format ?? formatFromPath(path);
  if (chosen === undefined) {
    throw new CircuitError('format', `cannot tell the format of ${path} from its extension; name it .json or .bench, or pass the format`, path);
  }
  // Serialise first, so that a circuit the format cannot express touches no file.
  const text = formatCircuit(circuit, chosen, options);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx');
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    const why = (err as { code?: unknown } | null)?.code === 'ENOENT' ? 'its directory does not exist' : reason(err);
    throw new CircuitError('format', `cannot write ${path}: ${why}`, path);
  }
}

function reason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    case 'ENOTDIR': return 'a parent of it is not a directory';
    case 'ENOSPC': return 'no space left on the device';
    case 'EROFS': return 'the file system is read-only';
    default: {
      const message = err instanceof Error ? err.message : String(err);
      return message.split(/\r\n|\r|\n/)[0] ?? 'unknown error';
    }
  }
}
