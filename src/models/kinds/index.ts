/**
 * The model kinds of src/models built on the shared backbone: the causal
 * language model (answer-only and chain-of-thought formats; next-token
 * cross-entropy on masked positions, greedy decoding) and the tagged model
 * (one label per position), with their shared masked cross-entropy
 * L = Σ m·(−log p[y]) / Σ m.
 */
export { CausalLM } from './CausalLM.js';
export type { DecodeExample, LMBatch, LMEvaluation } from './CausalLM.js';
export { TaggedLM } from './TaggedLM.js';
export type { TaggedBatch, TaggedEvaluation, TaggedLMConfig } from './TaggedLM.js';
export { maskedCrossEntropy } from './maskedCrossEntropy.js';
export type { Rows } from './maskedCrossEntropy.js';
export { MDLM_EPSILON, MaskedDiffusionLM, alphaLogLinear, type DiffusionBatch, type Masking, type MaskedDiffusionConfig, type SampleOptions } from './MaskedDiffusionLM.js';
export { causalBitsPerToken, type CausalBitsOptions, type CausalScorer, type HeldOutBits } from './heldOutBits.js';
export { mdlmNelbo } from './mdlmElbo.js';
export { mdlmNelboExhaustive } from './mdlmNelboExhaustive.js';
export { maskCountWeights } from './maskCountWeights.js';
export type { Denoiser, MdlmEstimatorOptions, MdlmNelboOptions, NelboEstimate } from './mdlmNelboTypes.js';
export { diffusionBitsPerToken, type DiffusionBitsOptions } from './diffusionBitsPerToken.js';
export { maskedDiffusionDenoiser } from './maskedDiffusionDenoiser.js';
export { AnyOrderLM, type AnyOrderBatch, type AnyOrderConfig } from './AnyOrderLM.js';
