/** Noise schedules of the forward SDE dx = f(t)x dt + g(t) dW (see Schedule.ts). */
export { alphaBar, snr, type Schedule } from './Schedule.js';
export { checkLinearBeta, vpFromBeta, vpLinear, type VpFromBetaOptions, type VpLinearOptions, type VpSchedule } from './vpLinear.js';
export { subVp, type SubVpSchedule } from './subVp.js';
export { cosine, type CosineOptions, type CosineSchedule } from './cosine.js';
export { ve, type VeOptions, type VeSchedule } from './ve.js';
export { edm, edmSigmas, edmTimeGrid, type EdmOptions, type EdmSchedule } from './edm.js';
export {
  adaptiveSimpson,
  expressionSchedule,
  INTEGRATION_TOLERANCE,
  type ExpressionSchedule,
  type ExpressionScheduleOptions,
} from './expression.js';
export { EXPRESSION_PREFIX, SCHEDULE_NAMES, scheduleByName, type ScheduleName } from './registry.js';
