import { isDeepStrictEqual } from 'node:util';
import type { NewEvent } from './event';
import { EventIdConflictError } from './errors';

/**
 * A stored event as both adapters can state it before comparing it with a retried one: the
 * content as written (no store-added fields such as recordedAt) and where it sits.
 */
export interface StoredCopy {
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  /** As written: undefined for a legacy event that carried none (no default of 1). */
  schemaVersion: number | undefined;
  data: unknown;
  metadata: unknown;
}

/**
 * The stored events an append to `streamId` starts with, in order. A retry re-sends the events
 * it sent before, so they must be the append's first ones, in that stream, at consecutive
 * revisions and with the same content; a stored event anywhere else is an id conflict.
 */
export function leadingDuplicates<S extends StoredCopy>(
  streamId: string,
  events: NewEvent[],
  stored: ReadonlyMap<string, S>,
): S[] {
  const duplicates: S[] = [];
  events.forEach((event, index) => {
    const copy = stored.get(event.eventId);
    if (!copy) return;
    if (index !== duplicates.length) {
      throw new EventIdConflictError(
        event.eventId,
        'but the events before it in this append are not',
      );
    }
    if (copy.streamId !== streamId) {
      throw new EventIdConflictError(event.eventId, `in stream ${copy.streamId}`);
    }
    const previous = duplicates.at(-1);
    if (previous && copy.revision !== previous.revision + 1) {
      throw new EventIdConflictError(
        event.eventId,
        `at revision ${copy.revision}, not after ${previous.eventId}`,
      );
    }
    if (!sameContent(copy, event))
      throw new EventIdConflictError(event.eventId, 'with different content');
    duplicates.push(copy);
  });
  return duplicates;
}

function sameContent(copy: StoredCopy, event: NewEvent): boolean {
  // Compared as the store keeps it: JSON drops undefined fields and turns dates into strings.
  const normalised = JSON.parse(JSON.stringify(event)) as NewEvent;
  return (
    copy.type === normalised.type &&
    copy.schemaVersion === normalised.schemaVersion &&
    isDeepStrictEqual(copy.data, normalised.data) &&
    isDeepStrictEqual(copy.metadata, normalised.metadata)
  );
}
