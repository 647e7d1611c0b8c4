/** An invalid spec (probe or study); the message is one line naming the path, the value and the fix. */
export class ProbeSpecError extends Error {
  override readonly name = 'ProbeSpecError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}
