/**
 * Probe specs: validation (one-line errors naming the JSON path), expansion
 * into cells, sharding across machines, and the named presets.
 */
export { parseProbeSpec, probeSpec, ProbeSpecError, probeSpecSchema } from './ProbeSpec.js';
export type { ProbeSpec, ProbeSpecInput } from './ProbeSpec.js';
export { expandGrid } from './expandGrid.js';
export type { GridCell } from './expandGrid.js';
export { parseShard, shardCells, ShardError, shardFromEnvironment } from './shard.js';
export type { Shard } from './shard.js';
export { PRESET_NAMES, PRESETS } from './presets.js';
