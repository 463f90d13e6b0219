import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Decider, DomainCommand, DomainEvent, Unstamped } from '../domain/shared/decider';
import type { EventMetadata, NewEvent } from '../eventstore/event';
import { WrongExpectedRevisionError } from '../eventstore/errors';
import type { EventStore, ExpectedRevision } from '../eventstore/event-store.port';
import { EVENT_STORE } from '../tokens';
import { upcastStored } from '../../upcasters';

export interface LoadedStream<S> {
  streamId: string;
  state: S;
  /** Revision of the stream's last event; undefined when the stream has none. */
  revision: number | undefined;
}

export interface StampedEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
}

export interface CommandResult {
  streamId: string;
  /** The stream's revision after the command (unchanged when it decided nothing). */
  revision: number | undefined;
  /** Global position of the last appended event, as a string; undefined when nothing was appended. */
  position: string | undefined;
  events: StampedEvent[];
}

/** What a caller asks for beyond the command: the revision it read (HTTP `If-Match`). */
export type ExpectedStreamRevision = number | 'stream_exists';

/**
 * The one load → upcast → fold → decide → append loop every command handler runs. Stateless;
 * a concurrent writer is caught by the append's expected revision, never overwritten.
 */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: Pick<EventStore, 'readStream' | 'append'>,
  ) {}

  /** Folds a stream through the upcaster chain; other aggregates use it for cross-stream checks. */
  async load<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
  ): Promise<LoadedStream<S>> {
    const stored = await this.store.readStream(streamId);
    const known = new Set<string>(decider.eventTypes);
    let state = decider.initialState;
    for (const event of stored.flatMap(upcastStored)) {
      // A type this build does not know (written by a newer one) leaves the state as it is.
      if (!known.has(event.type)) continue;
      const parsed = decider.eventSchema.safeParse(event);
      if (!parsed.success) {
        throw new Error(
          `${streamId}@${event.revision}: stored ${event.type} does not match its schema: ${parsed.error.message}`,
        );
      }
      // A stored event is an unstamped one plus metadata; TS cannot see that through the generic.
      state = decider.evolve(state, parsed.data as unknown as Unstamped<E>);
    }
    return { streamId, state, revision: stored.at(-1)?.revision };
  }

  /**
   * Decides `commandFor(state)` on the stream and appends the result. `commandFor` lets a handler
   * complete the command from the state it was decided on (a field read from another stream).
   */
  async execute<C extends DomainCommand, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    expected: ExpectedStreamRevision | undefined,
    commandFor: (state: S) => C | Promise<C>,
  ): Promise<CommandResult> {
    const loaded = await this.load(decider, streamId);
    // A stale If-Match fails before deciding, so a no-op cannot hide that the caller is behind.
    if (typeof expected === 'number' && expected !== loaded.revision) {
      throw new WrongExpectedRevisionError(streamId, expected, loaded.revision);
    }
    if (expected === 'stream_exists' && loaded.revision === undefined) {
      throw new WrongExpectedRevisionError(streamId, expected, undefined);
    }
    const command = await commandFor(loaded.state);
    const events = decider.decide(command, loaded.state).map((e) => stamp(e, command.metadata));
    if (events.length === 0) {
      return { streamId, revision: loaded.revision, position: undefined, events: [] };
    }
    // The revision the decision was made on, whatever the caller sent: a writer that appended
    // meanwhile makes this append fail (409) instead of being silently overtaken.
    const expectedRevision: ExpectedRevision = loaded.revision ?? 'no_stream';
    const appended = await this.store.append(streamId, events, expectedRevision);
    return {
      streamId,
      revision: appended.nextExpectedRevision,
      position: appended.position.toString(),
      events: events.map(({ eventId, type, data }) => ({ eventId, type, data })),
    };
  }
}

const stamp = (event: Unstamped<DomainEvent>, metadata: DomainCommand['metadata']): NewEvent => {
  const { occurredAt, actor, correlationId, causationId } = metadata;
  const stamped: EventMetadata = { occurredAt, actor };
  if (correlationId !== undefined) stamped.correlationId = correlationId;
  if (causationId !== undefined) stamped.causationId = causationId;
  return {
    eventId: randomUUID(),
    type: event.type,
    schemaVersion: event.schemaVersion,
    data: { ...event.data },
    metadata: stamped,
  };
};
