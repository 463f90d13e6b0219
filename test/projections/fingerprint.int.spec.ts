import { projectionDefinitions } from '../../projections';
import { legacyV1V2 } from '../../projections/legacy_v1';
import type { ProjectionDefinition } from '../../projections/projection-definition';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { LocalProjectionsApi } from '../../src/projection-runner/local-projections-api';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { runMigration } from '../../src/projection-runner/projections-api';
import { SEED_FILE } from '../support/seed';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

const quiet = { step: () => undefined, progress: () => undefined };

/** legacy_v1 v2 with one handler edited in place: notes no longer counted, same version number. */
const edited: ProjectionDefinition = {
  ...legacyV1V2,
  apply: (event, rows) => {
    if (event.type !== 'SupplierTaskNoteAdded') legacyV1V2.apply(event, rows);
  },
};
const withEdited = projectionDefinitions.map((d) => (d === legacyV1V2 ? edited : d));

describe.each(SQL_BACKENDS)('fingerprinted versions, on %s', (_name, openDatabase) => {
  let db: TestDatabase;
  let admin: ProjectionAdmin;
  beforeAll(async () => {
    db = await openDatabase();
    await importLegacyFile(db.store, SEED_FILE);
    admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
    await runMigration(new LocalProjectionsApi(admin), quiet);
  });
  afterAll(async () => {
    await db.close();
  });

  it('status shows what each version was built with', async () => {
    for (const s of await admin.status()) {
      expect(s.fingerprint?.schema).toMatch(/^[0-9a-f]{64}$/);
      expect(s.fingerprint?.handlers).toMatch(/^[0-9a-f]{64}$/);
      expect(s.definitionChanged).toBeNull();
    }
    const [legacy, v2] = await admin.status();
    expect(legacy!.fingerprint!.upcasters).toMatch(/raw log/);
    expect(v2!.fingerprint!.upcasters).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an edited handler under an unchanged version is refused: not continued, not switched to', async () => {
    const build = await ProjectionAdmin.open(db.store, db.sql, withEdited);
    const status = await build.versionStatus('legacy_v1', 2);
    expect(status.definitionChanged).toMatch(/^legacy_v1 v2 was built with other handlers/);
    expect(status.definitionChanged).toMatch(/bump the version of legacy_v1/);
    const outcome = await build.runner.runBatch(edited);
    expect(outcome).toMatchObject({ inactive: true, applied: 0 });
    expect(outcome.refused).toMatch(/other handlers/);
    await expect(build.switchTo('legacy_v1', 2, true)).rejects.toThrow(/other handlers/);
    // The build it was made with still runs it.
    expect((await admin.versionStatus('legacy_v1', 2)).definitionChanged).toBeNull();
  });
});
