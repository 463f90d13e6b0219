import { PGlite, types } from '@electric-sql/pglite';
import type { SqlClient, SqlSession } from './sql-client';

/**
 * PGlite is one connection: its `query` and `transaction` already run one at a time, so a
 * transaction here is as isolated as one on a server, just never concurrent.
 */
export class PgliteSqlClient implements SqlClient {
  readonly kind = 'pglite' as const;

  private constructor(readonly db: PGlite) {}

  /** `dataDir` undefined means in memory (tests). */
  static async open(dataDir?: string): Promise<PgliteSqlClient> {
    const db = await PGlite.create(dataDir, {
      // PGlite returns int8 as a number (or BigInt); pg returns a string. Make them agree.
      parsers: { [types.INT8]: (value: string) => value },
    });
    return new PgliteSqlClient(db);
  }

  async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
    const result = await this.db.query<Row>(sql, params);
    return result.rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction(async (tx) =>
        fn({
          async query<Row>(sql: string, params: unknown[] = []): Promise<Row[]> {
            const result = await tx.query<Row>(sql, params);
            return result.rows;
          },
          async exec(sql: string): Promise<void> {
            await tx.exec(sql);
          },
        }),
      );
    } catch (error) {
      await this.db.query('SELECT pg_advisory_unlock_all()');
      throw error;
    }
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    const unsubscribe = await this.db.listen(channel, onNotify);
    return () => unsubscribe();
  }

  async notify(channel: string, payload: string): Promise<void> {
    await this.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
