import { projectionDefinitions } from '../../projections';
import { taskTypes } from '../../src/dashboards/catalog.queries';
import { dueWindow } from '../../src/dashboards/due-window';
import { instances } from '../../src/dashboards/instances.query';
import { progress } from '../../src/dashboards/progress.query';
import { ReadModel } from '../../src/dashboards/read-model';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { SEED_FILE } from '../support/seed';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';
import { byHand } from './seed-hand-count';

const AS_OF = '2025-07-01';
const WINDOW = dueWindow(AS_OF, 14);

/** What a manager reads, through one ReadModel (one pool of connections) for the whole test. */
async function readings(model: ReadModel) {
  const bySection = await progress(model, 'section', {}, WINDOW);
  const tree = await taskTypes(model, { limit: 50 });
  const overdue = await instances(model, { state: 'overdue', limit: 50 }, WINDOW);
  return {
    sections: bySection.map((r) => [r.label, r.total, r.completed]).sort(),
    tasks: tree.items.flatMap((t) => t.sections.flatMap((s) => s.tasks.map((k) => k.title))).sort(),
    overdue: overdue.items.map((i) => i.id),
  };
}

describe.each(SQL_BACKENDS)(
  'dashboard reads across switches of the live version on %s',
  (_name, open) => {
    let db: TestDatabase;
    let admin: ProjectionAdmin;
    beforeAll(async () => {
      db = await open();
      admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
      await importLegacyFile(db.store, SEED_FILE);
    });
    afterAll(async () => {
      await db.close();
    });

    it('answer the same across switches to versions with other tables and views', async () => {
      await admin.rebuild('legacy_v1', 2);
      await admin.catchUp('legacy_v1', 2);
      await admin.switchTo('legacy_v1', 2, true);
      await admin.rebuild('supplier_tasks', 1);
      await admin.catchUp('supplier_tasks', 1);
      expect((await admin.validate('supplier_tasks', 1, 'legacy_v1')).passed).toBe(true);
      await admin.switchTo('supplier_tasks', 1);

      const model = new ReadModel(db.sql);
      const onV1 = await readings(model);
      // The seed by hand: PA2 holds 2 tasks, both completed; the overdue list as EVENTS.md defines it.
      expect(onV1.sections.find(([label]) => label === 'PA2 - Initial Samples')?.slice(1)).toEqual([
        2, 2,
      ]);
      expect(onV1.overdue).toEqual(byHand(WINDOW.asOf, WINDOW.until).overdue);
      expect(onV1.tasks).toHaveLength(4); // the seed's four TaskCreated

      // The newest version has more columns on its instance rows, other views and counters: the
      // same readings, now answered from the counters, and the same answers.
      const latest = admin.latestVersion('supplier_tasks');
      await admin.rebuild('supplier_tasks', latest);
      await admin.catchUp('supplier_tasks', latest);
      expect((await admin.validate('supplier_tasks', latest, 'live')).passed).toBe(true);
      await admin.switchTo('supplier_tasks', latest);
      expect(await model.keepsCounters()).toBe(true);
      expect(await readings(model)).toEqual(onV1);

      // And back: a rollback points the views at version 1 again, and the readings count rows.
      await admin.rollback('supplier_tasks');
      expect(await model.keepsCounters()).toBe(false);
      expect(await readings(model)).toEqual(onV1);
    });
  },
);
