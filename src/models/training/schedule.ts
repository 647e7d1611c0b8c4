/**
 * The learning-rate schedule of the training loop: linear warm-up, then
 * cosine decay to a floor. A pure function of the step.
 *
 * With peak rate η, floor η_min, W warm-up steps and T total steps, the rate
 * used by step t (0-based: t = 0 is the first update) is
 *
 *   t < W:        η_t = η · (t + 1) / W                         (linear warm-up; never 0)
 *   W ≤ t < T:    η_t = η_min + (η − η_min) · ½ · (1 + cos(π · p)),  p = (t − W) / (T − W)
 *   t ≥ T:        η_t = η_min
 *
 * so η_{W−1} = η_W = η, the rate is (η + η_min)/2 halfway through the decay,
 * and it reaches the floor η_min at t = T.
 */

export interface LrSchedule {
  /** Peak learning rate η, reached at the end of warm-up (> 0). */
  peakLr: number;
  /** Warm-up steps W (integer ≥ 0; 0 starts at the peak). */
  warmupSteps: number;
  /** Total steps T of the schedule (integer ≥ W); the rate is η_min from T on. */
  totalSteps: number;
  /** Floor η_min of the cosine decay (0 ≤ η_min ≤ η). */
  minLr: number;
}

/** Throws a RangeError naming the first invalid field of the schedule. */
export function validateSchedule(s: LrSchedule): void {
  if (!(Number.isFinite(s.peakLr) && s.peakLr > 0)) throw new RangeError(`schedule: peakLr must be finite and > 0, got ${s.peakLr}`);
  if (!(Number.isFinite(s.minLr) && s.minLr >= 0 && s.minLr <= s.peakLr)) {
    throw new RangeError(`schedule: minLr must lie in [0, peakLr = ${s.peakLr}], got ${s.minLr}`);
  }
  if (!(Number.isInteger(s.warmupSteps) && s.warmupSteps >= 0)) {
    throw new RangeError(`schedule: warmupSteps must be an integer ≥ 0, got ${s.warmupSteps}`);
  }
  if (!(Number.isInteger(s.totalSteps) && s.totalSteps >= s.warmupSteps)) {
    throw new RangeError(`schedule: totalSteps must be an integer ≥ warmupSteps = ${s.warmupSteps}, got ${s.totalSteps}`);
  }
}

/** The learning rate of step `step` (0-based) under schedule `s` (see the header for the equations). */
export function learningRate(step: number, s: LrSchedule): number {
  if (step < s.warmupSteps) return (s.peakLr * (step + 1)) / s.warmupSteps;
  if (step >= s.totalSteps) return s.minLr;
  const p = (step - s.warmupSteps) / (s.totalSteps - s.warmupSteps);
  return s.minLr + (s.peakLr - s.minLr) * 0.5 * (1 + Math.cos(Math.PI * p));
}
