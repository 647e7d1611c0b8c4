/**
 * The binary tensor files of a checkpoint (weights.bin, optimizer.bin) and
 * their JSON indexes (checkpointFormat.ts): packing named tensors into
 * float32 little-endian data, concatenated, with an index of name, shape,
 * byte offset and length (4 × Π shape), the file's byte length and SHA-256;
 * and reading them back, checking the length, the SHA-256 and that every
 * entry fits the file.
 */
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION, type BinIndex, type TensorEntry } from '../checkpointFormat.js';
import { CheckpointError } from '../CheckpointError.js';
import { checkHeader, readBytes, readJson } from './checkpointJson.js';

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The tensors' float32 data, concatenated, and its index naming `file`. */
export async function packTensors(
  named: { name: string; tensor: TF.Tensor }[],
  file: string,
): Promise<{ data: Uint8Array; index: BinIndex }> {
  const tensors: TensorEntry[] = [];
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const { name, tensor } of named) {
    const values = Float32Array.from(await tensor.data());
    const bytes = new Uint8Array(values.buffer);
    tensors.push({ name, shape: [...tensor.shape], dtype: 'float32', offset, bytes: bytes.byteLength });
    parts.push(bytes);
    offset += bytes.byteLength;
  }
  const data = new Uint8Array(offset);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.byteLength;
  }
  return { data, index: { format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, file, bytes: offset, sha256: sha256(data), tensors } };
}

/** Reads an index and its .bin, checking length and SHA-256; returns the float32 arrays in order. */
export async function readBin(dir: string, indexName: string): Promise<{ index: Record<string, unknown>; arrays: { entry: TensorEntry; values: Float32Array }[] }> {
  const indexPath = join(dir, indexName);
  const index = checkHeader(indexPath, await readJson(indexPath));
  const tensors = index.tensors;
  if (typeof index.file !== 'string' || typeof index.sha256 !== 'string' || !Array.isArray(tensors)) {
    throw new CheckpointError(indexPath, 'is corrupted (index fields missing)');
  }
  const binPath = join(dir, basename(index.file));
  const data = await readBytes(binPath);
  if (data.byteLength !== index.bytes) {
    throw new CheckpointError(binPath, `is corrupted (${data.byteLength} bytes, its index ${indexName} says ${String(index.bytes)})`);
  }
  if (sha256(data) !== index.sha256) throw new CheckpointError(binPath, `is corrupted (SHA-256 differs from ${indexName})`);
  const arrays = (tensors as TensorEntry[]).map((entry) => {
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.bytes !== 4 * count || entry.offset + entry.bytes > data.byteLength) {
      throw new CheckpointError(indexPath, `is corrupted (entry ${entry.name} does not fit ${basename(index.file as string)})`);
    }
    // Copy into an aligned buffer (the slice may start at any offset).
    const values = new Float32Array(data.slice(entry.offset, entry.offset + entry.bytes).buffer);
    return { entry, values };
  });
  return { index, arrays };
}
