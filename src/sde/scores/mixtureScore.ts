/**
 * The exact score of a diffused Gaussian mixture. With p_0 = Σ_k π_k N(μ_k, Σ_k)
 * and the forward marginal x_t = a(t)·x0 + s(t)·z of any Schedule,
 *
 *   p_t(x)       = Σ_k π_k N(x; a μ_k, S_k),   S_k = a² Σ_k + s² I,
 *   ∇log p_t(x)  = Σ_k w_k(x) S_k⁻¹ (a μ_k − x),
 *   w_k(x)       = π_k N(x; a μ_k, S_k) / p_t(x)   (softmax of log terms, by log-sum-exp).
 *
 * The factors of S_k (the precision matrices S_k⁻¹ from a Cholesky factor, or
 * 1/diag for diagonal covariances) depend on t only, so they are computed once
 * per t and kept in a small LRU cache keyed by t: a sampler evaluates n
 * particles at one t, and predictor–corrector or Heun steps come back to the
 * same t several times. The batch goes through PerturbedMixture.scoreInto (one
 * stacked mat-vec per particle, WebAssembly SIMD where available).
 */
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { timeCache } from '../_internals/timeCache.js';
import type { Schedule } from '../schedules/Schedule.js';
import type { Score } from './Score.js';
import {
  checkMixture,
  mixtureDim,
  perturbMixture,
  samplePerturbed,
  type AnyGaussianMixture,
  type PerturbedMixture,
} from '../mixtures/GaussianMixture.js';

export interface MixtureScoreOptions {
  /** How many distinct times keep their factors (default 32). */
  cacheSize?: number;
}

/** A Score that also exposes log p_t, for tests and metrics that need the density itself. */
export interface MixtureScore extends Score {
  /** log p_t(x) for one point x of length dim. */
  logDensity(x: ArrayLike<number>, t: number): number;
}

/** The exact score ∇log p_t of the mixture diffused by `schedule`. Checks the mixture first (MixtureError). */
export function mixtureScore(mix: AnyGaussianMixture, schedule: Schedule, options: MixtureScoreOptions = {}): MixtureScore {
  checkMixture(mix);
  const dim = mixtureDim(mix);
  const at = timeCache(options.cacheSize ?? 32, (t) => perturbMixture(mix, schedule.mean(t), schedule.std(t)));
  return {
    dim,
    evaluate(x: Float64Array, n: number, t: number, out: Float64Array): void {
      at(t).scoreInto(x, n, out);
    },
    logDensity(x: ArrayLike<number>, t: number): number {
      return at(t).evaluate(x, 0);
    },
  };
}

/** log p_t(x) of the diffused mixture at one point (factors computed afresh; use mixtureScore(...).logDensity in loops). */
export function mixtureLogDensityAt(mix: AnyGaussianMixture, schedule: Schedule, x: ArrayLike<number>, t: number): number {
  return perturbMixture(mix, schedule.mean(t), schedule.std(t)).evaluate(x, 0);
}

/** n draws of x_t = a(t)·x0 + s(t)·z with x0 from the mixture: exact samples of p_t, row-major [n, d]. */
export function sampleMixtureAt(
  mix: AnyGaussianMixture, schedule: Schedule, t: number, n: number, rng: RandomGenerator,
): Float64Array {
  return samplePerturbed(mix, schedule.mean(t), schedule.std(t), n, rng);
}
