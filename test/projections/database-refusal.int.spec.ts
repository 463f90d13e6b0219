import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../../src/eventstore/event';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { projectionDefinitions } from '../../projections';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

function supplierRegistered(name: string): { streamId: string; event: NewEvent } {
  const supplierId = randomUUID();
  return {
    streamId: `supplier-${supplierId}`,
    event: {
      eventId: randomUUID(),
      type: 'SupplierRegistered',
      schemaVersion: 2,
      data: { supplierId, code: 'S', name },
      metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: 'test' },
    },
  };
}

describe.each(SQL_BACKENDS)('a row the database refuses, on %s', (_name, openDatabase) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('stops the projection at that event, with its position and the error, and applies what came before', async () => {
    // PostgreSQL text cannot hold NUL: the log keeps it (json), the read table cannot.
    const events = [
      supplierRegistered('fine'),
      supplierRegistered('nul \u0000 inside'),
      supplierRegistered('after'),
    ];
    for (const { streamId, event } of events) await db.store.append(streamId, [event]);
    const admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions, 100);
    await admin.rebuild('supplier_tasks', 1);
    const status = await admin.catchUp('supplier_tasks', 1);

    const bad = (await db.store.readStream(events[1]!.streamId))[0]!;
    expect(status.status).toBe('failed');
    expect(status.failure).toMatchObject({
      position: bad.position.toString(),
      eventId: bad.eventId,
      type: 'SupplierRegistered',
    });
    expect(status.failure!.error).toMatch(/^database: /);
    expect(BigInt(status.position)).toBe(bad.position - 1n);
    const names = await db.sql.query<{ name: string }>(
      'SELECT name FROM supplier_tasks_v1.suppliers ORDER BY name',
    );
    expect(names.map((r) => r.name)).toEqual(['fine']);
  });
});
