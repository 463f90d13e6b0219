import type { ExpectedRevision } from './event-store.port';

/** The stream was not at the revision the writer expected. Maps to HTTP 409. */
export class WrongExpectedRevisionError extends Error {
  readonly code = 'STREAM.WRONG_EXPECTED_REVISION';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** undefined when the stream does not exist. */
    readonly actual: number | undefined,
  ) {
    super(
      `stream ${streamId}: expected revision ${String(expected)}, actual ${actual === undefined ? 'no stream' : actual}`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** An eventId is already stored with different content (or in another stream or place). */
export class EventIdConflictError extends Error {
  readonly code = 'EVENT.ID_CONFLICT';
  constructor(
    readonly eventId: string,
    reason: string,
  ) {
    super(`event ${eventId} is already stored ${reason}`);
    this.name = 'EventIdConflictError';
  }
}

/** Another live process owns the embedded database folder. */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR.LOCKED';
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
    readonly ownerSince: string,
  ) {
    super(
      `${dataDir} is in use by process ${ownerPid} (since ${ownerSince}); ` +
        'stop it, or send the command to its HTTP API instead',
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * The store did not answer: refused, dropped, timed out, or (EventStoreDB) no leader. Transient, so it maps to HTTP 503
 * with Retry-After; what was being written was not committed (or was, if the commit's answer
 * was lost: a keyed retry then finds the same events stored).
 */
export class StoreUnavailableError extends Error {
  readonly code = 'STORE.UNAVAILABLE';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`the store is unavailable: ${reason}`, options);
    this.name = 'StoreUnavailableError';
  }
}
