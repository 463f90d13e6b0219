import type { EventStore } from '../../src/eventstore/event-store.port';
import { PgSqlClient } from '../../src/eventstore/sql/pg-sql-client';
import { PgliteSqlClient } from '../../src/eventstore/sql/pglite-sql-client';
import { SqlEventStore } from '../../src/eventstore/sql/sql-event-store';
import type { SqlClient } from '../../src/eventstore/sql/sql-client';
import { createTestDatabase } from './postgres';

export interface TestDatabase {
  sql: SqlClient;
  store: EventStore;
  close(): Promise<void>;
}

/** The two SQL back-ends every integration suite runs on: a fresh PostgreSQL database, and in-memory PGlite. */
export const SQL_BACKENDS: Array<[string, () => Promise<TestDatabase>]> = [
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase();
      const sql = new PgSqlClient(db.url);
      const store = await SqlEventStore.open(sql);
      return {
        sql,
        store,
        close: async () => {
          await store.close();
          await db.drop();
        },
      };
    },
  ],
  [
    'PGlite',
    async () => {
      const sql = await PgliteSqlClient.open();
      const store = await SqlEventStore.open(sql);
      return { sql, store, close: () => store.close() };
    },
  ],
];
