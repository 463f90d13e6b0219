import { Client } from 'pg';
import { PgSqlClient } from '../../src/eventstore/sql/pg-sql-client';
import type { SqlClient, SqlSession } from '../../src/eventstore/sql/sql-client';
import { SqlEventStore } from '../../src/eventstore/sql/sql-event-store';
import { WrongExpectedRevisionError } from '../../src/eventstore/errors';
import { createTestDatabase } from '../support/postgres';
import { newEvent, streamOf } from '../support/events';

/** A SqlClient that hands everything to a real one: the doubles below change one method. */
class ForwardingClient implements SqlClient {
  readonly kind = 'postgres' as const;

  constructor(protected readonly inner: SqlClient) {}

  query<Row>(sql: string, params?: unknown[], prepareAs?: string): Promise<Row[]> {
    return this.inner.query<Row>(sql, params, prepareAs);
  }

  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.inner.transaction(fn);
  }

  exec(sql: string): Promise<void> {
    return this.inner.exec(sql);
  }

  listen(channel: string, onNotify: (payload: string) => void) {
    return this.inner.listen(channel, onNotify);
  }

  notify(channel: string, payload: string) {
    return this.inner.notify(channel, payload);
  }

  close() {
    return this.inner.close();
  }
}

/**
 * Once `hold()` is called, runs the next statement in a transaction held open after it until
 * `release()`: the statement has done its work (an append: positions taken, rows inserted, lock
 * released), only its commit is late.
 */
class HeldCommitClient extends ForwardingClient {
  private gate: Promise<void> | undefined;
  release!: () => void;
  reached!: Promise<void>;
  private arrive!: () => void;

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
    this.reached = new Promise((resolve) => (this.arrive = resolve));
  }

  override query<Row>(sql: string, params?: unknown[], prepareAs?: string): Promise<Row[]> {
    const gate = this.gate;
    if (!gate) return this.inner.query<Row>(sql, params, prepareAs);
    this.gate = undefined;
    return this.inner.transaction(async (tx) => {
      const rows = await tx.query<Row>(sql, params);
      this.arrive();
      await gate;
      return rows;
    });
  }
}

