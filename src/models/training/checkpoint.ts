/**
 * Checkpoints: a directory holding everything needed to resume training bit
 * for bit on the same backend.
 *
 *   config.json      the caller's model/run config (any JSON value)
 *   weights.json     index of weights.bin: per variable (in the model's order)
 *                    its name, shape, byte offset and length, plus the file's
 *                    byte length and SHA-256
 *   weights.bin      the variables' float32 data, little-endian, concatenated
 *   optimizer.json   Adam's state: kind, β1, β2, ε, iteration count t, the
 *                    running products β1^{t+1}, β2^{t+1}, and the index of
 *                    optimizer.bin (all first moments m, then all second
 *                    moments v, tfjs getWeights() order)
 *   optimizer.bin    the moments' float32 data
 *   trainer.json     the trainer's counters: steps, tokens, first/last loss, history
 *
 * Format choice: tfjs's filesystem io handler (`file://`) only exists in
 * @tensorflow/tfjs-node, which is absent here, and tf.io.decodeWeights returns
 * a map keyed by name, which reorders tfjs's numeric auto-generated variable
 * names. So the binary layout is written directly (name, shape, Float32 data
 * with a JSON index), matched to variables by position and checked by shape.
 *
 * The equations being resumed (Adam m_t = β1 m + (1−β1) g, v_t = β2 v + (1−β2) g²,
 * θ ← θ − η_t m̂/(√v̂ + ε); AdamW θ ← θ(1 − η_t λ); the cosine schedule
 * η_t = η_min + (η − η_min)·½(1 + cos πp)) depend only on θ, m, v, t, the
 * running products and the step, which is why these are what is saved.
 *
 * Atomic writes: the checkpoint is written into a sibling temporary directory
 * (files fsync'd), which is then renamed onto the target; an existing
 * checkpoint is first renamed aside and removed only after the swap, so a
 * reader sees the old or the new checkpoint, never a mixture.
 *
 * Errors: a missing or corrupted file raises a CheckpointError whose message
 * is one line naming the file and the fix.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type * as TF from '@tensorflow/tfjs';
import { tfNow } from '../backend/tfRuntime.js';
import type { NamedTensor, StepRecord, Trainer, TrainerState } from './Trainer.js';

export const CHECKPOINT_FORMAT = 'depthlab-checkpoint';
export const CHECKPOINT_VERSION = 1;

const FIX = 're-save the checkpoint, or resume from another checkpoint directory';

/** A checkpoint file is missing, unreadable or inconsistent. The message is one line: the file, the cause, the fix. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  /** The file (or directory) at fault. */
  readonly file: string;

  constructor(file: string, cause: string) {
    super(`checkpoint file ${file} ${cause.replace(/\s*\n\s*/g, ' ')}; ${FIX}`);
    this.file = file;
  }
}

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

