/**
 * The error of a mixture (or mixture file) that breaks a rule of
 * checkMixture.ts / parseMixture.ts: one line, "<file>: <JSON path>: found
 * <value>; <fix>", with the rule and the path as fields.
 */

export type MixtureRule = 'format' | 'weights' | 'dimension' | 'symmetry' | 'positive-definite';

/** A mixture (or mixture file) broke a rule; the message is one line: file, JSON path, value found, fix. */
export class MixtureError extends Error {
  override readonly name = 'MixtureError';
  constructor(
    readonly rule: MixtureRule,
    message: string,
    /** The JSON path the error is about ('top level' for the whole document). */
    readonly where: string,
  ) {
    super(message);
  }
}
