import { EventEmitter } from 'node:events';
import { LRUCache } from 'lru-cache';
import type { NewEvent, StoredEvent } from '../event';
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
import { AppendNotifier } from './append-notifier';
import { planAppends, readInputs, statedInputs, type PlannedRow } from './append-plan';
import { eventStoreMigrations, NOTIFY_CHANNEL } from './event-store.schema';
import { migrate } from './migrations';
import type { SqlClient } from './sql-client';

/**
 * An append that states no revision is only overtaken while other writers keep committing to its
 * streams; after each lost race it waits a random moment (growing with the attempt) so that the
 * writers that collided do not collide again in lock step. Five immediate retries were not enough
 * for 8 writers on 20 streams on 2 cores.
 */
const MAX_ATTEMPTS = 12;
const backOff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 2 ** attempt)));
/** Streams whose last revision is remembered for appends that state none (`any`). */
const REMEMBERED_STREAMS = 10_000;

interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  schema_version: number | null;
  data: Record<string, unknown>;
  metadata: StoredEvent['metadata'];
  recorded_ms: string;
}

const APPEND_EVENTS = `SELECT es_append_events($1::text[], $2::bigint[], $3::uuid[], $4::text[],
  $5::text[], $6::int[], $7::json[], $8::json[], $9::timestamptz[], $10::bigint[])::text[] AS positions`;

const SELECT_EVENT = `SELECT position::text AS position, event_id::text AS event_id, stream_id,
  revision::int4 AS revision, type, schema_version, data, metadata,
  floor(extract(epoch FROM recorded_at) * 1000)::int8 AS recorded_ms
  FROM es_events`;

/**
 * The event store on PostgreSQL or PGlite (the same SQL on both).
 *
 * How no reader skips an event that commits late, held back only by this database's appends:
 * 1. An append reads the last position taken from the position sequence, then marks itself in
 *    flight with a transaction-level advisory lock keyed by that position plus one (a lower bound
 *    of the positions it will take), which lasts until it commits or rolls back; only then does
 *    it take its positions from the sequence. Appends run side by side: nothing but the mark and
 *    the unique indexes stands between them. All of it is the `es_append_events` function
 *    (migration 6; `es_append` before it), called as its own transaction.
 * 2. A reader first asks `es_read_bound()`: it reads the sequence S, then the marks in this
 *    database, and answers S, or the position before the lowest mark. Then, in a statement of
 *    its own (so with a snapshot taken after that answer), it reads only positions up to it.
 *    Every position up to S was taken before S was read, so its append had marked itself before
 *    the marks were read: the mark was still there (then the bound is below the position) or
 *    the append had ended, committed and visible to the later snapshot, or rolled back. So
 *    "read after position p" never misses anything, and the read order and the resume key are
 *    the same thing: `position`.
 * The price: an append whose commit is slow holds readers back until it ends; nothing else does
 * (other databases, other tables, other open transactions), unlike `pg_snapshot_xmin`, which
 * counts every transaction of the server.
 */
export class SqlEventStore implements EventStore {
  private readonly notifications = new EventEmitter();
  private unlisten: (() => Promise<void>) | undefined;
  /** Other processes' readers are woken by NOTIFY; PGlite's one instance is this process's. */
  private readonly notifier: AppendNotifier | undefined;
  /** A guess, never trusted: es_append_events checks it like a stated revision. */
  private readonly revisions = new LRUCache<string, number>({ max: REMEMBERED_STREAMS });

  private constructor(readonly sql: SqlClient) {
    this.notifications.setMaxListeners(0);
    if (sql.kind === 'postgres') this.notifier = new AppendNotifier(sql, NOTIFY_CHANNEL);
  }

  static async open(sql: SqlClient): Promise<SqlEventStore> {
    await migrate(sql, 'eventstore', eventStoreMigrations);
    const store = new SqlEventStore(sql);
    store.unlisten = await sql.listen(NOTIFY_CHANNEL, (payload) =>
      store.notifications.emit('append', positionIn(payload)),
    );
    return store;
  }