/** trainer.json: losses use null for "no step yet" (JSON has no NaN). */
interface TrainerFile {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  steps: number;
  tokens: number;
  lossFirst: number | null;
  lossLast: number | null;
  history: StepRecord[];
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

async function packTensors(
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

async function writeDurable(path: string, data: Uint8Array | string): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 1)}\n`;

/**
 * Saves the trainer's model variables, optimizer state and counters, with
 * `config` (the JSON the caller needs to rebuild the model), to `dir`,
 * atomically replacing any checkpoint already there.
 */
export async function saveCheckpoint<B>(dir: string, trainer: Trainer<B>, config: unknown): Promise<void> {
  const target = resolve(dir);
  const variables = trainer.variables();
  const weights = await packTensors(variables.map((v) => ({ name: v.name, tensor: v })), 'weights.bin');

  const optWeights = await trainer.optimizer.getWeights();
  const [iter, ...moments] = optWeights;
  const iterations = iter ? ((await iter.tensor.data())[0] ?? 0) : 0;
  if (iter) iter.tensor.dispose(); // a fresh scalar from tfjs; the moments are the optimizer's own variables
  const optimizer = await packTensors(moments, 'optimizer.bin');
  const o = trainer.options;
  const optimizerFile: OptimizerFile = {
    ...optimizer.index,
    kind: o.optimizer ?? 'adam',
    beta1: o.beta1 ?? 0.9,
    beta2: o.beta2 ?? 0.999,
    epsilon: o.epsilon ?? 1e-8,
    iterations,
    accBeta: trainer.adamAccumulators() ?? null,
  };
  const s = trainer.state();
  const trainerFile: TrainerFile = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    steps: s.steps,
    tokens: s.tokens,
    lossFirst: Number.isNaN(s.lossFirst) ? null : s.lossFirst,
    lossLast: Number.isNaN(s.lossLast) ? null : s.lossLast,
    history: s.history,
  };

  await mkdir(dirname(target), { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(dirname(target), `.${basename(target)}.tmp-${suffix}`);
  await mkdir(temp);
  try {
    await writeDurable(join(temp, 'config.json'), json(config ?? null));
    await writeDurable(join(temp, 'weights.bin'), weights.data);
    await writeDurable(join(temp, 'weights.json'), json(weights.index));
    await writeDurable(join(temp, 'optimizer.bin'), optimizer.data);
    await writeDurable(join(temp, 'optimizer.json'), json(optimizerFile));
    await writeDurable(join(temp, 'trainer.json'), json(trainerFile));
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await rename(temp, target);
    return;
  }
  const aside = join(dirname(target), `.${basename(target)}.old-${suffix}`);
  await rename(target, aside);
  try {
    await rename(temp, target);
  } catch (error) {
    await rename(aside, target);
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  await rm(aside, { recursive: true, force: true });
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new CheckpointError(path, code === 'ENOENT' ? 'is missing' : `cannot be read (${String(code ?? error)})`);
  }
}

async function readJson(path: string): Promise<unknown> {
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

function checkHeader(path: string, value: unknown): Record<string, unknown> {
  if (!isRecord(value) || value.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError(path, `is corrupted (not a ${CHECKPOINT_FORMAT} file)`);
  }
  if (value.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(path, `has format version ${String(value.version)}, this depthlab reads ${CHECKPOINT_VERSION}`);
  }
  return value;
}

/** Reads an index and its .bin, checking length and SHA-256; returns the float32 arrays in order. */
async function readBin(dir: string, indexName: string): Promise<{ index: Record<string, unknown>; arrays: { entry: TensorEntry; values: Float32Array }[] }> {
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

/** The config.json of a checkpoint (to rebuild the model before loading into it). */
export async function readCheckpointConfig(dir: string): Promise<unknown> {
  return readJson(join(resolve(dir), 'config.json'));
}

/**
 * Assigns a checkpoint's weights to `variables` (matched by position, checked
 * by count and shape). For inference; `loadCheckpoint` also restores training.
 */
export async function loadWeights(dir: string, variables: TF.Variable[]): Promise<void> {
  const tf = tfNow();
  const target = resolve(dir);
  const { arrays } = await readBin(target, 'weights.json');
  const indexPath = join(target, 'weights.json');
  if (arrays.length !== variables.length) {
    throw new CheckpointError(indexPath, `holds ${arrays.length} variables but the model has ${variables.length} (a different model config?)`);
  }
  arrays.forEach(({ entry }, i) => {
    const v = variables[i]!;
    if (entry.shape.length !== v.shape.length || entry.shape.some((d, k) => d !== v.shape[k])) {
      throw new CheckpointError(indexPath, `has ${entry.name} of shape [${entry.shape.join(', ')}] where the model's variable ${i} is [${v.shape.join(', ')}]`);
    }
  });
  tf.tidy(() => {
    arrays.forEach(({ entry, values }, i) => variables[i]!.assign(tf.tensor(values, entry.shape, 'float32')));
  });
}

/**
 * Restores a checkpoint into `trainer` (built on a model of the same config):
 * weights, the optimizer (a fresh Adam with the saved moments, iteration
 * count and running products) and the counters. Returns the saved config.
 * Continuing with `trainer.run()` reproduces the uninterrupted run exactly on
 * the same backend when the batch source is a function of the step.
 */
export async function loadCheckpoint<B>(dir: string, trainer: Trainer<B>): Promise<{ config: unknown; state: TrainerState }> {
  const tf = tfNow();
  const target = resolve(dir);
  const isDir = await stat(target).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new CheckpointError(target, 'is missing (no checkpoint directory there)');
  const config = await readCheckpointConfig(target);
  const trainerPath = join(target, 'trainer.json');
  const t = checkHeader(trainerPath, await readJson(trainerPath));
  if (typeof t.steps !== 'number' || typeof t.tokens !== 'number' || !Array.isArray(t.history)) {
    throw new CheckpointError(trainerPath, 'is corrupted (steps, tokens or history missing)');
  }
  const { index, arrays } = await readBin(target, 'optimizer.json');
  const optPath = join(target, 'optimizer.json');
  const o = index as unknown as OptimizerFile;
  if (typeof o.iterations !== 'number') throw new CheckpointError(optPath, 'is corrupted (iterations missing)');
  const variables = trainer.variables();
  if (arrays.length !== 0 && arrays.length !== 2 * variables.length) {
    throw new CheckpointError(optPath, `holds ${arrays.length} moments for ${variables.length} variables (a different model config?)`);
  }
  await loadWeights(target, variables);

  const named: NamedTensor[] = [
    { name: 'iter', tensor: tf.scalar(o.iterations, 'int32') },
    ...arrays.map(({ entry, values }) => ({ name: entry.name, tensor: tf.tensor(values, entry.shape, 'float32') })),
  ];
  try {
    await trainer.restoreOptimizer(named, o.accBeta ?? undefined);
  } finally {
    tf.dispose(named.map((n) => n.tensor));
  }
  const state: TrainerState = {
    steps: t.steps,
    tokens: t.tokens,
    lossFirst: typeof t.lossFirst === 'number' ? t.lossFirst : Number.NaN,
    lossLast: typeof t.lossLast === 'number' ? t.lossLast : Number.NaN,
    history: t.history as StepRecord[],
  };
  trainer.restoreState(state);
  return { config, state };
}
