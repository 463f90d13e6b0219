import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
  type RecordedEvent,
} from '@eventstore/db-client';
import { isDeepStrictEqual } from 'node:util';
import type { EventMetadata, NewEvent, StoredEvent } from '../event';
import { EventIdConflictError, WrongExpectedRevisionError } from '../errors';
import {
  categoryOf,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadByActorOptions,
  type ReadIndexedOptions,
  type ReadStreamOptions,
  type StreamAppend,
} from '../event-store.port';

/** Stored in the ESDB event's metadata for V2 events only, so a legacy event stays as it came. */
const SCHEMA_VERSION_KEY = '$schemaVersion';
const POLL_MS = 200;

/**
 * The production adapter. EventStoreDB gives per-stream optimistic concurrency and a global
 * commit position that only grows, so `position` is the commit position. It has no eventId
 * lookup, so a retried append is recognised by reading the stream's events at the revisions it
 * would have taken (streams are per aggregate and short).
 */
export class EsdbEventStore implements EventStore {
  private constructor(private readonly client: EventStoreDBClient) {}

  static async connect(connectionString: string): Promise<EsdbEventStore> {
    const client = EventStoreDBClient.connectionString(connectionString);
    // Fail at start, not at the first command, when the server is unreachable.
    await client.readAll({ maxCount: 1, fromPosition: START });
    return new EsdbEventStore(client);
  }

  async append(
    streamId: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision = 'any',
  ): Promise<AppendResult> {
    const stored = await this.readStream(streamId);
    const duplicates = leadingDuplicates(streamId, events, stored);
    const fresh = events.slice(duplicates.length);
    const lastDuplicate = duplicates.at(-1);
    if (fresh.length === 0) {
      return {
        nextExpectedRevision: lastDuplicate!.revision,
        position: lastDuplicate!.position,
        written: 0,
      };
    }
    const expected: ExpectedRevision = lastDuplicate ? lastDuplicate.revision : expectedRevision;
    try {
      const result = await this.client.appendToStream(streamId, fresh.map(toEventData), {
        expectedRevision: toEsdbExpected(expected),
      });
      return {
        nextExpectedRevision: Number(result.nextExpectedRevision),
        position: result.position?.commit ?? 0n,
        written: fresh.length,
      };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual =
          typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : undefined;
        throw new WrongExpectedRevisionError(streamId, expected, actual);
      }
      throw error;
    }
  }

  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    for (const a of appends)
      results.push(await this.append(a.streamId, a.events, a.expectedRevision));
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const backwards = options.direction === 'backwards';
    const events: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision:
          options.fromRevision !== undefined
            ? BigInt(options.fromRevision)
            : backwards
              ? END
              : START,
        ...(options.maxCount !== undefined && options.toRevision === undefined
          ? { maxCount: options.maxCount }
          : {}),
      })) {
        if (!resolved.event) continue;
        const event = toStoredEvent(resolved.event, resolved.event.position?.commit ?? 0n);
        if (
          options.toRevision !== undefined &&
          (backwards ? event.revision < options.toRevision : event.revision > options.toRevision)
        )
          break;
        events.push(event);
        if (options.maxCount !== undefined && events.length >= options.maxCount) break;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async streamRevision(streamId: string): Promise<number | undefined> {
    const [last] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return last?.revision;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    return this.scanAll(
      options,
      (recorded) =>
        (!options.categories || options.categories.includes(categoryOf(recorded.streamId))) &&
        (!options.types || options.types.includes(recorded.type)),
    );
  }

  /**
   * EventStoreDB has no lookup by event id: this reads `$all` until it finds it, a scan of the
   * log. Auditors' single-event reads are rare; the SQL adapters use their unique index.
   */
  async readEvent(eventId: string): Promise<StoredEvent | undefined> {
    const [found] = await this.scanAll({ maxCount: 1 }, (recorded) => recorded.id === eventId);
    return found;
  }

  /**
   * The server's `$bc-<correlationId>` stream needs the system projections, which the
   * deployment turns off; so this is a filtered read of `$all` (a scan, filtered here: the
   * server-side filters match stream names and event types only, not metadata).
   */
  async readByCorrelation(
    correlationId: string,
    options: ReadIndexedOptions = {},
  ): Promise<StoredEvent[]> {
    return this.scanAll(
      options,
      (recorded) => metadataOf(recorded).correlationId === correlationId,
    );
  }

  /** A filtered read of `$all`, as `readByCorrelation`: EventStoreDB indexes no metadata. */
  async readByActor(actor: string, options: ReadByActorOptions = {}): Promise<StoredEvent[]> {
    const from = options.from === undefined ? -Infinity : Date.parse(options.from);
    const to = options.to === undefined ? Infinity : Date.parse(options.to);
    return this.scanAll(options, (recorded) => {
      const metadata = metadataOf(recorded);
      const at = Date.parse(metadata.occurredAt);
      return metadata.actor === actor && at >= from && at < to;
    });
  }

  private async scanAll(
    { after = 0n, maxCount = 1000 }: ReadIndexedOptions,
    matches: (recorded: RecordedEvent) => boolean,
  ): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    const fromPosition = after === 0n ? START : { commit: after, prepare: after };
    for await (const resolved of this.client.readAll({ fromPosition, direction: FORWARDS })) {
      const recorded = resolved.event;
      if (!recorded || recorded.type.startsWith('$') || recorded.streamId.startsWith('$')) continue;
      if (recorded.position.commit <= after) continue;
      if (!matches(recorded)) continue;
      events.push(toStoredEvent(recorded, recorded.position.commit));
      if (events.length >= maxCount) break;
    }
    return events;
  }

  async headPosition(): Promise<bigint> {
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS })) {
      const recorded = resolved.event;
      if (recorded && !recorded.streamId.startsWith('$')) return recorded.position.commit;
    }
    return 0n;
  }

  async waitForEvents(after: bigint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !signal?.aborted) {
      if ((await this.headPosition()) > after) return;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, deadline - Date.now())));
    }
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected);
}