  async append(
    streamId: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision = 'any',
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamId, events, expectedRevision }]);
    return result!;
  }

  /**
   * Plans the append in memory (revisions, retried events, expected revisions) and has
   * `es_append_events` check the plan and write it, in one round trip when the writers
   * stated the streams' revisions. A plan that does not hold (a stream moved since, an event
   * already stored: a retry) is made again on what is now committed: it then either succeeds
   * (expected `any`), is a no-op (the same events), or fails with the actual revision.
   */
  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (appends.some((a) => a.events.length === 0))
      throw new Error('an append needs at least one event');
    let inputs = statedInputs(appends, (streamId) => this.revisions.get(streamId));
    for (let attempt = 1; ; attempt++) {
      inputs ??= await readInputs(this.sql, appends);
      const plan = planAppends(appends, inputs);
      const rows = plan.flatMap((p) => p.rows);
      if (rows.length === 0)
        return this.remember(
          appends,
          plan.map((p) => p.result([])),
        );
      const positions = await this.write(rows);
      if (positions !== undefined) {
        this.notifications.emit('append', positions.at(-1));
        this.notifier?.appended(positions.at(-1)!);
        return this.remember(
          appends,
          plan.map((p) => p.result(positions)),
        );
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new Error(`append overtaken by other writers ${MAX_ATTEMPTS} times; try again`);
      }
      await backOff(attempt);
      inputs = undefined;
    }
  }

  /** `appendMany` is one transaction here. */
  appendAtomically(appends: StreamAppend[]): Promise<AppendResult[]> {
    return this.appendMany(appends);
  }

  private remember(appends: StreamAppend[], results: AppendResult[]): AppendResult[] {
    appends.forEach((a, i) => this.revisions.set(a.streamId, results[i]!.nextExpectedRevision));
    return results;
  }

  /** The rows' positions, or undefined when the plan was overtaken (nothing written). */
  private async write(rows: PlannedRow[]): Promise<bigint[] | undefined> {
    try {
      const [row] = await this.sql.query<{ positions: string[] | null }>(
        APPEND_EVENTS,
        [
          rows.map((r) => r.streamId),
          rows.map((r) => r.revision),
          rows.map((r) => r.event.eventId),
          rows.map((r) => categoryOf(r.streamId)),
          rows.map((r) => r.event.type),
          rows.map((r) => r.event.schemaVersion ?? null),
          rows.map((r) => JSON.stringify(r.event.data)),
          rows.map((r) => JSON.stringify(r.event.metadata)),
          rows.map((r) => r.event.restored?.recordedAt ?? null),
          rows.map((r) => r.event.restored?.position?.toString() ?? null),
        ],
        'es_append_events',
      );
      return row?.positions?.map((position) => BigInt(position));
    } catch (error) {
      // A revision taken (by a writer that committed after the check) or an event id stored.
      const failed = error as { code?: string; constraint?: string };
      if (failed.code === '23505' && RACE_CONSTRAINTS.has(failed.constraint ?? '')) {
        return undefined;
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const params: unknown[] = [streamId];
    const where = ['stream_id = $1'];
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision);
      where.push(`revision >= $${params.length}`);
    }
    let limit = '';
    if (options.maxCount !== undefined) {
      params.push(options.maxCount);
      limit = ` LIMIT $${params.length}`;
    }
    const sql = `${SELECT_EVENT} WHERE ${where.join(' AND ')} ORDER BY es_events.revision${limit}`;
    return (await this.sql.query<EventRow>(sql, params)).map(toStoredEvent);
  }

  /**
   * A freshly loaded es_events has no statistics until autovacuum analyzes it (never, where it is
   * off): a category read was then planned for a few rows and sorted every matching event on
   * each page (0.8 s a page at 1.5 million events, against 3 ms with statistics).
   */
  async afterBulkLoad(): Promise<void> {
    await this.sql.query('ANALYZE es_events');
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const after = options.after ?? 0n;
    const bound = await this.readBound();
    if (bound <= after) return [];
    const params: unknown[] = [String(after), options.maxCount ?? 1000, String(bound)];
    const where = ['position > $1::bigint', 'position <= $3::bigint'];
    if (options.categories) {
      params.push(options.categories);
      where.push(`category = ANY($${params.length}::text[])`);
    }
    if (options.types) {
      params.push(options.types);
      where.push(`type = ANY($${params.length}::text[])`);
    }
    const sql = `${SELECT_EVENT} WHERE ${where.join(' AND ')} ORDER BY es_events.position LIMIT $2`;
    return (await this.sql.query<EventRow>(sql, params)).map(toStoredEvent);
  }

  async readEvent(eventId: string): Promise<StoredEvent | undefined> {
    // Only a uuid can be stored: anything else is simply not there (and would fail the cast).
    if (!UUID.test(eventId)) return undefined;
    const bound = await this.readBound();
    const rows = await this.sql.query<EventRow>(
      `${SELECT_EVENT} WHERE event_id = $1::uuid AND position <= $2::bigint`,
      [eventId, String(bound)],
    );
    return rows[0] && toStoredEvent(rows[0]);
  }

  /** The expression index `es_events_correlation_position` (migration 3). */
  async readByCorrelation(
    correlationId: string,
    options: ReadIndexedOptions = {},
  ): Promise<StoredEvent[]> {
    return this.readIndexed(`metadata->>'correlationId' = $3`, [correlationId], options);
  }

  /** The expression index `es_events_actor_position` (migration 3); the time range filters it. */
  async readByActor(actor: string, options: ReadByActorOptions = {}): Promise<StoredEvent[]> {
    const where = [`metadata->>'actor' = $3`];
    const params: unknown[] = [actor];
    if (options.from !== undefined) {
      params.push(options.from);
      where.push(`(metadata->>'occurredAt')::timestamptz >= $${params.length + 2}::timestamptz`);
    }
    if (options.to !== undefined) {
      params.push(options.to);
      where.push(`(metadata->>'occurredAt')::timestamptz < $${params.length + 2}::timestamptz`);
    }
    return this.readIndexed(where.join(' AND '), params, options);
  }

  private async readIndexed(
    condition: string,
    params: unknown[],
    options: ReadIndexedOptions,
  ): Promise<StoredEvent[]> {
    const bound = await this.readBound();
    const at = params.length + 3;
    const sql = `${SELECT_EVENT} WHERE ${condition} AND position > $1::bigint
      AND position <= $${at}::bigint ORDER BY es_events.position LIMIT $2`;
    const rows = await this.sql.query<EventRow>(sql, [
      String(options.after ?? 0n),
      options.maxCount ?? 1000,
      ...params,
      String(bound),
    ]);
    return rows.map(toStoredEvent);
  }

  async headPosition(): Promise<bigint> {
    const bound = await this.readBound();
    const rows = await this.sql.query<{ position: string }>(
      `SELECT position::text AS position FROM es_events WHERE position <= $1::bigint
       ORDER BY es_events.position DESC LIMIT 1`,
      [String(bound)],
    );
    return BigInt(rows[0]?.position ?? 0);
  }

  /** Must be its own statement, before the read it bounds (see the scheme above). */
  private async readBound(): Promise<bigint> {
    const [row] = await this.sql.query<{ bound: string }>('SELECT es_read_bound()::text AS bound');
    return BigInt(row!.bound);
  }

  /**
   * An announced position at or below `after` wakes nobody: it is a late NOTIFY of events this
   * reader has read (an event committed later at or below it would have been skipped, which the
   * scheme above rules out). A NOTIFY without a position (a listener's reconnection) wakes all.
   */
  async waitForEvents(after: bigint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    let done!: () => void;
    const woken = new Promise<void>((resolve) => (done = resolve));
    const onAppend = (position: bigint | undefined) => {
      if (position === undefined || position > after) done();
    };
    this.notifications.on('append', onAppend);
    signal?.addEventListener('abort', done, { once: true });
    const timer = setTimeout(done, timeoutMs);
    try {
      // Subscribed before looking, so an append between the look and the wait still wakes us.
      if ((await this.headPosition()) > after || signal?.aborted) return;
      await woken;
    } finally {
      clearTimeout(timer);
      this.notifications.off('append', onAppend);
      signal?.removeEventListener('abort', done);
    }
  }

  async close(): Promise<void> {
    await this.notifier?.drain();
    await this.unlisten?.();
    this.unlisten = undefined;
    await this.sql.close();
  }
}

/** The last position an append announced, or undefined when the payload names none. */
function positionIn(payload: string): bigint | undefined {
  return /^[0-9]+$/.test(payload) ? BigInt(payload) : undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A revision already taken, or an event already stored.
const RACE_CONSTRAINTS = new Set(['es_events_stream_id_revision_key', 'es_events_event_id_key']);

/**
 * Projections turn every event of a rebuild through here: the time travels as epoch
 * milliseconds (to_char cost the server a third of a read), and the freshly parsed metadata
 * object takes recordedAt in place rather than being copied.
 */
function toStoredEvent(row: EventRow): StoredEvent {
  const metadata = row.metadata;
  metadata.recordedAt = new Date(Number(row.recorded_ms)).toISOString();
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: BigInt(row.position),
    type: row.type,
    schemaVersion: row.schema_version ?? 1,
    data: row.data,
    metadata,
  };
}
