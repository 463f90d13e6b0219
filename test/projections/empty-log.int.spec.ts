import { randomUUID } from 'node:crypto';
import { projectionDefinitions } from '../../projections';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { ProjectionCommandError } from '../../src/projection-runner/projection-catalog';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

describe.each(SQL_BACKENDS)('read models from the first start, on %s', (_name, openDatabase) => {
  let db: TestDatabase;
  afterEach(async () => {
    await db.close();
  });

  it('on an empty log the newest version of each projection goes live by itself, and follows the log', async () => {
    db = await openDatabase();
    const admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
    expect((await admin.goLiveOnEmptyLog()).sort()).toEqual(['legacy_v1 v2', 'supplier_tasks v4']);
    expect(await admin.goLiveOnEmptyLog()).toEqual([]);
    expect((await admin.summary()).counts.suppliers).toBe(0);
    const supplierId = randomUUID();
    await db.store.append(`supplier-${supplierId}`, [
      {
        eventId: randomUUID(),
        type: 'SupplierRegistered',
        schemaVersion: 2,
        data: { supplierId, code: 'S1', name: 'First' },
        metadata: { occurredAt: '2026-01-01T00:00:00.000Z', actor: 'test' },
      },
    ]);
    await admin.catchUp('supplier_tasks', 4);
    expect((await admin.summary()).counts.suppliers).toBe(1);
  });

  it('with events and no live version nothing goes live, and the summary is a conflict naming the command', async () => {
    db = await openDatabase();
    const supplierId = randomUUID();
    await db.store.append(`supplier-${supplierId}`, [
      {
        eventId: randomUUID(),
        type: 'SupplierRegistered',
        data: { supplierId, code: 'S1', name: 'Legacy' },
        metadata: { occurredAt: '2025-01-01T00:00:00.000Z', actor: 'legacy-portal' },
      },
    ]);
    const admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
    expect(await admin.goLiveOnEmptyLog()).toEqual([]);
    expect(await admin.status()).toEqual([]);
    const refused = admin.summary();
    await expect(refused).rejects.toBeInstanceOf(ProjectionCommandError);
    await expect(refused).rejects.toThrow('run `supplier-tasks migrate`');
  });
});
