import type { StoredEvent } from '../../eventstore/event';
import { upcastStored } from '../../../upcasters';

/**
 * One line of an export: the legacy contract's envelope (`streamId`, `eventId`, `type`, `data`,
 * `metadata`), plus `schemaVersion` for a V2 event (a V1 event carries none, as in the contract),
 * plus the two facts the store assigned: `recordedAt` and `position` (a decimal string). `import`
 * reads all of them back, so export → import into an empty store → export gives the same bytes.
 * The key order is fixed here, so equal logs give equal files.
 */
export function exportLine(stored: StoredEvent): string {
  const { recordedAt, ...metadata } = stored.metadata;
  return JSON.stringify({
    streamId: stored.streamId,
    eventId: stored.eventId,
    type: stored.type,
    ...(stored.schemaVersion === 1 ? {} : { schemaVersion: stored.schemaVersion }),
    data: stored.data,
    metadata,
    recordedAt,
    position: stored.position.toString(),
  });
}

/**
 * The upcast forms of a stored event as export lines (`--upcast`): what aggregates and
 * projections read. A step that makes several events gives them derived ids (`<eventId>#<n>`),
 * so such an export is for reading, not for a restore.
 */
export function upcastExportLines(stored: StoredEvent): string[] {
  const { recordedAt, ...storedMetadata } = stored.metadata;
  return upcastStored({ ...stored, metadata: storedMetadata as StoredEvent['metadata'] }).map(
    (event) =>
      JSON.stringify({
        streamId: event.streamId,
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: event.metadata,
        recordedAt,
        position: event.position.toString(),
      }),
  );
}
