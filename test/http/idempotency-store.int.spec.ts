import { Logger } from '@nestjs/common';
import { PgSqlClient } from '../../src/eventstore/sql/pg-sql-client';
import { PgliteSqlClient } from '../../src/eventstore/sql/pglite-sql-client';
import type { SqlClient } from '../../src/eventstore/sql/sql-client';
import {
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
} from '../../src/http/idempotency/idempotency.errors';
import { IdempotencyStore } from '../../src/http/idempotency/idempotency.store';
import { createTestDatabase } from '../support/postgres';

const BACKENDS: Array<[string, () => Promise<{ sql: SqlClient; close(): Promise<void> }>]> = [
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase();
      // One connection: what a claim leaves on its session is what the next statement gets.
      const sql = new PgSqlClient(db.url, 1);
      return {
        sql,
        close: async () => {
          await sql.close();
          await db.drop();
        },
      };
    },
  ],
  [
    'PGlite',
    async () => {
      const sql = await PgliteSqlClient.open();
      return { sql, close: () => sql.close() };
    },
  ],
];

const response = { status: 201, headers: { etag: '"0"' }, body: '{"id":"x"}' };
const ctx = { requestId: 'req-1', correlationId: 'corr-1', receivedAt: 1_764_000_000_000 };
const claimed = { kind: 'claimed', resumed: false, context: ctx };

