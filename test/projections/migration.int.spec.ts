import { readFileSync } from 'node:fs';
import { projectionDefinitions } from '../../projections';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { LocalProjectionsApi } from '../../src/projection-runner/local-projections-api';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { runMigration } from '../../src/projection-runner/projections-api';
import { SEED_EXPECTED_FILE, SEED_FILE } from '../support/seed';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

const expected: unknown = JSON.parse(readFileSync(SEED_EXPECTED_FILE, 'utf8'));
const quiet = { step: () => undefined, progress: () => undefined };

describe.each(SQL_BACKENDS)('V1 → V2 migration on %s', (_name, openDatabase) => {
  let db: TestDatabase;
  let admin: ProjectionAdmin;
  beforeAll(async () => {
    db = await openDatabase();
    admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
    await importLegacyFile(db.store, SEED_FILE);
  });
  afterAll(async () => {
    await db.close();
  });

  it('import, migrate: the summary deep-equals seed-report.expected.json', async () => {
    await runMigration(new LocalProjectionsApi(admin), quiet);
    expect(await admin.summary()).toEqual(expected);
    const statuses = await admin.status();
    expect(
      statuses
        .filter((s) => s.live)
        .map((s) => `${s.name} v${s.version}`)
        .sort(),
    ).toEqual(['legacy_v1 v1', 'supplier_tasks v1']);
    expect(statuses.find((s) => s.name === 'supplier_tasks')?.validation).toMatchObject({
      passed: true,
    });
  });

  it('a second run changes nothing', async () => {
    const before = await admin.status();
    await runMigration(new LocalProjectionsApi(admin), quiet);
    expect(await admin.summary()).toEqual(expected);
    expect((await admin.status()).map((s) => s.position)).toEqual(before.map((s) => s.position));
  });
});
