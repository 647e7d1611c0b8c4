/**
 * A probe cell: one model kind trained on one task at one depth, scored on
 * held-out examples — its config (validated, hashed into its id) and runner.
 */
export { canonicalJson, cellConfig, CellConfigError, cellConfigSchema, cellHash, MODEL_KINDS } from './CellConfig.js';
export type { CellConfig, CellConfigInput, ModelKind } from './CellConfig.js';
export { CellInterrupted, resolveCell, runCell } from './runCell.js';
export type { CellResult, RunCellOptions } from './runCell.js';
export { MODEL_KIND_SPECS } from './modelKinds.js';
export type { CellEvaluation, CellModel, KindContext, ModelKindSpec } from './kinds/CellModel.js';
