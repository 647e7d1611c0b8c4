/**
 * CircuitError — a circuit (or a circuit file) broke one of the rules of
 * construction. The message is one line that names the offending node or
 * field, the bad value and what would fix it; `rule` is machine-readable.
 */
export type CircuitRule =
  | 'duplicate-name'
  | 'unknown-reference'
  | 'cycle'
  | 'arity'
  | 'parameter'
  | 'output'
  | 'format'
  | 'width';

export class CircuitError extends Error {
  override readonly name = 'CircuitError';
  constructor(
    readonly rule: CircuitRule,
    message: string,
    /** The node, field or line the error is about, when there is one. */
    readonly where?: string,
  ) {
    super(message);
  }
}
