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
 *
 * This module is the checkpoints' entry point; it re-exports
 *   saveCheckpoint.ts               saveCheckpoint
 *   loadCheckpoint.ts               loadCheckpoint, loadWeights, readCheckpointConfig
 *   checkpointFormat.ts             CHECKPOINT_FORMAT, CHECKPOINT_VERSION, TensorEntry, BinIndex, OptimizerFile
 *   CheckpointError.ts              CheckpointError
 * which use
 *   _internals/tensorBin.ts         packing and reading the .bin files and their indexes (length, SHA-256)
 *   _internals/checkpointJson.ts    the JSON files: text form, reading, format/version header check
 *   _internals/atomicDirectory.ts   the atomic directory swap
 */
export { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './checkpointFormat.js';
export type { BinIndex, OptimizerFile, TensorEntry } from './checkpointFormat.js';
export { CheckpointError } from './CheckpointError.js';
export { loadCheckpoint, loadWeights, readCheckpointConfig } from './loadCheckpoint.js';
export { saveCheckpoint } from './saveCheckpoint.js';
