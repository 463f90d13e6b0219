import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  NotLeaderError,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type RecordedEvent,
  type Filter,
} from '@eventstore/db-client';
import { leadingDuplicates } from '../duplicate-check';
import type { EventMetadata, NewEvent, StoredEvent } from '../event';
import { WrongExpectedRevisionError } from '../errors';
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadByActorOptions,
  type ReadIndexedOptions,
  type ReadStreamOptions,
  type StreamAppend,
} from '../event-store.port';
import { toActualRevision, toPortError } from './esdb-errors';
import { copyOf, toEventData, toStoredEvent, type StoredEventCopy } from './esdb-event-mapping';
import { accepts, serverFilterOf } from './esdb-filter';
import { portPositionOf, readPositionAfter } from './esdb-position';

/**
 * The production adapter. EventStoreDB gives per-stream optimistic concurrency, event-id
 * idempotency at the expected revision, and a global commit position that only grows, which is
 * the port's `position`.
 *
 * An append is one call with the writer's expected revision: the server writes it, or finds the
 * same event ids already at that revision and writes nothing, or refuses it. Beside it, the
 * adapter reads one record (the log's end, to tell a write from a no-op) and, after a no-op or a
 * refusal, the few slots the append would have taken: never the stream from its start.
 *
 * The connection string decides the topology (`esdb://host` or `esdb+discover://seed1,seed2`
 * for a cluster's gossip seeds). On a leader change the client reconnects to the leader the
 * follower named; the call that met the follower is retried once there.
 */
export class EsdbEventStore implements EventStore {
  private constructor(private readonly client: EventStoreDBClient) {}

  static async connect(connectionString: string): Promise<EsdbEventStore> {
    const store = new EsdbEventStore(EventStoreDBClient.connectionString(connectionString));
    // Fail at start, not at the first command, when the server is unreachable.
    await store.headPosition();
    return store;
  }

