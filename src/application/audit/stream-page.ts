import { z } from 'zod';
import type { EventStore } from '../../eventstore/event-store.port';
import { auditedEvent, AuditedEventSchema } from './audited-event';

export const STREAM_PAGE_DEFAULT_LIMIT = 100;
export const STREAM_PAGE_MAX_LIMIT = 1000;

export const StreamPageSchema = z.object({
  streamId: z.string(),
  fromRevision: z.number().int(),
  limit: z.number().int(),
  events: z.array(AuditedEventSchema),
  next: z
    .string()
    .nullable()
    .describe(
      'the next page (fromRevision = the revision after the last one here); null at the end',
    ),
});
export type StreamPage = z.infer<typeof StreamPageSchema>;

/**
 * A page of a stream by revision (keyset: the next page starts at the revision after this
 * page's last, so an event is on exactly one page however the stream grows meanwhile).
 * Undefined when the stream has no event at or after `fromRevision`, and none before it either.
 */
export async function streamPage(
  store: EventStore,
  streamId: string,
  fromRevision: number,
  limit: number,
  path: string,
): Promise<StreamPage | undefined> {
  // One more than asked: whether a next page exists, without a second query.
  const read = await store.readStream(streamId, { fromRevision, maxCount: limit + 1 });
  if (
    read.length === 0 &&
    (fromRevision === 0 || (await store.readStream(streamId, { maxCount: 1 })).length === 0)
  )
    return undefined;
  const events = read.slice(0, limit);
  const last = events.at(-1);
  return {
    streamId,
    fromRevision,
    limit,
    events: events.map(auditedEvent),
    next:
      read.length > limit && last
        ? `${path}?fromRevision=${last.revision + 1}&limit=${limit}`
        : null,
  };
}
