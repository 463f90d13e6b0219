import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { EventStore } from '../../eventstore/event-store.port';
import { EVENT_STORE } from '../../tokens';
import { upcastStored } from '../../../upcasters';

const EventBodySchema = z.object({
  type: z.string(),
  schemaVersion: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
});

/** The auditor's view of a stream; also the response schema in the OpenAPI document. */
export const StreamHistorySchema = z.object({
  streamId: z.string(),
  revision: z.number().int(),
  events: z.array(
    z.object({
      revision: z.number().int(),
      position: z.string().describe('global position, a decimal string (int64)'),
      eventId: z.string(),
      raw: EventBodySchema.describe('as stored: a legacy event keeps its V1 shape'),
      upcast: z
        .array(EventBodySchema.extend({ eventId: z.string() }))
        .describe('after the upcaster chain: what aggregates and projections consume'),
    }),
  ),
});
export type StreamHistoryView = z.infer<typeof StreamHistorySchema>;

/** Every event of a stream, raw beside its upcast form: the store is never rewritten. */
@Injectable()
export class StreamHistory {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** undefined when the stream has no events. */
  async read(streamId: string): Promise<StreamHistoryView | undefined> {
    const stored = await this.store.readStream(streamId);
    const last = stored.at(-1);
    if (last === undefined) return undefined;
    return {
      streamId,
      revision: last.revision,
      events: stored.map((event) => ({
        revision: event.revision,
        position: event.position.toString(),
        eventId: event.eventId,
        raw: {
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data,
          metadata: event.metadata,
        },
        upcast: upcastStored(event).map(({ eventId, type, schemaVersion, data, metadata }) => ({
          eventId,
          type,
          schemaVersion,
          data,
          metadata,
        })),
      })),
    };
  }
}
