import { Pool, type PoolClient, type PoolConfig, types } from 'pg';
import { translateConnectionError } from './pg-connection-errors';
export { quoteIdent } from './quote-ident';
import { PgListener } from './pg-listener';
import type { SqlClient, SqlSession } from './sql-client';

// int8 stays a string (the pg default, stated here so both clients visibly agree).
types.setTypeParser(types.builtins.INT8, (value: string) => value);

/** Bounds on waiting for the server; see `DATABASE_*_TIMEOUT_MS` in the configuration. */
export interface PgTimeouts {
  connectMs: number;
  /** Per statement: enforced by the server (statement_timeout) and by the client (a stalled network). */
  queryMs: number;
}

export const DEFAULT_PG_TIMEOUTS: PgTimeouts = { connectMs: 5_000, queryMs: 10_000 };

export class PgSqlClient implements SqlClient {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private readonly config: PoolConfig;
  private readonly listeners = new Set<PgListener>();

  constructor(connectionString: string, poolSize = 10, timeouts = DEFAULT_PG_TIMEOUTS) {
    this.config = {
      connectionString,
      connectionTimeoutMillis: timeouts.connectMs,
      statement_timeout: timeouts.queryMs,
      // The client's own timer a little later than the server's: a server that answers reports
      // its own timeout; only a server that cannot answer meets this one.
      query_timeout: timeouts.queryMs + 1_000,
      keepAlive: true,
    };
    // Idle connections stay open: a new server backend compiles es_append_events and loads its
    // catalog caches on first use, which showed up in the command latency's tail.
    this.pool = new Pool({ ...this.config, max: poolSize, idleTimeoutMillis: 0 });
    // An idle client that loses its connection must not crash the process (the pool drops it).
    this.pool.on('error', () => undefined);
  }

  async query<Row>(sql: string, params: unknown[] = [], prepareAs?: string): Promise<Row[]> {
    try {
      const result = await this.pool.query(
        prepareAs === undefined
          ? { text: sql, values: params }
          : { name: prepareAs, text: sql, values: params },
      );
      return result.rows as Row[];
    } catch (error) {
      throw translateConnectionError(error);
    }
  }

  async exec(sql: string): Promise<void> {
    await this.query(sql);
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translateConnectionError(error);
    }
    // A checked-out client is not covered by the pool's 'error' handler.
    const onError = () => undefined;
    client.on('error', onError);
    const session = sessionOf(client);
    try {
      await session.exec('BEGIN');
      const result = await fn(session);
      await session.exec('COMMIT');
      client.off('error', onError);
      client.release();
      return result;
    } catch (error) {
      await releaseAfterFailure(client);
      client.off('error', onError);
      throw translateConnectionError(error);
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const listener = new PgListener(this.config, channel, onNotify);
    try {
      await listener.start();
    } catch (error) {
      throw translateConnectionError(error);
    }
    this.listeners.add(listener);
    return async () => {
      this.listeners.delete(listener);
      await listener.stop();
    };
  }

  async notify(channel: string, payload: string): Promise<void> {
    await this.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((l) => l.stop()));
    await this.pool.end();
  }
}

function sessionOf(client: PoolClient): SqlSession {
  return {
    async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
      try {
        const result = await client.query(sql, params);
        return result.rows as Row[];
      } catch (error) {
        throw translateConnectionError(error);
      }
    },
    async exec(sql: string): Promise<void> {
      await this.query(sql);
    },
  };
}

async function releaseAfterFailure(client: PoolClient): Promise<void> {
  try {
    await client.query('ROLLBACK');
    await client.query('SELECT pg_advisory_unlock_all()');
    client.release();
  } catch (cleanupError) {
    // A connection we cannot clean is destroyed: closing it frees its locks too.
    client.release(cleanupError as Error);
  }
}
