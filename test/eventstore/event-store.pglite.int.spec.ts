import { PgliteSqlClient } from '../../src/eventstore/sql/pglite-sql-client';
import { SqlEventStore } from '../../src/eventstore/sql/sql-event-store';
import { eventStoreContract } from './event-store.contract';

eventStoreContract('PGlite', {
  async open() {
    return SqlEventStore.open(await PgliteSqlClient.open());
  },
  async close(store) {
    await store.close();
  },
});
