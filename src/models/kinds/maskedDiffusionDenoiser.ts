/**
 * A MaskedDiffusionLM as the denoiser of the MDLM NELBO estimators:
 *
 *   log p_θ(x_i | noisy) = log_softmax(z + b)[x_i],   z = lm.logits(noisy) (no dropout),
 *
 * with b = −1e9 at the [MASK] id when `excludeMask` (MDLM's substitution
 * parameterisation, the distribution sampleBatch draws from), else b = 0 (the
 * full softmax of the training loss).
 */
import { oneHotFloat, readTidy, tfNow } from '../backend/index.js';
import type { MaskedDiffusionLM } from './MaskedDiffusionLM.js';
import { flatInt } from './maskedCrossEntropy.js';
import type { Denoiser } from './mdlmNelboTypes.js';

/** The model's denoiser: log-softmax of its logits (without dropout) gathered at the clean tokens, [B·L]. */
export function maskedDiffusionDenoiser(lm: MaskedDiffusionLM, options: { excludeMask?: boolean } = {}): Denoiser {
  const exclude = options.excludeMask ?? true;
  const vocab = lm.transformer.config.vocabSize;
  return (noisy, clean) => {
    const tf = tfNow();
    const batch = noisy.length;
    const length = noisy[0]?.length ?? 0;
    const ids = flatInt(clean, batch, length, 'maskedDiffusionDenoiser clean');
    return readTidy(() => {
      let z = lm.logits(noisy); // [B, L, V]
      if (exclude) {
        // A finite −1e9 (not −∞): the one-hot's 0 times it stays 0.
        const bias = new Float32Array(vocab);
        bias[lm.maskToken] = -1e9;
        z = tf.add(z, tf.tensor1d(bias));
      }
      const logP = tf.logSoftmax(z); // [B, L, V]
      const y = tf.tensor2d(ids, [batch, length], 'int32'); // [B, L]
      return tf.sum(tf.mul(oneHotFloat(y, vocab), logP), -1); // [B, L]
    });
  };
}
