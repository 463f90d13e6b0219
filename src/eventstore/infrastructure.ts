import { join } from 'node:path';
import type { AppConfig } from '../config';
import { DataDirLock } from './data-dir-lock';
import type { EventStore } from './event-store.port';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { PgSqlClient } from './sql/pg-sql-client';
import { PgliteSqlClient } from './sql/pglite-sql-client';
import type { SqlClient } from './sql/sql-client';
import { SqlEventStore } from './sql/sql-event-store';

/** The one place the adapters are chosen: the event store, and the SQL database of the read models. */
export interface Infrastructure {
  eventStore: EventStore;
  /** Where projections live: the same database as the events, except with EventStoreDB. */
  sql: SqlClient;
  describe: string;
  /**
   * Events per projection transaction. PGlite runs one transaction at a time for the whole
   * process, so its batches are smaller: HTTP requests wait at most one batch.
   */
  projectionBatchSize: number;
  /** Records where the service answers, in the DATA_DIR lock (PGlite) for whoever finds it. */
  recordServiceUrl(url: string): void;
  close(): Promise<void>;
}

export async function openInfrastructure(config: AppConfig): Promise<Infrastructure> {
  let lock: DataDirLock | undefined;
  let sql: SqlClient;
  if (config.databaseUrl) {
    sql = new PgSqlClient(config.databaseUrl, undefined, config.databaseTimeouts);
  } else {
    lock = DataDirLock.acquire(config.dataDir);
    try {
      sql = await PgliteSqlClient.open(join(config.dataDir, 'pglite'));
    } catch (error) {
      lock.release();
      throw error;
    }
  }
  let sqlEvents: SqlEventStore | undefined;
  try {
    sqlEvents = config.eventStoreUrl ? undefined : await SqlEventStore.open(sql);
  } catch (error) {
    // Start-up may be retried (the database not up yet): leave no pool or lock behind.
    await sql.close().catch(() => undefined);
    lock?.release();
    throw error;
  }
  const eventStore = sqlEvents ?? (await EsdbEventStore.connect(config.eventStoreUrl!));
  const where = config.databaseUrl ? 'PostgreSQL' : `PGlite in ${config.dataDir}`;
  return {
    eventStore,
    sql,
    projectionBatchSize: config.projectionBatchSize ?? (sql.kind === 'pglite' ? 500 : 5000),
    describe: config.eventStoreUrl
      ? `events on EventStoreDB, read models on ${where}`
      : `events and read models on ${where}`,
    recordServiceUrl(url) {
      lock?.recordUrl(url);
    },
    async close() {
      await eventStore.close();
      if (!sqlEvents) await sql.close();
      lock?.release();
    },
  };
}