describe('SQL event store on PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  let store: SqlEventStore;

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
    store = await SqlEventStore.open(new PgSqlClient(url));
  });
  afterAll(async () => {
    await store.close();
    await drop();
  });

  it('never lets a reader skip an event whose transaction commits late', async () => {
    const before = newEvent('Before');
    await store.append(streamOf(), [before]);
    const head = await store.headPosition();

    const held = new HeldCommitClient(new PgSqlClient(url));
    const slowStore = await SqlEventStore.open(held);
    held.hold();
    const slow = newEvent('Slow');
    // A new stream: the append is its one statement, no read before it.
    const slowAppend = slowStore.append(streamOf(), [slow], 'no_stream');
    await held.reached; // inserted, position taken, lock released, not committed

    const fast = newEvent('Fast');
    const fastResult = await store.append(streamOf(), [fast]);

    // The later append has committed, but the reader must stop before the open one.
    expect(await store.readAll({ after: head })).toEqual([]);
    expect(await store.headPosition()).toBe(head);
    const all = await store.readAll({ after: 0n });
    expect(all.map((e) => e.eventId)).toContain(before.eventId);
    expect(all.map((e) => e.eventId)).not.toContain(fast.eventId);

    held.release();
    const slowResult = await slowAppend;
    expect(slowResult.position < fastResult.position).toBe(true);
    const after = await store.readAll({ after: head });
    expect(after.map((e) => e.eventId)).toEqual([slow.eventId, fast.eventId]);
    await slowStore.close();
  });

  it('is not held back by a transaction open in another database, nor on another table here', async () => {
    const foreign = await createTestDatabase('st_foreign');
    const elsewhere = new Client({ connectionString: foreign.url });
    const here = new Client({ connectionString: url });
    await elsewhere.connect();
    await here.connect();
    try {
      // Both write (so they hold a transaction id) and stay open across the append and the reads.
      await elsewhere.query(
        'CREATE TABLE unrelated (n int); BEGIN; INSERT INTO unrelated VALUES (1)',
      );
      await here.query('CREATE TABLE unrelated (n int); BEGIN; INSERT INTO unrelated VALUES (1)');
      const head = await store.headPosition();
      const event = newEvent('Committed');
      const { position } = await store.append(streamOf(), [event]);

      // Read at once, not after waiting: the open transactions must not count.
      expect((await store.readAll({ after: head })).map((e) => e.eventId)).toEqual([event.eventId]);
      expect(await store.headPosition()).toBe(position);
    } finally {
      await elsewhere.query('ROLLBACK').catch(() => undefined);
      await here.query('ROLLBACK').catch(() => undefined);
      await elsewhere.end();
      await here.end();
      await foreign.drop();
    }
  });

  it('bounds readers by an append in flight across the 2^32 boundary of positions', async () => {
    // The in-flight mark keeps a position's low 32 bits; this append's first position wraps them.
    const { url: wrapUrl, drop: dropWrap } = await createTestDatabase();
    const wrapStore = await SqlEventStore.open(new PgSqlClient(wrapUrl));
    await wrapStore.sql.query(`SELECT setval('es_position_seq', 4294967294)`);
    const before = await wrapStore.append(streamOf(), [newEvent()]);
    expect(before.position).toBe(4294967295n);

    const held = new HeldCommitClient(new PgSqlClient(wrapUrl));
    const slowStore = await SqlEventStore.open(held);
    held.hold();
    const slowAppend = slowStore.append(streamOf(), [newEvent('Slow')], 'no_stream');
    await held.reached;
    const fast = await wrapStore.append(streamOf(), [newEvent('Fast')]);
    expect(fast.position).toBe(4294967297n);

    expect(await wrapStore.headPosition()).toBe(4294967295n);
    expect(await wrapStore.readAll({ after: 4294967295n })).toEqual([]);
    held.release();
    expect((await slowAppend).position).toBe(4294967296n);
    expect((await wrapStore.readAll({ after: 4294967295n })).map((e) => e.position)).toEqual([
      4294967296n,
      4294967297n,
    ]);
    await slowStore.close();
    await wrapStore.close();
    await dropWrap();
  });

  it('appendMany is all or nothing', async () => {
    const ok = streamOf();
    const taken = streamOf();
    await store.append(taken, [newEvent()]);
    await expect(
      store.appendMany([
        { streamId: ok, expectedRevision: 'no_stream', events: [newEvent()] },
        { streamId: taken, expectedRevision: 'no_stream', events: [newEvent()] },
      ]),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(await store.readStream(ok)).toEqual([]);
    expect(await store.readStream(taken)).toHaveLength(1);
  });

  it('keeps appending after a refused append (it left no lock behind)', async () => {
    const stream = streamOf();
    await store.append(stream, [newEvent()]);
    await expect(store.append(stream, [newEvent()], 5)).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    const other = new PgSqlClient(url);
    const otherStore = await SqlEventStore.open(other);
    await expect(otherStore.append(stream, [newEvent()], 0)).resolves.toMatchObject({
      nextExpectedRevision: 1,
    });
    await otherStore.close();
  });

  it('an append that stated its revision is one statement: no transaction, no read', async () => {
    const counting = new CountingClient(new PgSqlClient(url));
    const countingStore = await SqlEventStore.open(counting);
    const stream = streamOf();
    counting.reset();
    await countingStore.append(stream, [newEvent()], 'no_stream');
    await countingStore.appendMany([
      { streamId: stream, expectedRevision: 0, events: [newEvent()] },
      { streamId: stream, expectedRevision: 1, events: [newEvent(), newEvent()] },
    ]);
    expect(counting.statements).toEqual(['es_append_events', 'es_append_events']);
    expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
    await countingStore.close();
  });

  it('a race lost inside es_append_events (a row committed after its check) leaves no lock and reports the actual revision', async () => {
    const stream = streamOf();
    await store.append(stream, [newEvent()]);
    const held = new HeldCommitClient(new PgSqlClient(url));
    const slowStore = await SqlEventStore.open(held);
    held.hold();
    const slowAppend = slowStore.append(stream, [newEvent('Slow')], 0);
    await held.reached; // revision 1 inserted, not committed: invisible to the check below

    const loser = store.append(stream, [newEvent('Loser')], 0).catch((e: unknown) => e);
    await waitUntilAnAppendWaitsForACommit(store.sql);
    held.release();
    await slowAppend;
    const error = await loser;
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect((error as WrongExpectedRevisionError).actual).toBe(1);
    await expect(store.append(streamOf(), [newEvent()], 'no_stream')).resolves.toMatchObject({
      written: 1,
    });
    expect(await advisoryLocks(store.sql)).toBe(0);
    await slowStore.close();
  });

  it('appends run side by side: one waiting for a commit on its stream holds up no other', async () => {
    const stream = streamOf();
    await store.append(stream, [newEvent()]);
    const held = new HeldCommitClient(new PgSqlClient(url));
    const slowStore = await SqlEventStore.open(held);
    held.hold();
    const slowAppend = slowStore.append(stream, [newEvent('Slow')], 0);
    try {
      await held.reached;
      let loserSettled = false;
      const loser = store
        .append(stream, [newEvent('Loser')], 0)
        .catch((e: unknown) => e)
        .finally(() => (loserSettled = true));
      await waitUntilAnAppendWaitsForACommit(store.sql);

      // The loser is inside es_append_events, waiting on the unique index: others append meanwhile.
      const other = await store.append(streamOf(), [newEvent('Other')], 'no_stream');
      const batch = await store.append(
        streamOf(),
        [newEvent(), newEvent(), newEvent()],
        'no_stream',
      );
      expect([other.written, batch.written]).toEqual([1, 3]);
      expect(loserSettled).toBe(false);

      held.release();
      await slowAppend;
      expect(await loser).toBeInstanceOf(WrongExpectedRevisionError);
    } finally {
      held.release();
      await slowAppend.catch(() => undefined);
      await slowStore.close();
    }
  });

  it('restores only beyond every position taken, even one whose append rolled back', async () => {
    const { url: restoreUrl, drop: dropRestore } = await createTestDatabase();
    const restoring = await SqlEventStore.open(new PgSqlClient(restoreUrl));
    try {
      const stored = newEvent();
      const { position } = await restoring.append(streamOf(), [stored]);
      // An append that took the next position and failed on its insert (an event id stored).
      await expect(
        restoring.sql.query(
          `SELECT es_append_events(ARRAY['test-rolled-back'], ARRAY[0]::bigint[], ARRAY[$1]::uuid[],
             ARRAY['test'], ARRAY['T'], ARRAY[2], ARRAY['{}']::json[], ARRAY['{}']::json[],
             ARRAY[NULL]::timestamptz[], ARRAY[NULL]::bigint[])`,
          [stored.eventId],
        ),
      ).rejects.toMatchObject({ code: '23505' });
      const restored = (at: bigint) => ({ ...newEvent('Restored'), restored: { position: at } });

      // A reader may have read past the rolled-back position already: nothing may land there.
      await expect(
        restoring.append(streamOf(), [restored(position + 1n)], 'no_stream'),
      ).rejects.toMatchObject({ code: '22023' });
      await expect(
        restoring.append(streamOf(), [restored(position + 2n)], 'no_stream'),
      ).resolves.toMatchObject({ position: position + 2n, written: 1 });
      // The sequence moved past the restored position: the next append comes after it.
      expect((await restoring.append(streamOf(), [newEvent()])).position).toBe(position + 3n);
      expect((await restoring.readAll()).map((e) => e.position)).toEqual([
        position,
        position + 2n,
        position + 3n,
      ]);
    } finally {
      await restoring.close();
      await dropRestore();
    }
  });

  it("wakes another store's reader through a burst of appends, up to the last one", async () => {
    const other = await SqlEventStore.open(new PgSqlClient(url));
    try {
      const head = await other.headPosition();
      // Far longer than the test may take: only a NOTIFY can end these waits in time.
      const forever = 600_000;
      const woken = other.waitForEvents(head, forever);
      const first = await store.append(streamOf(), [newEvent()]);
      await woken;
      let last = first.position;
      for (let i = 0; i < 50; i++) last = (await store.append(streamOf(), [newEvent()])).position;
      let seen = await other.headPosition();
      while (seen < last) {
        await other.waitForEvents(seen, forever);
        seen = await other.headPosition();
      }
      expect(seen).toBe(last);
    } finally {
      await other.close();
    }
  }, 30_000);

  it('es_append, which earlier builds call, refuses and writes nothing', async () => {
    const stream = streamOf();
    await expect(
      store.sql.query(
        `SELECT es_append(ARRAY[$1], ARRAY[0]::bigint[], ARRAY[$2]::uuid[], ARRAY['test'],
           ARRAY['T'], ARRAY[2], ARRAY['{}']::json[], ARRAY['{}']::json[],
           ARRAY[NULL]::timestamptz[], ARRAY[NULL]::bigint[])`,
        [stream, newEvent().eventId],
      ),
    ).rejects.toMatchObject({ code: '0A000', message: expect.stringContaining('migration 6') });
    expect(await store.readStream(stream)).toEqual([]);
  });

  it('any error inside es_append_events leaves no lock behind', async () => {
    // Arrays of different lengths: unnest pads with NULL, the insert fails after the mark.
    await expect(
      store.sql.query(
        `SELECT es_append_events(ARRAY['test-x'], ARRAY[0]::bigint[], ARRAY[]::uuid[], ARRAY['test'],
           ARRAY['T'], ARRAY[2], ARRAY['{}']::json[], ARRAY['{}']::json[],
           ARRAY[NULL]::timestamptz[], ARRAY[NULL]::bigint[])`,
      ),
    ).rejects.toMatchObject({ code: '23502' });
    expect(await advisoryLocks(store.sql)).toBe(0);
    await expect(store.append(streamOf(), [newEvent()])).resolves.toMatchObject({ written: 1 });
  });
});

/** Records the statements an event store sends (by the function or table they name). */
class CountingClient extends ForwardingClient {
  statements: string[] = [];

  reset(): void {
    this.statements = [];
  }

  override query<Row>(sql: string, params?: unknown[], prepareAs?: string): Promise<Row[]> {
    this.statements.push(/es_append_events\(/.test(sql) ? 'es_append_events' : sql);
    return this.inner.query<Row>(sql, params, prepareAs);
  }

  override transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    this.statements.push('transaction');
    return this.inner.transaction(fn);
  }
}

/** Advisory locks held in this database, by any session. */
async function advisoryLocks(sql: SqlClient): Promise<number> {
  const [row] = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE l.locktype = 'advisory' AND d.datname = current_database()`,
  );
  return row!.n;
}

/** Until a session of this database waits for another transaction to end (a unique index wait). */
async function waitUntilAnAppendWaitsForACommit(sql: SqlClient): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const waiting = await sql.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
       AND wait_event_type = 'Lock' AND wait_event = 'transactionid' AND query LIKE '%es_append%'`,
    );
    if (waiting.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('no append came to wait for the held commit');
}
