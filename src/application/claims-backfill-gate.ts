import { Injectable } from '@nestjs/common';
import type { ClaimsBackfillProgress } from './claims-backfill';

/** Where the start-up backfill is: commands that claim wait for `done`. */
export type ClaimsBackfillState =
  | { phase: 'running'; progress: ClaimsBackfillProgress }
  | { phase: 'retrying'; progress: ClaimsBackfillProgress; error: string; retryInMs: number }
  | { phase: 'done' };

/** How long a refused command is told to wait: a page of the log takes about a second. */
const RETRY_AFTER_SECONDS = 5;

/** A command that claims, refused while the backfill runs: answered 503 with Retry-After. */
export class ClaimsBackfillingError extends Error {
  readonly code = 'CLAIMS.BACKFILLING';
  readonly retryAfterSeconds = RETRY_AFTER_SECONDS;
  constructor(state: Exclude<ClaimsBackfillState, { phase: 'done' }>) {
    super(
      'the service is taking the claims (unique codes, assignments, template references) of ' +
        `what the log held before them: ${describeClaimsBackfill(state)}; ` +
        'commands that depend on them are refused until it is done, retry later',
    );
    this.name = 'ClaimsBackfillingError';
  }
}

export function describeClaimsBackfill(state: ClaimsBackfillState): string {
  switch (state.phase) {
    case 'running':
      return positions(state.progress);
    case 'retrying':
      return (
        `${positions(state.progress)}, then failed (${state.error}); ` +
        `retrying in ${state.retryInMs} ms`
      );
    case 'done':
      return 'done';
    default: {
      const unknown: never = state;
      return unknown;
    }
  }
}

const positions = ({ done, total }: ClaimsBackfillProgress) =>
  total === 0 ? 'starting' : `${done} of ${total} positions of the log read`;

/**
 * Until the start-up backfill has taken the claims of what the log held before them, a new
 * command could take a code or an assignment a legacy entity has, or remove a template a legacy
 * instance references: the commands that claim are refused meanwhile, the others go on.
 */
@Injectable()
export class ClaimsBackfillGate {
  // A service that has not begun its backfill knows no more than one that runs it.
  private current: ClaimsBackfillState = { phase: 'running', progress: { done: 0, total: 0 } };

  get state(): ClaimsBackfillState {
    return this.current;
  }

  set(state: ClaimsBackfillState): void {
    this.current = state;
  }

  /** Throws ClaimsBackfillingError unless the backfill is done. */
  assertDone(): void {
    const state = this.current;
    if (state.phase !== 'done') throw new ClaimsBackfillingError(state);
  }
}
