/**
 * The diffusion kind of a probe cell: a masked-diffusion (MDLM) transformer
 * over the task vocabulary plus an absorbing [MASK] token (the last id),
 * generating everything after the prompt — the answer (diffusionTarget
 * 'answer': <ans> is the last frozen token) or trace and answer ('cot':
 * <sep> is) — in S denoising steps, revealing positions in confidence
 * (easy-first) or random order. S defaults to one position per step, the
 * most sequential sampler; the probe's question is how accuracy falls as S
 * shrinks. (The default is per evaluated set: a depth-generalisation set with
 * longer answers gets more steps.)
 *
 * token_accuracy: fraction of generated positions (padding included) equal to
 * the truth after sampling. answer_accuracy: fraction of examples whose
 * answer positions are all right.
 */
import { hashSeed } from '../../../models/backbone/index.js';
import { MaskedDiffusionLM } from '../../../models/kinds/index.js';
import type { EncodedExample } from '../_internals/encodedSet.js';
import { backboneOf, chunks, type CellEvaluation, type CellModel, type KindContext } from './CellModel.js';

/** Streams of the per-step maskings (clear of the other seeded streams of a cell). */
const MASKING_SEED_BASE = 1 << 20;

export function diffusionCellModel(context: KindContext): CellModel {
  const maskToken = context.tokenizer.size;
  const lm = new MaskedDiffusionLM({ backbone: backboneOf(context, maskToken + 1), maskToken });
  const frozen = (e: EncodedExample) => e.tokens.map((_, i) => (i < e.promptLength ? 1 : 0));
  const c = context.config;
  return {
    trainable: lm,
    parameterCount: lm.transformer.parameterCount,
    // The masking of step s is drawn from its own seeded stream: training is a pure function of the step.
    batch: (examples, step) => ({ tokens: examples.map((e) => e.tokens), frozen: examples.map(frozen), maskingSeed: hashSeed(c.seed, MASKING_SEED_BASE + step) }),
    evaluate: (examples) => {
      const steps = c.denoisingSteps ?? defaultSteps(examples);
      let positions = 0;
      let right = 0;
      let answers = 0;
      for (const part of chunks(examples)) {
        const out = lm.sampleBatch(part.map((e) => e.tokens), part.map(frozen), { steps, order: c.unmaskOrder, seed: c.seed });
        part.forEach((e, b) => {
          const row = out[b] ?? [];
          for (let i = e.promptLength; i < e.tokens.length; i++) {
            positions += 1;
            if (row[i] === e.tokens[i]) right += 1;
          }
          if (e.answerPositions.every((i) => row[i] === e.tokens[i])) answers += 1;
        });
      }
      const n = examples.length;
      return {
        tokenAccuracy: positions === 0 ? Number.NaN : right / positions,
        answerAccuracy: n === 0 ? Number.NaN : answers / n,
        details: { denoising_steps: steps },
      };
    },
    dispose: () => lm.dispose(),
  };
}

/** One step per generated position of the longest-generating example. */
function defaultSteps(examples: readonly EncodedExample[]): number {
  return Math.max(1, ...examples.map((e) => e.tokens.length - e.promptLength));
}
