import { randomUUID } from 'node:crypto';
import { supplierTasksV1 } from '../../projections/supplier_tasks';
import type { ProjectionDefinition } from '../../projections/projection-definition';
import { PgSqlClient } from '../../src/eventstore/sql/pg-sql-client';
import { SqlEventStore } from '../../src/eventstore/sql/sql-event-store';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { TcpProxy } from '../faults/tcp-proxy';
import { createTestDatabase } from '../support/postgres';

describe('a database connection dropped under a projection batch, on PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let sql: PgSqlClient;
  let store: SqlEventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    const via = new URL(db.url);
    via.port = String(proxy.port);
    sql = new PgSqlClient(via.toString());
    store = await SqlEventStore.open(sql);
  });
  afterAll(async () => {
    await store.close();
    await proxy.close();
    await db.drop();
  });

  it('does not fail the version: the runner retries and catches up from its checkpoint', async () => {
    const names = ['one', 'two', 'three'];
    for (const name of names) {
      const supplierId = randomUUID();
      await store.append(`supplier-${supplierId}`, [
        {
          eventId: randomUUID(),
          type: 'SupplierRegistered',
          schemaVersion: 2,
          data: { supplierId, code: name, name },
          metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: 'test' },
        },
      ]);
    }
    // The connection is cut (and the database back at once) while the batch of the second event
    // is being applied, before its rows and checkpoint are written: the write meets a dead socket.
    let cut = false;
    const cutting: ProjectionDefinition = {
      ...supplierTasksV1,
      apply: (event, rows) => {
        if (!cut && event.data.name === 'two') {
          cut = true;
          proxy.cutOff();
          proxy.restore();
        }
        supplierTasksV1.apply(event, rows);
      },
    };
    const admin = await ProjectionAdmin.open(store, sql, [cutting], 1);
    await admin.rebuild('supplier_tasks', 1);
    const status = await admin.catchUp('supplier_tasks', 1);
    expect(cut).toBe(true);
    expect(status).toMatchObject({ status: 'running', position: '3', lag: '0', failure: null });
    const rows = await sql.query<{ name: string }>(
      'SELECT name FROM supplier_tasks_v1.suppliers ORDER BY name',
    );
    expect(rows.map((r) => r.name)).toEqual(['one', 'three', 'two']);
  });
});
