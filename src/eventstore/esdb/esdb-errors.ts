import {
  ErrorType,
  isCommandError,
  NotLeaderError,
  type CommandError,
  type CurrentRevision,
} from '@eventstore/db-client';
import { StoreUnavailableError, WrongExpectedRevisionError } from '../errors';
import type { ExpectedRevision } from '../event-store.port';

/** What the adapter does with a client error. */
export type EsdbErrorKind =
  /** The stream was not where the writer expected: a concurrency conflict. */
  | 'conflict'
  /** The node is a follower: the client has switched to the leader it named; retry once. */
  | 'not-leader'
  /** No answer, or none in time: the port's unavailable error (the caller may retry). */
  | 'unavailable'
  /** A fault of ours or of the deployment (access, size, a bug): passed on as it is. */
  | 'fault';

export function kindOf(error: CommandError): EsdbErrorKind {
  switch (error.type) {
    case ErrorType.WRONG_EXPECTED_VERSION:
      return 'conflict';
    case ErrorType.NOT_LEADER:
      return 'not-leader';
    case ErrorType.UNAVAILABLE:
    case ErrorType.DEADLINE_EXCEEDED:
    case ErrorType.TIMEOUT:
      return 'unavailable';
    case ErrorType.CANCELLED:
    case ErrorType.UNKNOWN:
    case ErrorType.STREAM_NOT_FOUND:
    case ErrorType.NO_STREAM:
    case ErrorType.ACCESS_DENIED:
    case ErrorType.INVALID_ARGUMENT:
    case ErrorType.INVALID_TRANSACTION:
    case ErrorType.STREAM_DELETED:
    case ErrorType.SCAVENGE_NOT_FOUND:
    case ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED:
    case ErrorType.MISSING_REQUIRED_METADATA_PROPERTY:
    case ErrorType.PERSISTENT_SUBSCRIPTION_FAILED:
    case ErrorType.PERSISTENT_SUBSCRIPTION_DOES_NOT_EXIST:
    case ErrorType.PERSISTENT_SUBSCRIPTION_EXISTS:
    case ErrorType.PERSISTENT_SUBSCRIPTION_DROPPED:
    case ErrorType.MAXIMUM_SUBSCRIBERS_REACHED:
    case ErrorType.USER_NOT_FOUND:
    case ErrorType.USER_CONFLICT:
    case ErrorType.UNSUPPORTED:
      return 'fault';
    default: {
      // A new client error type fails this line at compile time. At run time the client also
      // throws NotFoundError, which its CommandError union leaves out: a fault too.
      const _unhandled: never = error;
      return 'fault';
    }
  }
}

/** The client's own message when gossip finds no node to talk to; it throws a plain Error. */
const DISCOVERY_FAILED = /^Failed to discover after \d+ attempts/;

/**
 * The port's error for a client error. A conflict needs the append it refused; a not-leader
 * error that reaches here has already been retried once on the new leader, so the cluster has
 * no stable leader: unavailable.
 */
export function toPortError(
  error: unknown,
  refused?: { streamId: string; expected: ExpectedRevision },
): unknown {
  if (error instanceof Error && DISCOVERY_FAILED.test(error.message) && !isCommandError(error))
    return new StoreUnavailableError(error.message, { cause: error });
  if (!(error instanceof Error) || !isCommandError(error)) return error;
  switch (kindOf(error)) {
    case 'conflict':
      if (!refused || error.type !== ErrorType.WRONG_EXPECTED_VERSION) return error;
      return new WrongExpectedRevisionError(
        refused.streamId,
        refused.expected,
        toActualRevision(error.actualVersion),
      );
    case 'not-leader':
      return new StoreUnavailableError(
        `no stable leader (last named ${leaderOf(error as NotLeaderError)})`,
        { cause: error },
      );
    case 'unavailable':
      return new StoreUnavailableError(error.message || error.type, { cause: error });
    case 'fault':
      return error;
  }
}

/** The server's "current revision" as the port states it: undefined for no stream. */
export function toActualRevision(current: CurrentRevision | undefined): number | undefined {
  return typeof current === 'bigint' ? Number(current) : undefined;
}

function leaderOf(error: NotLeaderError): string {
  return error.leader ? `${error.leader.address}:${error.leader.port}` : 'none';
}
