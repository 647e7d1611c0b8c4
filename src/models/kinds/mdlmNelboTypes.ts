/**
 * The interface of the MDLM NELBO estimators (mdlmElbo.ts,
 * mdlmNelboExhaustive.ts): the denoiser they score with,
 * ℓ_i(M) = −log p_θ(x_i | x with the set M masked), their options (the [MASK]
 * id, the `given` prefix, s_max = 1 − α(1), the batch size, and for the
 * sampled estimator its kind, strata K, draws D and seed), and the per-row
 * estimate they return.
 */
import type { Rows } from './maskedCrossEntropy.js';

/**
 * A denoiser: rows with [MASK]s [B, L] and the clean rows [B, L] →
 * log p_θ(clean[b][i] | noisy[b]) for every position, row-major [B·L]
 * (values at unmasked positions are ignored).
 */
export type Denoiser = (noisy: Rows, clean: Rows) => ArrayLike<number>;

export interface MdlmNelboOptions {
  /** The absorbing [MASK] id written into masked positions; clean rows must not hold it. */
  maskToken: number;
  /** Leading positions of each row that are never masked and not scored. Default 0. */
  given?: number;
  /** s_max = 1 − α(1) ∈ (0, 1]: 1 is the complete bound, 1 − MDLM_EPSILON the training range (mdlmElbo.ts header). Default 1. */
  maxMaskRate?: number;
  /** Rows per denoiser call. Default 64. */
  batchSize?: number;
}

export interface MdlmEstimatorOptions extends MdlmNelboOptions {
  /**
   * 'counts': K strata over the mask count, each draw a mask of a drawn count
   * scored by the mean loss of its masked positions (K·D rows per row).
   * 'orders': each draw a random order, scored by the chain rule along it
   * (n·D rows per row; zero variance for an exact denoiser). Default 'counts'.
   */
  estimator?: 'counts' | 'orders';
  /** Strata K over the mask count (capped at n; 'counts' only). Default 8. */
  strata?: number;
  /** Draws D per stratum; D ≥ 2 gives a variance estimate. Default 2. */
  draws?: number;
  /** Seed of the masks. Default 0. */
  seed?: number;
}

/** Per-row NELBO estimates in nats. */
export interface NelboEstimate {
  /** NELBO of each row (nats), in input order. */
  nats: number[];
  /** Estimated variance of each row's estimate (nats²); NaN with one draw, 0 for rows with nothing to score. */
  variance: number[];
  /** Scored (free) positions of each row. */
  tokens: number[];
  /** Number of denoiser rows evaluated. */
  evaluations: number;
}
