import { jsonEvent, type RecordedEvent } from '@eventstore/db-client';
import type { StoredCopy } from '../duplicate-check';
import type { EventMetadata, NewEvent, StoredEvent } from '../event';
import { portPositionOf } from './esdb-position';

/**
 * How the port's events are kept in EventStoreDB: data and metadata as JSON, the schema version
 * inside the metadata under a key the reader takes out again.
 */

/** Stored in the ESDB event's metadata for V2 events only, so a legacy event stays as it came. */
const SCHEMA_VERSION_KEY = '$schemaVersion';

export interface StoredEventCopy extends StoredCopy {
  /** Undefined where the server gives a stream read no `$all` position. */
  position: bigint | undefined;
}

export function toEventData(event: NewEvent) {
  const metadata =
    event.schemaVersion === undefined
      ? event.metadata
      : { ...event.metadata, [SCHEMA_VERSION_KEY]: event.schemaVersion };
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata });
}

function splitMetadata(recorded: RecordedEvent): {
  schemaVersion: number | undefined;
  metadata: EventMetadata;
} {
  const { [SCHEMA_VERSION_KEY]: schemaVersion, ...metadata } = (recorded.metadata ??
    {}) as EventMetadata;
  return { schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : undefined, metadata };
}

/** A recorded event as it was written, for comparing it with a retried one. */
export function copyOf(recorded: RecordedEvent): StoredEventCopy {
  const { schemaVersion, metadata } = splitMetadata(recorded);
  return {
    eventId: recorded.id,
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    position: portPositionOf(recorded.position),
    type: recorded.type,
    schemaVersion,
    data: recorded.data,
    metadata,
  };
}

export function toStoredEvent(recorded: RecordedEvent): StoredEvent {
  const { schemaVersion, metadata } = splitMetadata(recorded);
  return {
    eventId: recorded.id,
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    position: portPositionOf(recorded.position) ?? 0n,
    type: recorded.type,
    schemaVersion: schemaVersion ?? 1,
    data: recorded.data as Record<string, unknown>,
    metadata: { ...metadata, recordedAt: recorded.created.toISOString() },
  };
}
