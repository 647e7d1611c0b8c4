/**
 * The on-disk format of a checkpoint directory (checkpoint.ts has the whole
 * layout): the format tag and version every JSON file carries, and the JSON
 * indexes of the binary tensor files. A .bin file is float32 little-endian
 * data, tensors concatenated; its index gives per tensor the name, shape,
 * byte offset and byte length (4 × Π shape), plus the file's byte length and
 * SHA-256. optimizer.json is such an index (all first moments m, then all
 * second moments v) with Adam's kind, β1, β2, ε, iteration count t and the
 * running products β1^{t+1}, β2^{t+1}.
 */

export const CHECKPOINT_FORMAT = 'depthlab-checkpoint';
export const CHECKPOINT_VERSION = 1;

/** One tensor in a .bin file. */
export interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Byte offset in the .bin file. */
  offset: number;
  /** Byte length (4 × element count). */
  bytes: number;
}

/** A .bin file's JSON index. */
export interface BinIndex {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  file: string;
  bytes: number;
  sha256: string;
  tensors: TensorEntry[];
}

export interface OptimizerFile extends BinIndex {
  kind: 'adam' | 'adamw';
  beta1: number;
  beta2: number;
  epsilon: number;
  iterations: number;
  /** β1^{t+1}, β2^{t+1} as Adam holds them (float32 values), or null if not readable. */
  accBeta: [number, number] | null;
}