  async append(
    streamId: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision = 'any',
  ): Promise<AppendResult> {
    if (events.length === 0) throw new Error('an append needs at least one event');
    const fence = await this.logEnd();
    let result: EsdbAppendResult;
    try {
      result = await this.onLeader(() =>
        this.client.appendToStream(streamId, events.map(toEventData), {
          expectedRevision: toEsdbExpected(expectedRevision),
        }),
      );
    } catch (error) {
      const expectedSlot = slotBefore(expectedRevision);
      if (error instanceof WrongExpectedVersionError && expectedSlot !== undefined) {
        return this.afterRefusal(streamId, events, expectedRevision, expectedSlot, error);
      }
      throw toPortError(error, { streamId, expected: expectedRevision });
    }
    const nextExpectedRevision = Number(result.nextExpectedRevision);
    const position = portPositionOf(result.position);
    if (position !== undefined && position > fence) {
      return { nextExpectedRevision, position, written: events.length };
    }
    // The server's idempotent answer: these ids were already there and nothing was written.
    // Servers before 21 give it no position, later ones the original write's, which is not
    // after the log's end as it was before this call.
    return this.retried(streamId, events, nextExpectedRevision - events.length);
  }

  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    const results: AppendResult[] = [];
    for (const a of appends)
      results.push(await this.append(a.streamId, a.events, a.expectedRevision));
    return results;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    return this.call(async () => {
      const events: StoredEvent[] = [];
      try {
        for await (const resolved of this.client.readStream(streamId, {
          direction: FORWARDS,
          fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : START,
          ...(options.maxCount !== undefined ? { maxCount: BigInt(options.maxCount) } : {}),
        })) {
          if (!resolved.event) continue;
          events.push(toStoredEvent(resolved.event));
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
      return events;
    });
  }

  /**
   * A page of `$all` after a position: a catch-up subscription with a server-side filter (system
   * events never leave the server), ended when the page is full or the subscription has caught
   * up with the log's end.
   */
  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const after = options.after ?? 0n;
    const maxCount = options.maxCount ?? 1000;
    return this.call(async () => {
      const events: StoredEvent[] = [];
      const subscription = this.subscribeAfter(after, serverFilterOf(options));
      try {
        await new Promise<void>((resolve, reject) => {
          let caughtUp = false;
          subscription.on('data', (resolved: AllStreamResolvedEvent) => {
            const recorded = resolved.event;
            if (recorded && recorded.position.commit > after && accepts(recorded, options)) {
              if (events.length < maxCount) events.push(toStoredEvent(recorded));
            }
            // caughtUp is emitted in order after the events before it were pushed: once those
            // buffered ones are delivered too, the page holds everything up to the end.
            if (events.length >= maxCount || (caughtUp && subscription.readableLength === 0))
              resolve();
          });
          subscription.once('caughtUp', () => {
            caughtUp = true;
            if (subscription.readableLength === 0) resolve();
          });
          subscription.on('error', reject);
          subscription.once('end', resolve);
        });
      } finally {
        await subscription.unsubscribe();
      }
      return events;
    });
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
      events.push(toStoredEvent(recorded));
      if (events.length >= maxCount) break;
    }
    return events;
  }

  /** Nothing to do: EventStoreDB's reads go by its own indexes, with no planner to inform. */
  async afterBulkLoad(): Promise<void> {}

  async headPosition(): Promise<bigint> {
    return this.call(async () => {
      for await (const resolved of this.client.readAll({
        fromPosition: END,
        direction: BACKWARDS,
      })) {
        const recorded = resolved.event;
        if (recorded && accepts(recorded, {})) return recorded.position.commit;
      }
      return 0n;
    });
  }

  /** A live subscription after `after`: woken by the server's push, not by polling. */
  async waitForEvents(after: bigint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    const subscription = this.subscribeAfter(after, excludeSystemEvents());
    let done!: () => void;
    const woken = new Promise<void>((resolve) => (done = resolve));
    const timer = setTimeout(done, timeoutMs);
    signal?.addEventListener('abort', done, { once: true });
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      const recorded = resolved.event;
      if (recorded && recorded.position.commit > after && accepts(recorded, {})) done();
    });
    // A dropped subscription wakes the caller, who reads (and meets the error there) or waits again.
    subscription.on('error', done);
    subscription.once('end', done);
    try {
      await woken;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      await subscription.unsubscribe();
    }
  }

  /**
   * The position of the log's last record, system records included. A success whose position is
   * not after it wrote nothing: the server compares event ids only, and answers an append of ids
   * it holds with the original write's revision and position, exactly as it answers a new
   * write. This one-record read is what tells the two apart (for `written`, and to check that a
   * retried event's content is the stored one).
   */
  private async logEnd(): Promise<bigint> {
    return this.call(async () => {
      for await (const resolved of this.client.readAll({
        fromPosition: END,
        direction: BACKWARDS,
        maxCount: 1,
      })) {
        return resolved.event?.position.commit ?? 0n;
      }
      return 0n;
    });
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }

  private subscribeAfter(after: bigint, filter: Filter) {
    return this.client.subscribeToAll({ fromPosition: readPositionAfter(after), filter });
  }

  /**
   * The server refused the append at `expectedSlot` (the revision the writer expected: -1 for
   * no stream). The events after it show which case this is: the same events (a retry: a no-op),
   * the first of them followed by room for the rest (a retry that extends: append the rest), or
   * anything else (a conflict, with the server's actual revision).
   */
  private async afterRefusal(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedRevision,
    expectedSlot: number,
    refusal: WrongExpectedVersionError,
  ): Promise<AppendResult> {
    const actual = toActualRevision(refusal.actualVersion);
    const conflict = () => new WrongExpectedRevisionError(streamId, expected, actual);
    if (actual === undefined) throw conflict();
    const duplicates = await this.storedAfter(streamId, expectedSlot, events);
    const first = duplicates[0];
    if (!first || first.revision !== expectedSlot + 1) throw conflict();
    const last = duplicates.at(-1)!;
    if (duplicates.length === events.length) {
      return {
        nextExpectedRevision: last.revision,
        position: last.position ?? (await this.headPosition()),
        written: 0,
      };
    }
    const fresh = events.slice(duplicates.length);
    try {
      const result = await this.onLeader(() =>
        this.client.appendToStream(streamId, fresh.map(toEventData), {
          expectedRevision: BigInt(last.revision),
        }),
      );
      return {
        nextExpectedRevision: Number(result.nextExpectedRevision),
        position: portPositionOf(result.position) ?? (await this.headPosition()),
        written: fresh.length,
      };
    } catch (error) {
      throw toPortError(error, { streamId, expected: last.revision });
    }
  }

  /** The server took the append for one it holds: its events sit after `slot`; check them. */
  private async retried(streamId: string, events: NewEvent[], slot: number): Promise<AppendResult> {
    const duplicates = await this.storedAfter(streamId, slot, events);
    const last = duplicates.at(-1);
    if (duplicates.length !== events.length || !last) {
      throw new Error(
        `EventStoreDB reported ${streamId}'s append as already written, but revisions ${slot + 1}.. do not hold its events`,
      );
    }
    return {
      nextExpectedRevision: last.revision,
      position: last.position ?? (await this.headPosition()),
      written: 0,
    };
  }

  /** The append's events already stored in the slots after `slot` it would have taken. */
  private async storedAfter(
    streamId: string,
    slot: number,
    events: NewEvent[],
  ): Promise<StoredEventCopy[]> {
    const window = await this.call(async () => {
      const copies: StoredEventCopy[] = [];
      for await (const resolved of this.client.readStream(streamId, {
        fromRevision: BigInt(slot + 1),
        maxCount: events.length,
      })) {
        if (resolved.event) copies.push(copyOf(resolved.event));
      }
      return copies;
    });
    return leadingDuplicates(streamId, events, new Map(window.map((c) => [c.eventId, c])));
  }

  /** Runs `action`, once more if it met a follower (the client has moved to the leader). */
  private async onLeader<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof NotLeaderError)) throw error;
      // The client drops the follower's channel in a callback of the failed call: let it run.
      await new Promise((resolve) => setImmediate(resolve));
      return action();
    }
  }

  /** `onLeader`, with the client's errors turned into the port's. */
  private async call<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await this.onLeader(action);
    } catch (error) {
      throw toPortError(error);
    }
  }
}

/**
 * The revision before the first slot an append expects to take, when it states one: a number
 * is that revision, `no_stream` is -1. `any` and `stream_exists` state none.
 */
function slotBefore(expected: ExpectedRevision): number | undefined {
  if (expected === 'no_stream') return -1;
  return typeof expected === 'number' ? expected : undefined;
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return BigInt(expected);
}

function metadataOf(recorded: RecordedEvent): EventMetadata {
  return (recorded.metadata ?? {}) as EventMetadata;
}
