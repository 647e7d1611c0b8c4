export { summarize, verificationProperties } from './properties.js';
export type { PropertyResult, VerificationProperty } from './properties.js';
export { checkAgainstFamily, EXHAUSTIVE_INPUTS, runVerification, verificationSubjects } from './verify.js';
export type { CircuitCheck, VerifyOptions } from './verify.js';
