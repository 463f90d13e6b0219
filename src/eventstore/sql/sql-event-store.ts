import { EventEmitter } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import type { NewEvent, StoredEvent } from '../event';
import { EventIdConflictError, WrongExpectedRevisionError } from '../errors';
import {
  categoryOf,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamAppend,
} from '../event-store.port';
import { eventStoreMigrations } from './event-store.schema';
import { migrate } from './migrations';
import type { SqlClient, SqlSession } from './sql-client';

/**
 * The event store on PostgreSQL or PGlite (the same SQL on both).
 *
 * How no reader skips an event that commits late:
 * 1. Appenders take a session-level advisory lock before their first write ("take positions
 *    from the sequence, insert": the transaction id is assigned there) and release it before COMMIT (so a slow commit blocks nobody).
 *    Hence among appending transactions, a lower transaction id always holds lower positions.
 * 2. Readers return only events whose transaction id is below `pg_snapshot_xmin` of their
 *    snapshot, in position order. Every transaction below xmin has ended, and by (1) every event
 *    with a lower position than one returned belongs to such a transaction: it is either visible
 *    in the same snapshot or rolled back. So "read after position p" never misses anything, and
 *    the read order and the resume key are the same thing: `position`.
 * The price: a transaction that stays open (appending or not, in any session that has written
 * something) holds readers back until it ends.
 */
const APPEND_LOCK_KEY = 7_424_171_001;
const NOTIFY_CHANNEL = 'es_events';

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

const SELECT_EVENT = `SELECT position::text AS position, event_id::text AS event_id, stream_id,
  revision::int4 AS revision, type, schema_version, data, metadata,
  floor(extract(epoch FROM recorded_at) * 1000)::int8 AS recorded_ms
  FROM es_events`;

const READABLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';

export class SqlEventStore implements EventStore {
  private readonly notifications = new EventEmitter();
  private unlisten: (() => Promise<void>) | undefined;

  private constructor(readonly sql: SqlClient) {
    this.notifications.setMaxListeners(0);
  }