function toEventData(event: NewEvent) {
  const metadata =
    event.schemaVersion === undefined
      ? event.metadata
      : { ...event.metadata, [SCHEMA_VERSION_KEY]: event.schemaVersion };
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data, metadata });
}

function metadataOf(recorded: RecordedEvent): EventMetadata {
  return (recorded.metadata ?? {}) as EventMetadata;
}

function toStoredEvent(recorded: RecordedEvent, position: bigint): StoredEvent {
  const { [SCHEMA_VERSION_KEY]: schemaVersion, ...metadata } = (recorded.metadata ??
    {}) as EventMetadata;
  return {
    eventId: recorded.id,
    streamId: recorded.streamId,
    revision: Number(recorded.revision),
    position,
    type: recorded.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: recorded.data as Record<string, unknown>,
    metadata: { ...metadata, recordedAt: recorded.created.toISOString() },
  };
}

function leadingDuplicates(
  streamId: string,
  events: NewEvent[],
  stored: StoredEvent[],
): StoredEvent[] {
  const byId = new Map(stored.map((e) => [e.eventId, e]));
  const duplicates: StoredEvent[] = [];
  events.forEach((event, index) => {
    const found = byId.get(event.eventId);
    if (!found) return;
    if (index !== duplicates.length)
      throw new EventIdConflictError(
        event.eventId,
        'but the events before it in this append are not',
      );
    const { recordedAt: _recordedAt, ...metadata } = found.metadata;
    const normalised = JSON.parse(JSON.stringify(event)) as NewEvent;
    const same =
      found.type === normalised.type &&
      found.schemaVersion === (normalised.schemaVersion ?? 1) &&
      isDeepStrictEqual(found.data, normalised.data) &&
      isDeepStrictEqual(metadata, normalised.metadata);
    if (!same)
      throw new EventIdConflictError(event.eventId, `in ${streamId} with different content`);
    duplicates.push(found);
  });
  return duplicates;
}
