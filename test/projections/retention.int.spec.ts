import { projectionDefinitions } from '../../projections';
import { supplierTasksV4 } from '../../projections/supplier_tasks';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { LocalProjectionsApi } from '../../src/projection-runner/local-projections-api';
import { ProjectionAdmin, retentionDaysOf } from '../../src/projection-runner/projection-admin';
import { runMigration } from '../../src/projection-runner/projections-api';
import { SEED_FILE } from '../support/seed';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

const quiet = { step: () => undefined, progress: () => undefined };
/** A next version of supplier_tasks with the same meaning, to switch to. */
const next = { ...supplierTasksV4, version: 5 };
const definitions = [...projectionDefinitions, next];

describe('PROJECTION_RETENTION_DAYS', () => {
  it('is 30 days unless set, and a whole number', () => {
    expect(retentionDaysOf({})).toBe(30);
    expect(retentionDaysOf({ PROJECTION_RETENTION_DAYS: '7' })).toBe(7);
    expect(() => retentionDaysOf({ PROJECTION_RETENTION_DAYS: '1.5' })).toThrow(
      /PROJECTION_RETENTION_DAYS/,
    );
  });
});

describe.each(SQL_BACKENDS)('retention after a switch, on %s', (_name, openDatabase) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openDatabase();
    await importLegacyFile(db.store, SEED_FILE);
    // The migration to v4 with this build's definitions, then a build that also has v5.
    await runMigration(
      new LocalProjectionsApi(await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions)),
      quiet,
    );
    const admin = await ProjectionAdmin.open(
      db.store,
      db.sql,
      definitions,
      undefined,
      undefined,
      30,
    );
    await admin.rebuild('supplier_tasks', 5);
    await admin.catchUp('supplier_tasks', 5);
    expect((await admin.validate('supplier_tasks', 5, 'live')).passed).toBe(true);
    await admin.switchTo('supplier_tasks', 5);
  });
  afterAll(async () => {
    await db.close();
  });

  it('the version live before the switch is kept for the period, and the refusal says until when', async () => {
    const admin = await ProjectionAdmin.open(
      db.store,
      db.sql,
      definitions,
      undefined,
      undefined,
      30,
    );
    const [{ until }] = (await db.sql.query<{ until: string }>(
      `SELECT to_char((switched_at + interval '30 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS until
       FROM projections.live WHERE name = 'supplier_tasks'`,
    )) as [{ until: string }];
    await expect(admin.retire('supplier_tasks', 4)).rejects.toThrow(
      `supplier_tasks v4 is kept until ${until} (30 days' retention: the version live before supplier_tasks switched to v5)`,
    );
    expect((await admin.versionStatus('supplier_tasks', 4)).status).toBe('running');
    expect(await admin.rollback('supplier_tasks')).toBe(4);
    await admin.switchTo('supplier_tasks', 5);
  });

  it('a retention of 0 days lets it go at once, and nothing is recorded as forced', async () => {
    const admin = await ProjectionAdmin.open(
      db.store,
      db.sql,
      definitions,
      undefined,
      undefined,
      0,
    );
    await admin.retire('supplier_tasks', 4, false, 'ops');
    expect((await admin.versionStatus('supplier_tasks', 4)).status).toBe('retired');
    expect(
      await db.sql.query(
        `SELECT version, forced, actor, retained_until FROM projections.retirements WHERE name = 'supplier_tasks'`,
      ),
    ).toEqual([{ version: 4, forced: false, actor: 'ops', retained_until: null }]);
  });
});