  static async open(sql: SqlClient): Promise<SqlEventStore> {
    await migrate(sql, 'eventstore', eventStoreMigrations);
    const store = new SqlEventStore(sql);
    store.unlisten = await sql.listen(NOTIFY_CHANNEL, () => store.notifications.emit('append'));
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

  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    if (appends.some((a) => a.events.length === 0))
      throw new Error('an append needs at least one event');
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.appendOnce(appends);
      } catch (error) {
        // A lost race is re-planned against the now-visible revisions: the plan then either
        // succeeds (expected `any`) or fails with the actual revision.
        if (!(error instanceof LostRaceError) || attempt >= 5) throw error;
      }
    }
  }

  private appendOnce(appends: StreamAppend[]): Promise<AppendResult[]> {
    return this.sql.transaction(async (tx) => {
      // First statement of the transaction: its transaction id, assigned by its first write (the
      // sequence or the insert below), is assigned under the lock.
      await tx.query('SELECT pg_advisory_lock($1)', [APPEND_LOCK_KEY]);
      const plan = await planAppends(tx, appends);
      const rows = plan.flatMap((p) => p.rows);
      if (rows.length === 0) {
        await tx.query('SELECT pg_advisory_unlock($1)', [APPEND_LOCK_KEY]);
        return plan.map((p) => p.result(0n));
      }
      const first = await allocatePositions(tx, rows.length);
      await insertRows(tx, rows, first);
      await tx.query('SELECT pg_notify($1, $2), pg_advisory_unlock($3)', [
        NOTIFY_CHANNEL,
        String(first + BigInt(rows.length) - 1n),
        APPEND_LOCK_KEY,
      ]);
      return plan.map((p) => p.result(first));
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const backwards = options.direction === 'backwards';
    const params: unknown[] = [streamId];
    const where = ['stream_id = $1'];
    if (options.fromRevision !== undefined) {
      params.push(options.fromRevision);
      where.push(`revision ${backwards ? '<=' : '>='} $${params.length}`);
    }
    if (options.toRevision !== undefined) {
      params.push(options.toRevision);
      where.push(`revision ${backwards ? '>=' : '<='} $${params.length}`);
    }
    let sql = `${SELECT_EVENT} WHERE ${where.join(' AND ')} ORDER BY es_events.revision ${backwards ? 'DESC' : 'ASC'}`;
    if (options.maxCount !== undefined) {
      params.push(options.maxCount);
      sql += ` LIMIT $${params.length}`;
    }
    return (await this.sql.query<EventRow>(sql, params)).map(toStoredEvent);
  }

  async streamRevision(streamId: string): Promise<number | undefined> {
    const rows = await this.sql.query<{ revision: number | null }>(
      'SELECT max(revision)::int4 AS revision FROM es_events WHERE stream_id = $1',
      [streamId],
    );
    return rows[0]?.revision ?? undefined;
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    const params: unknown[] = [String(options.after ?? 0n), options.maxCount ?? 1000];
    const where = ['position > $1::bigint', READABLE];
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

  async headPosition(): Promise<bigint> {
    const rows = await this.sql.query<{ position: string }>(
      `SELECT position::text AS position FROM es_events WHERE ${READABLE} ORDER BY es_events.position DESC LIMIT 1`,
    );
    return BigInt(rows[0]?.position ?? 0);
  }

  async waitForEvents(after: bigint, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    let done!: () => void;
    const woken = new Promise<void>((resolve) => (done = resolve));
    this.notifications.once('append', done);
    signal?.addEventListener('abort', done, { once: true });
    const timer = setTimeout(done, timeoutMs);
    try {
      // Subscribed before looking, so an append between the look and the wait still wakes us.
      if ((await this.headPosition()) > after || signal?.aborted) return;
      await woken;
    } finally {
      clearTimeout(timer);
      this.notifications.off('append', done);
      signal?.removeEventListener('abort', done);
    }
  }

  async close(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = undefined;
    await this.sql.close();
  }
}

interface PlannedRow {
  streamId: string;
  revision: number;
  event: NewEvent;
}

interface AppendPlan {
  rows: PlannedRow[];
  result(firstPosition: bigint): AppendResult;
}

interface ExistingRow {
  event_id: string;
  stream_id: string;
  revision: number;
  position: string;
  type: string;
  schema_version: number | null;
  data: unknown;
  metadata: unknown;
}

/**
 * Decides, for each append in order, which events are retries of stored ones (a no-op when
 * identical), checks the expected revision and assigns revisions. Throws before anything is
 * written if any append is refused, so a batch is all or nothing.
 */
async function planAppends(tx: SqlSession, appends: StreamAppend[]): Promise<AppendPlan[]> {
  const streamIds = [...new Set(appends.map((a) => a.streamId))];
  const revisions = new Map<string, number>();
  // One index probe per stream (the unique (stream_id, revision) index, read backwards).
  const current = await tx.query<{ stream_id: string; revision: number | null }>(
    `SELECT s.id AS stream_id,
       (SELECT e.revision::int4 FROM es_events e WHERE e.stream_id = s.id ORDER BY e.revision DESC LIMIT 1) AS revision
     FROM unnest($1::text[]) AS s(id)`,
    [streamIds],
  );
  for (const row of current) if (row.revision !== null) revisions.set(row.stream_id, row.revision);

  const existing = new Map<string, ExistingRow>();
  const ids = appends.flatMap((a) => a.events.map((e) => e.eventId));
  const stored = await tx.query<ExistingRow>(
    `SELECT event_id::text AS event_id, stream_id, revision::int4 AS revision, position::text AS position,
       type, schema_version, data, metadata FROM es_events WHERE event_id = ANY($1::uuid[])`,
    [ids],
  );
  for (const row of stored) existing.set(row.event_id, row);

  let offset = 0;
  return appends.map((append) => {
    const duplicates = leadingDuplicates(append, existing);
    const actual = revisions.get(append.streamId);
    const firstDuplicate = duplicates[0];
    if (firstDuplicate) {
      const before = firstDuplicate.revision - 1;
      checkExpected(append.streamId, append.expectedRevision, before < 0 ? undefined : before);
    }
    const fresh = append.events.slice(duplicates.length);
    const lastDuplicate = duplicates.at(-1);
    if (fresh.length === 0) {
      return {
        rows: [],
        result: () => resultOf(lastDuplicate!.revision, BigInt(lastDuplicate!.position), 0),
      };
    }
    if (lastDuplicate) {
      if (actual !== lastDuplicate.revision) {
        throw new WrongExpectedRevisionError(append.streamId, lastDuplicate.revision, actual);
      }
    } else {
      checkExpected(append.streamId, append.expectedRevision, actual);
    }
    const start = (actual ?? -1) + 1;
    const rows = fresh.map((event, i) => ({
      streamId: append.streamId,
      revision: start + i,
      event,
    }));
    revisions.set(append.streamId, start + fresh.length - 1);
    const rowOffset = offset;
    offset += rows.length;
    return {
      rows,
      result: (first) =>
        resultOf(
          start + fresh.length - 1,
          first + BigInt(rowOffset + rows.length - 1),
          rows.length,
        ),
    };
  });
}

function resultOf(nextExpectedRevision: number, position: bigint, written: number): AppendResult {
  return { nextExpectedRevision, position, written };
}

/** The stored events an append starts with; a stored event anywhere else is a conflict. */
function leadingDuplicates(
  append: StreamAppend,
  existing: Map<string, ExistingRow>,
): ExistingRow[] {
  const duplicates: ExistingRow[] = [];
  append.events.forEach((event, index) => {
    const row = existing.get(event.eventId);
    if (!row) return;
    if (index !== duplicates.length) {
      throw new EventIdConflictError(
        event.eventId,
        'but the events before it in this append are not',
      );
    }
    if (row.stream_id !== append.streamId) {
      throw new EventIdConflictError(event.eventId, `in stream ${row.stream_id}`);
    }
    const previous = duplicates.at(-1);
    if (previous && row.revision !== previous.revision + 1) {
      throw new EventIdConflictError(
        event.eventId,
        `at revision ${row.revision}, not after ${event.eventId}`,
      );
    }
    if (!sameContent(row, event))
      throw new EventIdConflictError(event.eventId, 'with different content');
    duplicates.push(row);
  });
  return duplicates;
}

function sameContent(row: ExistingRow, event: NewEvent): boolean {
  const normalised = JSON.parse(JSON.stringify(event)) as NewEvent;
  return (
    row.type === normalised.type &&
    (row.schema_version ?? undefined) === normalised.schemaVersion &&
    isDeepStrictEqual(row.data, normalised.data) &&
    isDeepStrictEqual(row.metadata, normalised.metadata)
  );
}

function checkExpected(
  streamId: string,
  expected: ExpectedRevision,
  actual: number | undefined,
): void {
  const ok =
    expected === 'any' ||
    (expected === 'no_stream' && actual === undefined) ||
    (expected === 'stream_exists' && actual !== undefined) ||
    expected === actual;
  if (!ok) throw new WrongExpectedRevisionError(streamId, expected, actual);
}

/** A block of `count` positions; the caller holds the append lock, so the block is contiguous. */
async function allocatePositions(tx: SqlSession, count: number): Promise<bigint> {
  const [row] = await tx.query<{ last: string }>(
    `SELECT setval('es_position_seq', nextval('es_position_seq') + $1 - 1)::text AS last`,
    [count],
  );
  return BigInt(row!.last) - BigInt(count) + 1n;
}

/**
 * Small appends (commands) as a multi-row VALUES list, large ones (imports) as unnest() of
 * arrays: measured here, VALUES is cheaper to plan for a few rows, unnest for hundreds.
 */
async function insertRows(tx: SqlSession, rows: PlannedRow[], first: bigint): Promise<void> {
  const columns = rows.map((row, i) => [
    String(first + BigInt(i)),
    row.event.eventId,
    row.streamId,
    row.revision,
    categoryOf(row.streamId),
    row.event.type,
    row.event.schemaVersion ?? null,
    JSON.stringify(row.event.data),
    JSON.stringify(row.event.metadata),
  ]);
  const types = ['bigint', 'uuid', 'text', 'bigint', 'text', 'text', 'int', 'json', 'json'];
  const insert = `INSERT INTO es_events (position, event_id, stream_id, revision, category, type,
    schema_version, data, metadata)`;
  const [sql, params] =
    rows.length <= 100
      ? [
          `${insert} VALUES ${columns
            .map(
              (_, r) => `(${types.map((t, c) => `$${r * types.length + c + 1}::${t}`).join(', ')})`,
            )
            .join(', ')}`,
          columns.flat(),
        ]
      : [
          `${insert} SELECT * FROM unnest(${types.map((t, c) => `$${c + 1}::${t}[]`).join(', ')})`,
          types.map((_, c) => columns.map((row) => row[c])),
        ];
  try {
    await tx.query(sql, params);
  } catch (error) {
    // Another writer took the same revision (and committed) after we looked.
    const failed = error as { code?: string; constraint?: string };
    if (failed.code === '23505' && RACE_CONSTRAINTS.has(failed.constraint ?? '')) {
      throw new LostRaceError();
    }
    throw error;
  }
}

// Same revision, or the same event retried concurrently.
const RACE_CONSTRAINTS = new Set(['es_events_stream_id_revision_key', 'es_events_event_id_key']);

class LostRaceError extends Error {}

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
