/**
 * The training loop's option checks and defaults (Trainer.ts): the budget
 * must be finite and ≥ 0, evaluation.every an integer > 0; the schedule
 * options with their defaults (W = 0, η_min = 0) and the resolved total
 * steps T give the LrSchedule of schedule.ts (η_t: linear warm-up, then
 * η_min + (η − η_min)·½(1 + cos πp)), which validateSchedule checks.
 */
import { validateSchedule, type LrSchedule } from '../schedule.js';
import type { ScheduleOptions, TrainerOptions } from '../TrainerOptions.js';

/** Throws a RangeError naming the first invalid option (before any schedule check). */
export function checkTrainerOptions<B>(options: TrainerOptions<B>, variableCount: number): void {
  if (variableCount === 0) throw new RangeError('Trainer: the model has no variables to train');
  const budget = options.budget;
  const limit = 'steps' in budget ? budget.steps : budget.tokens;
  if (!(Number.isFinite(limit) && limit >= 0)) throw new RangeError(`Trainer: budget must be finite and ≥ 0, got ${limit}`);
  if (options.evaluation && !(Number.isInteger(options.evaluation.every) && options.evaluation.every > 0)) {
    throw new RangeError(`Trainer: evaluation.every must be an integer > 0, got ${options.evaluation.every}`);
  }
}

/** The schedule of `options` with its defaults and `totalSteps` filled in. */
export function resolveSchedule(s: ScheduleOptions, totalSteps: number): LrSchedule {
  return { peakLr: s.peakLr, warmupSteps: s.warmupSteps ?? 0, minLr: s.minLr ?? 0, totalSteps };
}

/** Resolves the schedule and throws a RangeError naming its first invalid field. */
export function checkSchedule(s: ScheduleOptions, totalSteps: number): void {
  validateSchedule(resolveSchedule(s, totalSteps));
}
