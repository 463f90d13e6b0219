import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { StoredEvent } from '../../eventstore/event';
import { upcastStored } from '../../../upcasters';

const EventBodySchema = z.object({
  type: z.string(),
  schemaVersion: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
});

/** Who, when and why, lifted out of the metadata so an auditor need not know its keys. */
export const AuditMetadataSchema = z.object({
  actor: z.string(),
  onBehalfOf: z.string().nullable().describe('the principal an actor acted for; null when none'),
  occurredAt: z.string().describe('business time: when it happened'),
  recordedAt: z.string().describe('when the store recorded it'),
  correlationId: z.string().nullable(),
  causationId: z.string().nullable(),
});

/** One stored event as an auditor sees it. */
export const AuditedEventSchema = z.object({
  position: z.string().describe('global position, a decimal string (int64)'),
  streamId: z.string(),
  revision: z.number().int(),
  eventId: z.string(),
  metadata: AuditMetadataSchema,
  raw: EventBodySchema.describe(
    'as stored: a legacy event keeps its V1 shape (schemaVersion 1); recordedAt is in metadata above',
  ),
  upcast: z
    .array(EventBodySchema.extend({ eventId: z.string() }))
    .optional()
    .describe(
      'after the upcaster chain, only where it differs from raw (every V1 event); absent for an event already current',
    ),
});
export type AuditedEvent = z.infer<typeof AuditedEventSchema>;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The event raw, its metadata summary, and its upcast forms only where the chain changed it. */
export function auditedEvent(stored: StoredEvent): AuditedEvent {
  const { recordedAt, ...storedMetadata } = stored.metadata;
  const raw = {
    type: stored.type,
    schemaVersion: stored.schemaVersion,
    data: stored.data,
    metadata: storedMetadata,
  };
  const upcast = upcastStored({ ...stored, metadata: storedMetadata as StoredEvent['metadata'] });
  const unchanged =
    upcast.length === 1 &&
    upcast[0]!.type === raw.type &&
    upcast[0]!.schemaVersion === raw.schemaVersion &&
    isDeepStrictEqual(upcast[0]!.data, raw.data) &&
    isDeepStrictEqual(upcast[0]!.metadata, raw.metadata);
  return {
    position: stored.position.toString(),
    streamId: stored.streamId,
    revision: stored.revision,
    eventId: stored.eventId,
    metadata: {
      actor: storedMetadata.actor,
      onBehalfOf: text(storedMetadata.onBehalfOf),
      occurredAt: storedMetadata.occurredAt,
      recordedAt,
      correlationId: text(storedMetadata.correlationId),
      causationId: text(storedMetadata.causationId),
    },
    raw,
    ...(unchanged
      ? {}
      : {
          upcast: upcast.map(({ eventId, type, schemaVersion, data, metadata }) => ({
            eventId,
            type,
            schemaVersion,
            data,
            metadata,
          })),
        }),
  };
}
