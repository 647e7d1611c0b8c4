/**
 * Schedules by name, for the CLI and probe configs: the five built-in
 * schedules with their default parameters, and `expr:EXPRESSION` for a VP
 * schedule with a user rate β(t) (see expression.ts).
 */
import { cosine } from './cosine.js';
import { edm } from './edm.js';
import { expressionSchedule } from './expression.js';
import type { Schedule } from './Schedule.js';
import { subVp } from './subVp.js';
import { ve } from './ve.js';
import { vpLinear } from './vpLinear.js';

export const SCHEDULE_NAMES = ['vp-linear', 'sub-vp', 'cosine', 've', 'edm'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** Prefix of a user-expression schedule name, e.g. "expr:0.1 + 19.9*t". */
export const EXPRESSION_PREFIX = 'expr:';

const BUILDERS: Record<ScheduleName, () => Schedule> = {
  'vp-linear': () => vpLinear(),
  'sub-vp': () => subVp(),
  cosine: () => cosine(),
  ve: () => ve(),
  edm: () => edm(),
};

/**
 * The schedule called `name` (one of SCHEDULE_NAMES, default parameters) or
 * `expr:EXPRESSION`. Throws a one-line Error listing the names otherwise.
 */
export function scheduleByName(name: string): Schedule {
  const key = name.trim();
  if (key.startsWith(EXPRESSION_PREFIX)) return expressionSchedule(key.slice(EXPRESSION_PREFIX.length));
  if ((SCHEDULE_NAMES as readonly string[]).includes(key)) return BUILDERS[key as ScheduleName]();
  throw new Error(
    `unknown schedule ${JSON.stringify(name)}; use one of ${SCHEDULE_NAMES.join(', ')}, or expr:EXPRESSION (β(t) in t, e.g. expr:0.1 + 19.9*t)`,
  );
}
