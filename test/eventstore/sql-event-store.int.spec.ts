import { PgSqlClient } from '../../src/eventstore/sql/pg-sql-client';
import type { SqlClient, SqlSession } from '../../src/eventstore/sql/sql-client';
import { SqlEventStore } from '../../src/eventstore/sql/sql-event-store';
import { WrongExpectedRevisionError } from '../../src/eventstore/errors';
import { createTestDatabase } from '../support/postgres';
import { newEvent, streamOf } from '../support/events';

/** Once `hold()` is called, holds the next transaction open after its work until `release()`. */
class HeldCommitClient implements SqlClient {
  readonly kind = 'postgres' as const;
  private gate: Promise<void> | undefined;
  release!: () => void;
  reached!: Promise<void>;
  private arrive!: () => void;

  constructor(private readonly inner: SqlClient) {}

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
    this.reached = new Promise((resolve) => (this.arrive = resolve));
  }

  query<Row>(sql: string, params?: unknown[]): Promise<Row[]> {
    return this.inner.query<Row>(sql, params);
  }

  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    return this.inner.transaction(async (tx) => {
      const result = await fn(tx);
      const gate = this.gate;
      this.gate = undefined;
      if (gate) {
        this.arrive();
        await gate;
      }
      return result;
    });
  }

  exec(sql: string): Promise<void> {
    return this.inner.exec(sql);
  }

  listen(channel: string, onNotify: (payload: string) => void) {
    return this.inner.listen(channel, onNotify);
  }

  close() {
    return this.inner.close();
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
    const slowAppend = slowStore.append(streamOf(), [slow]);
    await held.reached; // inserted, position taken, not committed

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

  it('keeps appending after a refused append (its lock was released)', async () => {
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
});
