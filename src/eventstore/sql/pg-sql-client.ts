import { Pool, type PoolClient, types } from 'pg';
import type { SqlClient, SqlSession } from './sql-client';

// int8 stays a string (the pg default, stated here so both clients visibly agree).
types.setTypeParser(types.builtins.INT8, (value: string) => value);

export class PgSqlClient implements SqlClient {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;

  constructor(connectionString: string, poolSize = 10) {
    // Idle connections stay open: a new server backend compiles es_append and loads its
    // catalog caches on first use, which showed up in the command latency's tail.
    this.pool = new Pool({ connectionString, max: poolSize, idleTimeoutMillis: 0 });
    // An idle client that loses its connection must not crash the process.
    this.pool.on('error', () => undefined);
  }

  async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    const result = await this.pool.query(sql, params);
    return result.rows as Row[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const session = sessionOf(client);
    try {
      await client.query('BEGIN');
      const result = await fn(session);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (error) {
      await releaseAfterFailure(client);
      throw error;
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const client = await this.pool.connect();
    const handler = (message: { channel: string; payload?: string }) => {
      if (message.channel === channel) onNotify(message.payload ?? '');
    };
    client.on('notification', handler);
    await client.query(`LISTEN ${quoteIdent(channel)}`);
    return async () => {
      client.off('notification', handler);
      await client.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
      client.release();
    };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

function sessionOf(client: PoolClient): SqlSession {
  return {
    async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
      const result = await client.query(sql, params);
      return result.rows as Row[];
    },
    async exec(sql: string): Promise<void> {
      await client.query(sql);
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

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
