import { PgSqlClient } from '../../src/eventstore/sql/pg-sql-client';
import { SqlEventStore } from '../../src/eventstore/sql/sql-event-store';
import { createTestDatabase } from '../support/postgres';
import { eventStoreContract } from './event-store.contract';

let drop: (() => Promise<void>) | undefined;

eventStoreContract('PostgreSQL', {
  async open() {
    const db = await createTestDatabase();
    drop = db.drop;
    return SqlEventStore.open(new PgSqlClient(db.url));
  },
  async close(store) {
    await store.close();
    await drop?.();
  },
});
