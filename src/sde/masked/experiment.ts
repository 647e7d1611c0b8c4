/**
 * Steps versus sequence validity for masked diffusion with the exact
 * denoiser — the experiment of Feng et al. 2025 (arXiv 2502.09622, "Theoretical
 * benefit and limitation of diffusion language model") on the task suites:
 * for each number of steps S, draw samples with sampler.ts and measure
 *   validity           = fraction of samples that are valid sequences,
 *   tokenError         = mean d(y, V)/L (nearest valid sequence, validity.ts),
 *   sameInputTokenError = mean Hamming fraction to the valid sequence of y's own input.
 * With S = L (one position per step) validity is 1: the sampler then draws
 * the exact joint. As S shrinks validity falls fast while token error stays
 * comparatively low.
 *
 * Conditional runs give the input (so the trace and answer are generated);
 * the same inputs, drawn from the seed, are used for every S so that rows
 * differ only in the number of steps.
 */
import type { Task, TaskInput } from '../../circuits/tasks/index.js';
import { rngFromSeed } from '../_internals/random.js';
import { exactDenoiser, type DenoiserMethod, type ExactDenoiser } from './exactDenoiser.js';
import type { MaskSchedule } from './maskSchedule.js';
import { conditionalState, sampleMasked, type UnmaskOrder } from './sampler.js';
import { sameInputTokenError, tokenError, isValidSequence } from './validity.js';

export interface MaskedStepsConfig {
  readonly task: Task;
  readonly depth: number;
  readonly steps: readonly number[];
  readonly samples: number;
  readonly order: UnmaskOrder;
  readonly conditional: boolean;
  readonly seed: number;
  readonly allocation?: 'even' | MaskSchedule;
  /** Denoiser method; default 'auto' (word-dp for word problems). */
  readonly method?: DenoiserMethod | 'auto';
  /** A denoiser already built for (task, depth), reused across calls. */
  readonly denoiser?: ExactDenoiser;
}

export interface MaskedStepsRow {
  readonly steps: number;
  readonly order: UnmaskOrder;
  readonly conditional: boolean;
  readonly samples: number;
  /** Number of generated positions per sample (L, or L − input length when conditional). */
  readonly generated: number;
  readonly validity: number;
  readonly tokenError: number;
  /** Mean over samples whose input segment is a task input; NaN if none is. */
  readonly sameInputTokenError: number;
}

export function maskedStepsExperiment(config: MaskedStepsConfig): MaskedStepsRow[] {
  const { task, depth, samples, order, conditional, seed } = config;
  if (!Number.isInteger(samples) || samples < 1) throw new RangeError(`samples must be a positive integer, got ${samples}`);
  const denoiser = config.denoiser ?? exactDenoiser(task, depth, { method: config.method ?? 'auto' });
  if (denoiser.task !== task || denoiser.depth !== depth) throw new RangeError('the given denoiser was built for another task or depth');
  const layout = denoiser.layout;
  const inputRng = rngFromSeed(seed);
  const inputs: TaskInput[] | undefined = conditional ? Array.from({ length: samples }, () => task.randomInput(depth, inputRng)) : undefined;
  return config.steps.map((steps, row) => {
    // One generator per row, derived from the seed and the row's position, so a row does not depend on the others.
    const rng = rngFromSeed(seed * 7919 + 104729 * (row + 1) + steps);
    let valid = 0;
    let tokErr = 0;
    let sameErr = 0;
    let sameCount = 0;
    for (let s = 0; s < samples; s++) {
      const initial = inputs === undefined ? undefined : conditionalState(task, depth, inputs[s]!, layout);
      const { sequence } = sampleMasked(denoiser, { steps, order, rng, ...(initial ? { initial } : {}), ...(config.allocation ? { allocation: config.allocation } : {}) });
      if (isValidSequence(task, depth, sequence)) valid++;
      tokErr += tokenError(denoiser, sequence);
      const same = sameInputTokenError(task, depth, sequence);
      if (same !== undefined) {
        sameErr += same;
        sameCount++;
      }
    }
    return {
      steps,
      order,
      conditional,
      samples,
      generated: conditional ? layout.length - layout.inputLength : layout.length,
      validity: valid / samples,
      tokenError: tokErr / samples,
      sameInputTokenError: sameCount === 0 ? Number.NaN : sameErr / sameCount,
    };
  });
}
