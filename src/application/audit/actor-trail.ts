import { z } from 'zod';
import type { EventStore } from '../../eventstore/event-store.port';
import { auditedEvent, AuditedEventSchema } from './audited-event';

export const ACTOR_PAGE_DEFAULT_LIMIT = 100;
export const ACTOR_PAGE_MAX_LIMIT = 1000;

export const ActorTrailSchema = z.object({
  actor: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  events: z.array(AuditedEventSchema).describe('in log order'),
  next: z
    .string()
    .nullable()
    .describe('the next page (after = the last position here); null at the end'),
});
export type ActorTrail = z.infer<typeof ActorTrailSchema>;

export interface ActorQuery {
  actor: string;
  /** Business time (`occurredAt`), inclusive. */
  from?: string;
  /** Business time (`occurredAt`), exclusive. */
  to?: string;
  after?: bigint;
  limit: number;
}

/** What one principal did (the actor index), a page at a time by position. */
export async function actorTrail(
  store: EventStore,
  { actor, from, to, after = 0n, limit }: ActorQuery,
  path: string,
): Promise<ActorTrail> {
  const read = await store.readByActor(actor, {
    after,
    maxCount: limit + 1,
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
  });
  const events = read.slice(0, limit);
  const last = events.at(-1);
  const query = new URLSearchParams({
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(last && { after: last.position.toString() }),
    limit: String(limit),
  });
  return {
    actor,
    from: from ?? null,
    to: to ?? null,
    events: events.map(auditedEvent),
    next: read.length > limit && last ? `${path}?${query.toString()}` : null,
  };
}
