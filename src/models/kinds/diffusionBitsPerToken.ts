/**
 * Held-out bits per token of a masked-diffusion model, comparable with a
 * causal model's held-out NLL (heldOutBits.ts): the MDLM NELBO of each row
 * (mdlmNelbo with the model's denoiser, mdlmElbo.ts), an upper bound on
 * −log₂ p(x), pooled over rows,
 *
 *   bits/token = Σ_x NELBO(x) / (N · ln 2),   N = Σ_x (L_x − given),
 *
 * with standard error √(Σ_x Var NELBO(x)) / (N · ln 2).
 */
import { checkRows, natsToBits, summarise, type HeldOutBits } from './heldOutBits.js';
import type { MaskedDiffusionLM } from './MaskedDiffusionLM.js';
import { maskedDiffusionDenoiser } from './maskedDiffusionDenoiser.js';
import type { Rows } from './maskedCrossEntropy.js';
import { mdlmNelbo } from './mdlmElbo.js';
import type { MdlmEstimatorOptions } from './mdlmNelboTypes.js';

export interface DiffusionBitsOptions extends Omit<MdlmEstimatorOptions, 'maskToken'> {
  /**
   * Exclude the [MASK] logit from the predicted distribution (MDLM's
   * substitution parameterisation, and what sampleBatch draws from); false
   * scores with the full softmax as MaskedDiffusionLM's training loss does.
   * Default true.
   */
  excludeMask?: boolean;
}

/**
 * Held-out bits per token of a masked-diffusion model: the MDLM NELBO
 * (mdlmNelbo with the model's denoiser) pooled over rows, in bits, over the
 * number of free positions. Pass the rows and `given` of the causal metric
 * to score the same tokens.
 */
export function diffusionBitsPerToken(lm: MaskedDiffusionLM, sequences: Rows, options: DiffusionBitsOptions = {}): HeldOutBits {
  const { vocabSize, contextLength } = lm.transformer.config;
  checkRows(sequences, vocabSize, contextLength, options.given ?? 0, 'diffusionBitsPerToken');
  const estimate = mdlmNelbo(sequences, maskedDiffusionDenoiser(lm, { excludeMask: options.excludeMask ?? true }), {
    ...options,
    maskToken: lm.maskToken,
  });
  const tokens = estimate.tokens.reduce((s, n) => s + n, 0);
  const variance = estimate.variance.reduce((s, v) => s + v, 0);
  return summarise(estimate.nats.map(natsToBits), tokens, natsToBits(Math.sqrt(variance)) / tokens);
}
