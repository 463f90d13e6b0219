import { randomUUID } from 'node:crypto';
import { projectionDefinitions } from '../../projections';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { LocalProjectionsApi } from '../../src/projection-runner/local-projections-api';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { MigrationError, runMigration } from '../../src/projection-runner/projections-api';
import {
  fingerprintOfChain,
  upcasterChain,
  type UpcasterChain,
} from '../../src/projection-runner/upcaster-chain';
import { SEED_FILE, seedLines } from '../support/seed';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

const quiet = { step: () => undefined, progress: () => undefined };

/** The planted bug of issue 13: an upcaster chain that loses every task move. */
const dropMoves = (stored: Parameters<UpcasterChain['upcast']>[0]) =>
  stored.type === 'TaskMovedToMilestone' ? [] : upcasterChain.upcast(stored);
const brokenChain: UpcasterChain = {
  upcast: dropMoves,
  fingerprint: fingerprintOfChain(dropMoves),
};

/** The seed history plus one V1 move of its first task to the other milestone. */
async function seedWithAMove(db: TestDatabase): Promise<{ taskId: string; to: string }> {
  await importLegacyFile(db.store, SEED_FILE);
  const lines = seedLines() as Array<{
    type: string;
    streamId: string;
    data: Record<string, string>;
  }>;
  const task = lines.find((l) => l.type === 'TaskCreated')!;
  const to = lines.find(
    (l) => l.type === 'MilestoneCreated' && l.data.milestoneId !== task.data.milestoneId,
  )!.data.milestoneId!;
  await db.store.append(task.streamId, [
    {
      eventId: randomUUID(),
      type: 'TaskMovedToMilestone',
      data: {
        taskTypeId: task.data.taskTypeId,
        taskId: task.data.taskId,
        fromMilestoneId: task.data.milestoneId,
        toMilestoneId: to,
      },
      metadata: { occurredAt: '2025-05-06T09:00:00.000Z', actor: 'legacy-portal' },
    },
  ]);
  return { taskId: task.data.taskId!, to };
}

describe.each(SQL_BACKENDS)('the independent gate, on %s', (_name, openDatabase) => {
  describe('with an upcaster chain that drops every task move', () => {
    let db: TestDatabase;
    let moved: { taskId: string; to: string };
    beforeAll(async () => {
      db = await openDatabase();
      moved = await seedWithAMove(db);
    });
    afterAll(async () => {
      await db.close();
    });

    it('validate against legacy_v1 fails naming the moved task, and migrate does not switch', async () => {
      const admin = await ProjectionAdmin.open(
        db.store,
        db.sql,
        projectionDefinitions,
        undefined,
        brokenChain,
      );
      const failure = await runMigration(new LocalProjectionsApi(admin), quiet).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MigrationError);
      const report = (failure as MigrationError).report!;
      expect(report.passed).toBe(false);
      expect(report.differences).toContainEqual(
        expect.objectContaining({ entity: 'task', id: moved.taskId }),
      );
      // legacy_v1 read the raw move: the task is in the milestone it was moved to.
      expect(report.differences.find((d) => d.id === moved.taskId)?.reference).toContain(moved.to);
      const live = (await admin.status()).filter((s) => s.live).map((s) => s.name);
      expect(live).toEqual(['legacy_v1']);
    });

    it('a build with the real chain refuses the version built on the broken one, naming the upcaster chain', async () => {
      const admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
      const status = await admin.versionStatus('supplier_tasks', 4);
      expect(status.definitionChanged).toMatch(/upcaster chain/);
      expect(status.definitionChanged).toMatch(/bump the version/);
      await expect(admin.switchTo('supplier_tasks', 4, true)).rejects.toThrow(/upcaster chain/);
      await expect(admin.catchUp('supplier_tasks', 4)).rejects.toThrow(/bump the version/);
      // legacy_v1 reads the raw log: no upcaster chain of either build is part of it.
      expect((await admin.versionStatus('legacy_v1', 2)).definitionChanged).toBeNull();
    });
  });

  describe('with the real chain', () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await openDatabase();
      await seedWithAMove(db);
    });
    afterAll(async () => {
      await db.close();
    });

    it('validation passes and migrate switches', async () => {
      const admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
      await runMigration(new LocalProjectionsApi(admin), quiet);
      const statuses = await admin.status();
      expect(
        statuses
          .filter((s) => s.live)
          .map((s) => `${s.name} v${s.version}`)
          .sort(),
      ).toEqual(['legacy_v1 v2', 'supplier_tasks v4']);
      expect(statuses.find((s) => s.name === 'supplier_tasks')?.validation?.passed).toBe(true);
    });
  });
});
