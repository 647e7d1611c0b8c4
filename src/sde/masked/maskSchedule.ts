/**
 * Mask schedules of absorbing-state ("masked") diffusion — MDLM (Sahoo et al.
 * 2024, "Simple and Effective Masked Diffusion Language Models";
 * kuleshov-group/mdlm). A clean token stays itself until it jumps to [MASK]
 * and then stays masked, so the forward process at time t ∈ [0, 1] is fully
 * described by
 *
 *   α(t) = P(token still unmasked at time t),  α(0) = 1, α(1) ≈ 0, α decreasing,
 *
 * and every position is masked independently with probability 1 − α(t).
 *
 * Schedules:
 *   linear       α(t) = 1 − t
 *   log-linear   α(t) = 1 − (1 − ε)t, ε = 1e-3 — MDLM's default. Its code
 *                (noise_schedule.py, LogLinearNoise) writes the total noise
 *                σ(t) = −log(1 − (1 − ε)t) with rate σ′(t) = (1 − ε)/(1 − (1 − ε)t)
 *                and masks with probability 1 − e^{−σ(t)} = (1 − ε)t, so
 *                α = e^{−σ} = 1 − (1 − ε)t: "log-linear" names σ, not α.
 *                The ε keeps σ(1) = −log ε finite (α(1) = ε, not 0).
 *   cosine       α(t) = cos(πt/2)
 *
 * The continuous-time MDLM loss (negative ELBO) is
 *   L = E_{t~U[0,1]} [ w(t) · Σ_{i masked in x_t} log p_θ(x_i | x_t) ],
 *   w(t) = α′(t) / (1 − α(t))  (negative, so L ≥ 0).
 * For the linear schedule w(t) = −1/t; for the log-linear schedule the
 * factors (1 − ε) cancel and w(t) = −1/t as well (MDLM's "1/t weighting").
 */
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { rngFromSeed, uniform01 } from '../_internals/random.js';

/** A token of a partly masked sequence: a vocabulary symbol, or null for [MASK]. */
export type MaskedToken = string | null;
export type MaskedSequence = readonly MaskedToken[];

export type MaskScheduleName = 'linear' | 'log-linear' | 'cosine';
export const MASK_SCHEDULE_NAMES: readonly MaskScheduleName[] = ['linear', 'log-linear', 'cosine'];

/** MDLM's default ε of the log-linear schedule (α(1) = ε). */
export const LOG_LINEAR_EPS = 1e-3;

export interface MaskSchedule {
  readonly name: MaskScheduleName;
  /** α(t): probability that a token is still unmasked at time t. */
  alpha(t: number): number;
  /** dα/dt (≤ 0). */
  alphaPrime(t: number): number;
}

function checkTime(t: number): void {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`mask schedule time must lie in [0, 1], got ${t}`);
}

export function maskSchedule(name: MaskScheduleName, options: { eps?: number } = {}): MaskSchedule {
  switch (name) {
    case 'linear':
      return {
        name,
        alpha: (t) => (checkTime(t), 1 - t),
        alphaPrime: (t) => (checkTime(t), -1),
      };
    case 'log-linear': {
      const eps = options.eps ?? LOG_LINEAR_EPS;
      if (!(eps > 0 && eps < 1)) throw new RangeError(`log-linear ε must lie in (0, 1), got ${eps}`);
      return {
        name,
        alpha: (t) => (checkTime(t), 1 - (1 - eps) * t),
        alphaPrime: (t) => (checkTime(t), -(1 - eps)),
      };
    }
    case 'cosine':
      return {
        name,
        alpha: (t) => (checkTime(t), Math.cos((Math.PI * t) / 2)),
        alphaPrime: (t) => (checkTime(t), -(Math.PI / 2) * Math.sin((Math.PI * t) / 2)),
      };
    default:
      throw new RangeError(`unknown mask schedule ${JSON.stringify(name)}; expected one of ${MASK_SCHEDULE_NAMES.join(', ')}`);
  }
}

/** MDLM's total noise of the log-linear schedule, σ(t) = −log(1 − (1 − ε)t), so that α(t) = e^{−σ(t)}. */
export function logLinearSigma(t: number, eps = LOG_LINEAR_EPS): number {
  checkTime(t);
  return -Math.log1p(-(1 - eps) * t);
}

/**
 * The MDLM continuous-time loss weight w(t) = α′(t)/(1 − α(t)), t ∈ (0, 1].
 * Undefined at t = 0 (nothing is masked there, 1 − α = 0), hence the error.
 */
export function mdlmWeight(schedule: MaskSchedule, t: number): number {
  if (!(t > 0 && t <= 1)) throw new RangeError(`the MDLM weight needs t in (0, 1], got ${t}`);
  return schedule.alphaPrime(t) / (1 - schedule.alpha(t));
}

/**
 * One forward-process draw x_t ~ q(x_t | x_0): each position is masked
 * independently with probability 1 − α(t), except positions in `neverMask`
 * (the given input in conditional generation), which stay clean at every t.
 */
export function forwardMask(
  sequence: readonly string[],
  t: number,
  options: { schedule?: MaskSchedule; rng: RandomGenerator | number; neverMask?: Iterable<number> },
): MaskedToken[] {
  const schedule = options.schedule ?? maskSchedule('log-linear');
  const keep = schedule.alpha(t);
  const rng = typeof options.rng === 'number' ? rngFromSeed(options.rng) : options.rng;
  const fixed = new Set(options.neverMask ?? []);
  // One uniform per position, drawn even for fixed positions, so that the
  // masks of the other positions do not depend on which positions are fixed.
  return sequence.map((symbol, i) => {
    const u = uniform01(rng);
    return fixed.has(i) || u < keep ? symbol : null;
  });
}
