/**
 * A stored event the chain cannot read. It stops the reader at that event (a projection records
 * it in its status) instead of letting a malformed fact be skipped or guessed at.
 */
export class UpcastError extends Error {
  override readonly name = 'UpcastError';
  readonly code = 'UPCAST.INVALID_EVENT';

  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    message: string,
    readonly issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> = [],
  ) {
    super(`${eventType} v${schemaVersion}: ${message}`);
  }
}
