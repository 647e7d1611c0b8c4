/**
 * The shared transformer backbone of src/models: its configuration (defaults,
 * validation, closed-form parameter count), the model itself (pre-LayerNorm
 * blocks; attention softmax(QKᵀ/√h + M)V with an explicit additive mask;
 * learned positions or RoPE; optional weight tying and dropout), and the
 * batched attention product built from plain 2-D products for wasm; and the
 * LSTM control (stacked LSTM layers, parameter count matched to a transformer).
 */
export type { Backbone, BackboneShape } from './Backbone.js';
export { batchedMatMul } from './batchedMatMul.js';
export { Lstm } from './Lstm.js';
export { LSTM_DEFAULTS, LstmConfigError, lstmConfig, lstmHiddenForParameters, lstmParameterCount } from './LstmConfig.js';
export type { LstmConfig, LstmConfigInput } from './LstmConfig.js';
export { SeededRandom, hashSeed } from './seededRandom.js';
export { MASKED_SCORE, Transformer } from './Transformer.js';
export type { ForwardOptions, TokenBatch } from './Transformer.js';
export {
  TRANSFORMER_DEFAULTS,
  TransformerConfigError,
  parameterCount,
  transformerConfig,
} from './TransformerConfig.js';
export type { AttentionKind, Positional, TransformerConfig, TransformerConfigInput } from './TransformerConfig.js';
