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

describe.each(SQL_BACKENDS)('an event no handler can apply, on %s', (_name, openDatabase) => {
  let db: TestDatabase;
  let admin: ProjectionAdmin;
  let poison: string;
  beforeAll(async () => {
    db = await openDatabase();
    // PostgreSQL text cannot hold NUL: the log keeps it, the read table cannot.
    const events = [
      supplierRegistered('fine'),
      supplierRegistered('nul \u0000 inside'),
      supplierRegistered('after'),
    ];
    for (const { streamId, event } of events) await db.store.append(streamId, [event]);
    poison = events[1]!.event.eventId;
    admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions, 100);
    await admin.rebuild('supplier_tasks', 1);
    expect((await admin.catchUp('supplier_tasks', 1)).status).toBe('failed');
  });
  afterAll(async () => {
    await db.close();
  });

  it('resume of a version that fails again at once answers with that failure', async () => {
    await expect(admin.resume('supplier_tasks', 1)).rejects.toThrow(
      new RegExp(
        `^supplier_tasks v1 failed again at position 2 \\(SupplierRegistered ${poison}\\): database: `,
      ),
    );
    expect((await admin.versionStatus('supplier_tasks', 1)).failure?.eventId).toBe(poison);
  });

  it('skip refuses an event the version is not stopped at, and a version that is not stopped', async () => {
    const other = randomUUID();
    await expect(admin.skip('supplier_tasks', 1, other, 'why not', 'ops')).rejects.toThrow(
      `stopped at event ${poison}, not ${other}`,
    );
    await expect(admin.skip('legacy_v1', 2, poison, 'why not', 'ops')).rejects.toThrow(
      /never been built/,
    );
    expect((await admin.versionStatus('supplier_tasks', 1)).skipped).toEqual([]);
  });

  it('skip records who, when, why and the event; the runner passes that one event and goes on', async () => {
    const skipped = await admin.skip(
      'supplier_tasks',
      1,
      poison,
      'a NUL in a legacy name; ticket OPS-1',
      'j.doe',
    );
    expect(skipped).toMatchObject({
      eventId: poison,
      position: '2',
      type: 'SupplierRegistered',
      reason: 'a NUL in a legacy name; ticket OPS-1',
      actor: 'j.doe',
    });
    expect(skipped.error).toMatch(/^database: /);
    expect(Date.parse(skipped.at)).not.toBeNaN();
    const status = await admin.catchUp('supplier_tasks', 1);
    expect(status).toMatchObject({ status: 'running', position: '3', failure: null });
    expect(status.skipped).toEqual([skipped]);
    const names = await db.sql.query<{ name: string }>(
      'SELECT name FROM supplier_tasks_v1.suppliers ORDER BY name',
    );
    expect(names.map((r) => r.name)).toEqual(['after', 'fine']);
  });

  it('a new rebuild of the version starts without the skip: nothing is skipped without the command', async () => {
    await admin.rebuild('supplier_tasks', 1, true);
    const status = await admin.catchUp('supplier_tasks', 1);
    expect(status.status).toBe('failed');
    expect(status.failure?.eventId).toBe(poison);
    expect(status.skipped).toEqual([]);
  });
});
