import {
  assertNever,
  ignoreUnknownEvent,
  streamId,
  type Decider,
  type Unstamped,
} from '../shared/decider';
import { conflict, DomainErrorCodes, type DomainErrorCode } from '../shared/domain-error';
import type { ReservationCommand } from './reservation.commands';
import {
  RESERVATION_KINDS,
  ReservationEventSchema,
  type ReservationEvent,
  type ReservationKind,
} from './reservation.events';

/** Who holds the value now; null when nobody does (never reserved, or released). */
export type ReservationState = { holderId: string } | null;

const TAKEN: Record<ReservationKind, { code: DomainErrorCode; message: string }> = {
  supplierCode: {
    code: DomainErrorCodes.SUPPLIER_CODE_TAKEN,
    message: 'another supplier has this code',
  },
  projectCode: {
    code: DomainErrorCodes.PROJECT_CODE_TAKEN,
    message: 'another project has this code',
  },
  supplierAssignment: {
    code: DomainErrorCodes.SUPPLIER_PROJECT_ALREADY_ASSIGNED,
    message: 'the supplier is already assigned to the project',
  },
};

/** The stream of one reserved value; codes may hold any character, the id keeps to URL-safe ones. */
export const reservationStreamId = (kind: ReservationKind, key: string): string =>
  streamId(RESERVATION_KINDS[kind].category, encodeURIComponent(key));

/** Codes are compared as the section codes are: trimmed, case-insensitively. */
export const normalizedCode = (code: string): string => code.normalize('NFC').trim().toLowerCase();

/**
 * The decider of one kind of reservation. Reserving what its holder already holds decides
 * nothing (a retry); reserving what another holds is a conflict naming that holder, unless the
 * command replaces that very holder (found dead by the caller): then its claim is released and
 * the value reserved in one append, so of two takers deciding on the same holder one wins.
 * Releasing is the compensation of a command refused after its reservation, by that command only.
 */
export function reservationDecider(
  kind: ReservationKind,
): Decider<ReservationCommand, ReservationEvent, ReservationState> {
  const { category, reserved, released, holder } = RESERVATION_KINDS[kind];
  const decide = (
    command: ReservationCommand,
    state: ReservationState,
  ): Array<Unstamped<ReservationEvent>> => {
    switch (command.type) {
      case 'Reserve': {
        const { value, holderId, replacing } = command.data;
        if (state?.holderId === holderId) return [];
        const reserve = { type: reserved, schemaVersion: 2, data: { value, holderId } } as const;
        if (state === null) return [reserve];
        if (state.holderId === replacing) {
          return [{ type: released, schemaVersion: 2, data: { holderId: replacing } }, reserve];
        }
        throw conflict(TAKEN[kind].code, TAKEN[kind].message, {
          [kind === 'supplierAssignment' ? 'assignment' : 'code']: value,
          existing: { [holder]: state.holderId },
        });
      }
      case 'Release': {
        const { holderId } = command.data;
        if (state?.holderId !== holderId) return [];
        return [{ type: released, schemaVersion: 2, data: { holderId } }];
      }
      default:
        return assertNever(command);
    }
  };
  const evolve = (
    state: ReservationState,
    event: Unstamped<ReservationEvent>,
  ): ReservationState => {
    // A stream holds one kind only: the types differ so that auditors see which.
    switch (event.type) {
      case 'SupplierCodeReserved':
      case 'ProjectCodeReserved':
      case 'SupplierAssignmentReserved':
        return { holderId: event.data.holderId };
      case 'SupplierCodeReleased':
      case 'ProjectCodeReleased':
      case 'SupplierAssignmentReleased':
        return null;
      default:
        return ignoreUnknownEvent(event, state);
    }
  };
  return {
    streamCategory: category,
    eventSchema: ReservationEventSchema,
    eventTypes: [reserved, released],
    initialState: null,
    streamIdFor: (command) => reservationStreamId(kind, command.data.key),
    decide,
    evolve,
  };
}