describe.each(BACKENDS)('idempotency keys on %s', (_name, open) => {
  let sql: SqlClient;
  let close: () => Promise<void>;
  let store: IdempotencyStore;
  let n = 0;
  let key: string;

  beforeAll(async () => {
    ({ sql, close } = await open());
    store = new IdempotencyStore(sql, { keyTtlHours: 24, purgeChunk: 10 });
    await store.onModuleInit();
  });
  afterAll(async () => {
    await store.onApplicationShutdown();
    await close();
  });
  beforeEach(() => {
    n += 1;
    key = `key-${n}`;
  });

  it('the first claim wins; a repeat gets the stored response', async () => {
    await expect(store.claim(key, 'h', ctx)).resolves.toEqual(claimed);
    await store.complete(key, response);
    await expect(store.claim(key, 'h', ctx)).resolves.toEqual({ kind: 'replay', response });
  });

  it('of concurrent claims, one wins and the others wait for its response', async () => {
    const claims = Array.from({ length: 5 }, () => store.claim(key, 'h', ctx));
    const first = await Promise.race(claims);
    expect(first).toEqual(claimed);
    await store.complete(key, response);
    const all = await Promise.all(claims);
    expect(all.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(all.filter((c) => c.kind === 'replay')).toHaveLength(4);
  });

  it('refuses the key for another request', async () => {
    await store.claim(key, 'h', ctx);
    await expect(store.claim(key, 'other', ctx)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it("a released claim (after a 5xx) is taken over at once, with its first attempt's context", async () => {
    await store.claim(key, 'h', ctx);
    await store.release(key);
    const retry = { requestId: 'req-2', correlationId: 'corr-2', receivedAt: 1_764_000_009_000 };
    await expect(store.claim(key, 'h', retry)).resolves.toEqual({
      kind: 'claimed',
      resumed: true,
      context: ctx,
    });
  });

  it('takes over at once a claim of a process that stopped, and only one duplicate wins', async () => {
    const other = new IdempotencyStore(sql, { keyTtlHours: 24 });
    await other.onModuleInit();
    await other.claim(key, 'h', ctx);
    // A live owner's claim is waited for: the duplicate is still waiting when it is answered.
    const waiting = store.claim(key, 'h', { ...ctx, requestId: 'req-2' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await other.complete(key, response);
    await expect(waiting).resolves.toEqual({ kind: 'replay', response });

    const next = `${key}-dead`;
    await other.claim(next, 'h', ctx);
    // Its process dies: its owner row is no longer renewed (here: removed at once).
    await other.onApplicationShutdown();
    const retries = await Promise.allSettled(
      Array.from({ length: 4 }, () => store.claim(next, 'h', { ...ctx, requestId: 'req-3' })),
    );
    // One retry takes the claim over with the dead attempt's context; the others wait for its
    // answer, which this test never gives, and get 409 IN_PROGRESS after the wait.
    const won = retries.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(won).toEqual([{ kind: 'claimed', resumed: true, context: ctx }]);
    const lost = retries.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(lost).toHaveLength(3);
    for (const reason of lost) expect(reason).toBeInstanceOf(IdempotencyInProgressError);
  }, 30_000);

  /** Moves a key's first claim back in time, as if the clock had run on. */
  const age = (k: string, interval: string) =>
    sql.query(
      `UPDATE public.http_idempotency_keys SET claimed_at = now() - $2::interval
       WHERE idempotency_key = $1`,
      [k, interval],
    );
  const keysLeft = async (prefix: string) =>
    (
      await sql.query<{ idempotency_key: string }>(
        `SELECT idempotency_key FROM public.http_idempotency_keys
         WHERE idempotency_key LIKE $1 ORDER BY idempotency_key`,
        [`${prefix}%`],
      )
    ).map((r) => r.idempotency_key);

  it('a key past its time to live is a new key, even for another request', async () => {
    await store.claim(key, 'h', ctx);
    await store.complete(key, response);
    await age(key, '25 hours');
    await expect(store.claim(key, 'other', ctx)).resolves.toEqual(claimed);
    // The new claim starts afresh: no stored response, and its own request is the one remembered.
    await expect(store.claim(key, 'h', ctx)).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('a key within its time to live is still replayed', async () => {
    await store.claim(key, 'h', ctx);
    await store.complete(key, response);
    await age(key, '23 hours');
    await expect(store.claim(key, 'h', ctx)).resolves.toEqual({ kind: 'replay', response });
  });

  it('the purge deletes every expired key, chunk by chunk, and keeps the others', async () => {
    const prefix = `${key}-purge-`;
    const names = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => `${prefix}${String(from + i).padStart(3, '0')}`);
    const expired = names(0, 23); // more than two chunks of 10
    const fresh = names(100, 3);
    for (const k of [...expired, ...fresh]) await store.claim(k, 'h', ctx);
    for (const k of expired) await age(k, '25 hours');
    const before = await sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM public.http_idempotency_keys WHERE claimed_at < now() - interval '24 hours'`,
    );
    expect(await store.purgeExpired()).toBe(before[0]?.n);
    expect(await keysLeft(prefix)).toEqual(fresh);
    expect(await store.purgeExpired()).toBe(0);
  });

  /** The same database, with every UPDATE held back (or refused) on the way. */
  const withUpdates = (
    behave: (run: () => Promise<unknown[]>) => Promise<unknown[]>,
  ): SqlClient => ({
    ...sql,
    query: <Row>(text: string, params?: unknown[]) =>
      (text.trimStart().startsWith('UPDATE')
        ? behave(() => sql.query(text, params))
        : sql.query(text, params)) as Promise<Row[]>,
    exec: (text: string) => sql.exec(text),
    transaction: (fn) => sql.transaction(fn),
  });

  it('an outcome recorded while its response goes out is replayed to a duplicate sent at once', async () => {
    await store.claim(key, 'h', ctx);
    store.record(key, response);
    await expect(store.claim(key, 'h', ctx)).resolves.toEqual({ kind: 'replay', response });
  });

  it('outcomes recorded together are stored in one statement, each under its own key', async () => {
    let updates = 0;
    const counting = new IdempotencyStore(
      withUpdates((run) => {
        updates += 1;
        return run();
      }),
      { keyTtlHours: 24 },
    );
    const keys = Array.from({ length: 20 }, (_, i) => `${key}-batch-${i}`);
    for (const k of keys) await counting.claim(k, 'h', ctx);
    keys.forEach((k, i) => counting.record(k, { ...response, body: `{"id":"${i}"}` }));
    await counting.onApplicationShutdown();
    expect(updates).toBe(1);
    const replays = await Promise.all(keys.map((k) => store.claim(k, 'h', ctx)));
    expect(replays).toEqual(
      keys.map((_, i) => ({ kind: 'replay', response: { ...response, body: `{"id":"${i}"}` } })),
    );
  });

  it('a 5xx outcome releases the key, so that a retry runs again, resumed', async () => {
    await store.claim(key, 'h', ctx);
    store.record(key, { status: 503, headers: {}, body: '{"error":"unavailable"}' });
    await store.onApplicationShutdown();
    await expect(store.claim(key, 'h', { ...ctx, requestId: 'req-2' })).resolves.toEqual({
      kind: 'claimed',
      resumed: true,
      context: ctx,
    });
  });

  it('shutdown waits for the outcomes still being written', async () => {
    const slow = new IdempotencyStore(
      withUpdates((run) => new Promise((resolve) => setTimeout(resolve, 200)).then(run)),
      { keyTtlHours: 24 },
    );
    await slow.claim(key, 'h', ctx);
    slow.record(key, response);
    await slow.onApplicationShutdown();
    const [row] = await sql.query<{ status: number | null }>(
      'SELECT status FROM public.http_idempotency_keys WHERE idempotency_key = $1',
      [key],
    );
    expect(row?.status).toBe(201);
  });

  it('an outcome that cannot be written is logged, and leaves the claim to be taken over', async () => {
    const failing = new IdempotencyStore(
      withUpdates(() => Promise.reject(new Error('connection lost'))),
      { keyTtlHours: 24 },
    );
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await failing.claim(key, 'h', ctx);
    failing.record(key, response);
    await expect(failing.onApplicationShutdown()).resolves.toBeUndefined();
    expect(logged).toHaveBeenCalledWith(expect.stringMatching(`${key}: .*connection lost`));
    logged.mockRestore();
    const [row] = await sql.query<{ status: number | null }>(
      'SELECT status FROM public.http_idempotency_keys WHERE idempotency_key = $1',
      [key],
    );
    expect(row).toEqual({ status: null });
  });

  it('the claim skips its flush to disk for itself only: the next statement flushes again', async () => {
    await store.claim(key, 'h', ctx);
    const [setting] = await sql.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    expect(setting?.synchronous_commit).toBe('on');
  });
});
