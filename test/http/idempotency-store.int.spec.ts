import { Logger } from '@nestjs/common';
import { PgSqlClient } from '../../src/eventstore/sql/pg-sql-client';
import { PgliteSqlClient } from '../../src/eventstore/sql/pglite-sql-client';
import type { SqlClient } from '../../src/eventstore/sql/sql-client';
import { IdempotencyKeyReusedError } from '../../src/http/idempotency/idempotency.errors';
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

const response = { status: 201, headers: { etag: '"0"' }, body: { id: 'x' } };

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
    await close();
  });
  beforeEach(() => {
    n += 1;
    key = `key-${n}`;
  });

  it('the first claim wins; a repeat gets the stored response', async () => {
    await expect(store.claim(key, 'h')).resolves.toEqual({ kind: 'claimed' });
    await store.complete(key, response);
    await expect(store.claim(key, 'h')).resolves.toEqual({ kind: 'replay', response });
  });

  it('of concurrent claims, one wins and the others wait for its response', async () => {
    const claims = Array.from({ length: 5 }, () => store.claim(key, 'h'));
    const first = await Promise.race(claims);
    expect(first).toEqual({ kind: 'claimed' });
    await store.complete(key, response);
    const all = await Promise.all(claims);
    expect(all.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(all.filter((c) => c.kind === 'replay')).toHaveLength(4);
  });

  it('refuses the key for another request', async () => {
    await store.claim(key, 'h');
    await expect(store.claim(key, 'other')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('a released claim (after a 5xx) is claimed again', async () => {
    await store.claim(key, 'h');
    await store.release(key);
    await expect(store.claim(key, 'h')).resolves.toEqual({ kind: 'claimed' });
  });

  it('takes over a claim abandoned by a process that died', async () => {
    await store.claim(key, 'h');
    await sql.query(
      `UPDATE public.http_idempotency_keys SET claimed_at = now() - interval '61 seconds'
       WHERE idempotency_key = $1`,
      [key],
    );
    await expect(store.claim(key, 'h')).resolves.toEqual({ kind: 'claimed' });
  });

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
    await store.claim(key, 'h');
    await store.complete(key, response);
    await age(key, '25 hours');
    await expect(store.claim(key, 'other')).resolves.toEqual({ kind: 'claimed' });
    // The new claim starts afresh: no stored response, and its own request is the one remembered.
    await expect(store.claim(key, 'h')).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
  });

  it('a key within its time to live is still replayed', async () => {
    await store.claim(key, 'h');
    await store.complete(key, response);
    await age(key, '23 hours');
    await expect(store.claim(key, 'h')).resolves.toEqual({ kind: 'replay', response });
  });

  it('the purge deletes every expired key, chunk by chunk, and keeps the others', async () => {
    const prefix = `${key}-purge-`;
    const names = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => `${prefix}${String(from + i).padStart(3, '0')}`);
    const expired = names(0, 23); // more than two chunks of 10
    const fresh = names(100, 3);
    for (const k of [...expired, ...fresh]) await store.claim(k, 'h');
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
    await store.claim(key, 'h');
    store.record(key, response);
    await expect(store.claim(key, 'h')).resolves.toEqual({ kind: 'replay', response });
  });

  it('a 5xx outcome releases the key, so that a retry runs again', async () => {
    await store.claim(key, 'h');
    store.record(key, { status: 503, headers: {}, body: { error: 'unavailable' } });
    await store.onApplicationShutdown();
    await expect(store.claim(key, 'h')).resolves.toEqual({ kind: 'claimed' });
  });

  it('shutdown waits for the outcomes still being written', async () => {
    const slow = new IdempotencyStore(
      withUpdates((run) => new Promise((resolve) => setTimeout(resolve, 200)).then(run)),
      { keyTtlHours: 24 },
    );
    await slow.claim(key, 'h');
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
    await failing.claim(key, 'h');
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
    await store.claim(key, 'h');
    const [setting] = await sql.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    expect(setting?.synchronous_commit).toBe('on');
  });
});
