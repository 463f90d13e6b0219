/** The key was first used for another request (method, path or body): 422. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = 'IDEMPOTENCY.KEY_REUSED';
  constructor(readonly key: string) {
    super(`Idempotency-Key ${key} was already used for a different request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** The first request with this key is still running after the wait: 409, retry later. */
export class IdempotencyInProgressError extends Error {
  readonly code = 'IDEMPOTENCY.IN_PROGRESS';
  constructor(readonly key: string) {
    super(`a request with Idempotency-Key ${key} is still in progress; retry later`);
    this.name = 'IdempotencyInProgressError';
  }
}
