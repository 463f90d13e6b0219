import { assertNever, ignoreUnknownEvent, type Decider, type Unstamped } from '../shared/decider';
import type { ClaimsBackfillCommand } from './claims-backfill.commands';
import {
  CLAIMS_BACKFILL_EVENT_TYPES,
  CLAIMS_BACKFILL_STREAM_CATEGORY,
  CLAIMS_BACKFILL_STREAM_ID,
  ClaimsBackfillEventSchema,
  type ClaimsBackfillEvent,
} from './claims-backfill.events';

/** The position up to which every event holds its claims; 0 before any backfill. */
export interface ClaimsBackfillState {
  upTo: bigint;
}

export const initialState: ClaimsBackfillState = { upTo: 0n };

/** Only forward: a run that read less than one recorded before it records nothing. */
export const decide = (
  command: ClaimsBackfillCommand,
  state: ClaimsBackfillState,
): Array<Unstamped<ClaimsBackfillEvent>> => {
  switch (command.type) {
    case 'RecordClaimsBackfill':
      if (BigInt(command.data.upTo) <= state.upTo) return [];
      return [{ type: 'ClaimsBackfilled', schemaVersion: 2, data: command.data }];
    default:
      return assertNever(command.type);
  }
};

export const evolve = (
  state: ClaimsBackfillState,
  event: Unstamped<ClaimsBackfillEvent>,
): ClaimsBackfillState => {
  switch (event.type) {
    case 'ClaimsBackfilled': {
      const upTo = BigInt(event.data.upTo);
      return upTo > state.upTo ? { upTo } : state;
    }
    default:
      return ignoreUnknownEvent(event.type, state);
  }
};

export const claimsBackfillDecider: Decider<
  ClaimsBackfillCommand,
  ClaimsBackfillEvent,
  ClaimsBackfillState
> = {
  streamCategory: CLAIMS_BACKFILL_STREAM_CATEGORY,
  eventSchema: ClaimsBackfillEventSchema,
  eventTypes: CLAIMS_BACKFILL_EVENT_TYPES,
  initialState,
  streamIdFor: () => CLAIMS_BACKFILL_STREAM_ID,
  decide,
  evolve,
};
