import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateV1History, writeV1Lines, type V1Line } from '../../tools/v1-history';
import { projectionDefinitions } from '../../projections';
import { supplierTasksV1 } from '../../projections/supplier_tasks';
import type { NewEvent } from '../../src/eventstore/event';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import type { ProjectionDefinition } from '../../projections/projection-definition';
import { tableChecksums } from '../support/checksums';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

const dir = mkdtempSync(join(tmpdir(), 'rebuild-'));
const v2Event = (
  type: string,
  data: Record<string, unknown>,
  eventId = randomUUID(),
): NewEvent => ({
  eventId,
  type,
  schemaVersion: 2,
  data,
  metadata: { occurredAt: '2026-02-02T10:00:00.000Z', actor: 'v2-user@example.com' },
});

/** A test-only version 2 of supplier_tasks (in place of the build's): v1's handlers in another schema. */
const supplierTasksV2: ProjectionDefinition = { ...supplierTasksV1, version: 2 };
const withoutBuildV2 = projectionDefinitions.filter(
  (d) => !(d.name === 'supplier_tasks' && d.version === 2),
);
const withV2 = [...withoutBuildV2, supplierTasksV2];

/**
 * V2 events after the legacy history, appended through the store as the domain would: a
 * section, a sub-task moved into it, a template and an instance for it, an override cleared.
 */
async function appendV2History(db: TestDatabase, lines: V1Line[]) {
  const first = <T extends string>(type: string, keys: T[]) => {
    const line = lines.find((l) => l.type === type)!;
    return Object.fromEntries(keys.map((k) => [k, line.data[k] as string])) as Record<T, string>;
  };
  const task = first('TaskCreated', ['taskTypeId', 'taskId']);
  const spi = first('SupplierProjectInstanceCreated', ['supplierProjectInstanceId', 'projectId']);
  const instance = lines.find((l) => l.type === 'SupplierTaskInstanceCreated')!.data;
  const ids = { section: randomUUID(), subTask: randomUUID(), template: randomUUID() };
  const newInstance = randomUUID();
  const { taskTypeId } = task;
  const { supplierProjectInstanceId, projectId } = spi;
  await db.store.append(`tasktype-${taskTypeId}`, [
    v2Event('TaskTypeCategoryChanged', { taskTypeId, category: 'NMR' }),
    v2Event('TaskTypeSectionCreated', {
      taskTypeId,
      sectionId: ids.section,
      code: 'V2-1',
      name: 'Created in V2 ✨',
      sortOrder: 9,
    }),
    v2Event('TaskCreated', {
      taskTypeId,
      sectionId: ids.section,
      taskId: ids.subTask,
      title: 'A sub-task',
      sortOrder: 1,
      parentTaskId: task.taskId,
    }),
  ]);
  await db.store.append(`project-${projectId}`, [
    v2Event('ProjectRenamed', { projectId, name: 'Renamed in V2' }),
    v2Event('ProjectTaskTemplateCreated', {
      projectId,
      templateId: ids.template,
      taskTypeId,
      taskId: ids.subTask,
      dueDate: '2026-06-30',
    }),
  ]);
  const ref = { supplierProjectInstanceId, supplierTaskInstanceId: newInstance };
  await db.store.append(`supplierproject-${supplierProjectInstanceId}`, [
    v2Event('SupplierTaskInstanceCreated', {
      ...ref,
      templateId: ids.template,
      taskId: ids.subTask,
    }),
    v2Event('SupplierTaskStatusChanged', { ...ref, from: 'NOT_STARTED', to: 'IN_PROGRESS' }),
    v2Event('SupplierTaskNoteAdded', {
      ...ref,
      noteId: randomUUID(),
      text: 'written in V2',
      author: 'v2',
    }),
    v2Event('SupplierTaskDueDateOverridden', { ...ref, dueDate: '2026-07-15' }),
    v2Event('SupplierTaskDueDateOverrideCleared', ref),
  ]);
  const old = {
    supplierProjectInstanceId: instance.supplierProjectInstanceId as string,
    supplierTaskInstanceId: instance.supplierTaskInstanceId as string,
  };
  await db.store.append(`supplierproject-${old.supplierProjectInstanceId}`, [
    v2Event('SupplierTaskDueDateOverridden', { ...old, dueDate: '2027-01-01' }),
    v2Event('SupplierTaskDueDateOverrideCleared', old),
  ]);
  return { ...ids, newInstance, parentTask: task.taskId };
}

const schemasPresent = async (db: TestDatabase, names: string[]) =>
  (
    await db.sql.query<{ schema_name: string }>(
      'SELECT schema_name FROM information_schema.schemata WHERE schema_name = ANY($1::text[]) ORDER BY 1',
      [names],
    )
  ).map((r) => r.schema_name);

describe.each(SQL_BACKENDS)('projection rebuilds on %s', (_backend, openDatabase) => {
  let db: TestDatabase;
  let lines: V1Line[];
  let v2: Awaited<ReturnType<typeof appendV2History>>;

  beforeAll(async () => {
    db = await openDatabase();
    lines = [...generateV1History({ events: 2500, seed: 5, rich: true })];
    const file = join(dir, `history-${_backend}.ndjson`);
    await writeV1Lines(file, lines);
    await importLegacyFile(db.store, file);
    v2 = await appendV2History(db, lines);
  });
  afterAll(() => db.close());

  describe('(a) determinism', () => {
    it.each([
      ['supplier_tasks', 1],
      ['legacy_v1', 2],
    ])(
      'two rebuilds of %s from the same log, in any batch size, give identical table checksums',
      async (name, version) => {
        const admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
        await admin.rebuild(name, version);
        expect(await admin.catchUp(name, version)).toMatchObject({ status: 'running', lag: '0' });
        const first = await tableChecksums(db.sql, name, version);
        expect(Object.values(first).filter((c) => !c.startsWith('0:')).length).toBeGreaterThan(3);

        await admin.rebuild(name, version, true);
        expect((await admin.versionStatus(name, version)).position).toBe('0');
        await admin.catchUp(name, version);
        expect(await tableChecksums(db.sql, name, version)).toEqual(first);

        // Batches that end anywhere (here every 37 events) must not change a single row.
        const small = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions, 37);
        await small.rebuild(name, version, true);
        expect(await small.catchUp(name, version)).toMatchObject({ status: 'running', lag: '0' });
        expect(await tableChecksums(db.sql, name, version)).toEqual(first);
      },
    );

    it('a version that catches up has its tables analyzed: the planner knows their row counts', async () => {
      const admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
      await admin.rebuild('supplier_tasks', 1, true);
      await admin.catchUp('supplier_tasks', 1);
      const tables = await db.sql.query<{ table: string; planned: number; counted: number }>(
        `SELECT c.relname AS table, c.reltuples::int AS planned,
           (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text::int AS counted
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'supplier_tasks_v1' AND c.relkind = 'r' ORDER BY 1`,
      );
      expect(tables.length).toBeGreaterThan(5);
      // ANALYZE of a small table reads it whole: the estimate is the count (-1 when never analyzed).
      expect(tables.filter((t) => t.planned !== t.counted)).toEqual([]);
    });

    it('a table the rebuild left mostly dead rows is rewritten when it catches up, the others are not', async () => {
      const admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
      await admin.rebuild('supplier_tasks', 3, true);
      // What a rebuild's upserts of the same rows batch after batch leave: pages of dead versions.
      await db.sql.transaction(async (tx) => {
        await tx.exec(
          `INSERT INTO supplier_tasks_v3.suppliers (id, code, name)
             SELECT 'dead-' || g, 'X', repeat('x', 200) FROM generate_series(1, 5000) g;
           DELETE FROM supplier_tasks_v3.suppliers WHERE id LIKE 'dead-%'`,
        );
      });
      // A rewrite gives a table a new file; inserts do not.
      const tablesNow = async () =>
        Object.fromEntries(
          (
            await db.sql.query<{ table: string; pages: number; file: string }>(
              `SELECT c.relname AS table, (pg_relation_size(c.oid) / 8192)::int AS pages,
                 c.relfilenode::text AS file
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'supplier_tasks_v3' AND c.relkind = 'r'`,
            )
          ).map(({ table, ...t }) => [table, t]),
        );
      const before = await tablesNow();
      expect(before.suppliers!.pages).toBeGreaterThan(100);
      await admin.catchUp('supplier_tasks', 3);
      const after = await tablesNow();
      const [{ suppliers } = { suppliers: 0 }] = await db.sql.query<{ suppliers: number }>(
        'SELECT count(*)::int AS suppliers FROM supplier_tasks_v3.suppliers',
      );
      expect(suppliers).toBeGreaterThan(0);
      // The suppliers' rows (a code and a name each) fit on a page or two once rewritten.
      expect(after.suppliers!.pages).toBeLessThanOrEqual(2);
      // The biggest table, all of it live rows, is left in its file.
      expect(after.task_instances!.pages).toBeGreaterThan(10);
      expect(after.task_instances!.file).toBe(before.task_instances!.file);
    });

    it('the V2 events are in both read models (legacy_v1: sub-task as a plain task, section as a milestone)', async () => {
      const [subTask] = await db.sql.query(
        'SELECT section_id, parent_task_id FROM supplier_tasks_v1.tasks WHERE id = $1',
        [v2.subTask],
      );
      expect(subTask).toEqual({ section_id: v2.section, parent_task_id: v2.parentTask });
      const [legacyTask] = await db.sql.query(
        'SELECT milestone_id, title FROM legacy_v1_v2.tasks WHERE id = $1',
        [v2.subTask],
      );
      expect(legacyTask).toEqual({ milestone_id: v2.section, title: 'A sub-task' });
      const [milestone] = await db.sql.query(
        'SELECT code, name FROM legacy_v1_v2.milestones WHERE id = $1',
        [v2.section],
      );
      expect(milestone).toEqual({ code: 'V2-1', name: 'Created in V2 ✨' });
      const [instance] = await db.sql.query(
        'SELECT status, due_date, due_date_overridden, notes_count FROM legacy_v1_v2.supplier_task_instance_details WHERE id = $1',
        [v2.newInstance],
      );
      expect(instance).toEqual({
        status: 'IN_PROGRESS',
        due_date: '2026-06-30',
        due_date_overridden: false,
        notes_count: 1,
      });
    });
  });

  describe('(c) switch, validate, rollback, retire', () => {
    let admin: ProjectionAdmin;
    const live = async (name: string) =>
      (await admin.status()).filter((s) => s.name === name && s.live).map((s) => s.version);

    beforeAll(async () => {
      admin = await ProjectionAdmin.open(db.store, db.sql, withV2);
    });

    it('switch refuses a version without a passing validation unless forced', async () => {
      await admin.switchTo('legacy_v1', 2, true);
      await expect(admin.switchTo('supplier_tasks', 1)).rejects.toThrow(/no passing validation/);
      expect(await live('supplier_tasks')).toEqual([]);
    });

    it('validation against legacy_v1 passes on an honest build and names every corrupted entity', async () => {
      const passed = await admin.validate('supplier_tasks', 1, 'legacy_v1');
      expect(passed).toMatchObject({ passed: true, differenceCount: 0, differences: [] });
      expect(Object.keys(passed.entities).sort()).toEqual([
        'instance',
        'section',
        'task',
        'template',
      ]);
      for (const e of Object.values(passed.entities)) {
        expect(e.candidate).toBe(e.reference);
        expect(e.candidateChecksum).toBe(e.referenceChecksum);
      }

      const [task] = await db.sql.query<{ id: string; title: string }>(
        'SELECT id, title FROM supplier_tasks_v1.tasks ORDER BY id LIMIT 1',
      );
      const [instance] = await db.sql.query<{ id: string; status: string }>(
        'SELECT id, status FROM supplier_tasks_v1.task_instances ORDER BY id LIMIT 1',
      );
      await db.sql.query("UPDATE supplier_tasks_v1.tasks SET title = 'corrupted' WHERE id = $1", [
        task!.id,
      ]);
      await db.sql.query(
        "UPDATE supplier_tasks_v1.task_instances SET status = 'LOST' WHERE id = $1",
        [instance!.id],
      );
      const failed = await admin.validate('supplier_tasks', 1, 'legacy_v1');
      expect(failed.passed).toBe(false);
      expect(failed.differenceCount).toBe(2);
      expect(failed.differences).toEqual([
        expect.objectContaining({
          entity: 'instance',
          id: instance!.id,
          candidate: expect.stringContaining('|LOST|'),
        }),
        expect.objectContaining({
          entity: 'task',
          id: task!.id,
          candidate: expect.stringContaining('corrupted'),
        }),
      ]);
      expect(failed.entities.task!.candidateChecksum).not.toBe(
        failed.entities.task!.referenceChecksum,
      );
      expect((await admin.versionStatus('supplier_tasks', 1)).validation).toMatchObject({
        against: 'legacy_v1 v2',
        passed: false,
      });
      await expect(admin.switchTo('supplier_tasks', 1)).rejects.toThrow(/no passing validation/);
      await admin.switchTo('supplier_tasks', 1, true);
      expect(await live('supplier_tasks')).toEqual([1]);

      await db.sql.query('UPDATE supplier_tasks_v1.tasks SET title = $2 WHERE id = $1', [
        task!.id,
        task!.title,
      ]);
      await db.sql.query('UPDATE supplier_tasks_v1.task_instances SET status = $2 WHERE id = $1', [
        instance!.id,
        instance!.status,
      ]);
      expect(await admin.validate('supplier_tasks', 1, 'legacy_v1')).toMatchObject({
        passed: true,
      });
    });

    it('a validated new version switches in; rollback returns to the previous one in one step', async () => {
      await admin.rebuild('supplier_tasks', 2);
      await expect(admin.switchTo('supplier_tasks', 2)).rejects.toThrow();
      await admin.catchUp('supplier_tasks', 2);
      expect(await tableChecksums(db.sql, 'supplier_tasks', 2, withV2)).toEqual(
        await tableChecksums(db.sql, 'supplier_tasks', 1),
      );
      expect(await admin.validate('supplier_tasks', 2, 'live')).toMatchObject({ passed: true });
      await admin.switchTo('supplier_tasks', 2);
      expect(await live('supplier_tasks')).toEqual([2]);

      // Tell the versions apart through the stable views the readers query.
      const [supplier] = await db.sql.query<{ id: string; name: string }>(
        'SELECT id, name FROM supplier_tasks.suppliers ORDER BY id LIMIT 1',
      );
      await db.sql.query(
        "UPDATE supplier_tasks_v2.suppliers SET name = 'only in v2' WHERE id = $1",
        [supplier!.id],
      );
      const nameNow = async () =>
        (
          await db.sql.query<{ name: string }>(
            'SELECT name FROM supplier_tasks.suppliers WHERE id = $1',
            [supplier!.id],
          )
        )[0]!.name;
      expect(await nameNow()).toBe('only in v2');

      expect(await admin.rollback('supplier_tasks')).toBe(1);
      expect(await live('supplier_tasks')).toEqual([1]);
      expect(await nameNow()).toBe(supplier!.name);
      await expect(admin.rollback('supplier_tasks')).rejects.toThrow(/no earlier version/);
    });

    it('retire drops a version’s schema (and, for a live one, its stable schema too)', async () => {
      await admin.retire('supplier_tasks', 2);
      expect(
        await schemasPresent(db, ['supplier_tasks', 'supplier_tasks_v1', 'supplier_tasks_v2']),
      ).toEqual(['supplier_tasks', 'supplier_tasks_v1']);
      expect(
        (await admin.status()).find((s) => s.name === 'supplier_tasks' && s.version === 2),
      ).toMatchObject({
        status: 'retired',
        live: false,
      });
      await expect(admin.switchTo('supplier_tasks', 2, true)).rejects.toThrow(/has not been built/);

      // The legacy read model is kept for 30 days after supplier_tasks switched, unless forced.
      const switchedAt = (
        await db.sql.query<{ at: string }>(
          `SELECT to_char((switched_at + interval '30 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
           FROM projections.live WHERE name = 'supplier_tasks'`,
        )
      )[0]!.at;
      await expect(admin.retire('legacy_v1', 2)).rejects.toThrow(
        `legacy_v1 v2 is kept until ${switchedAt}`,
      );
      expect(await schemasPresent(db, ['legacy_v1', 'legacy_v1_v2'])).toEqual([
        'legacy_v1',
        'legacy_v1_v2',
      ]);
      await admin.retire('legacy_v1', 2, true, 'ops');
      expect(
        await db.sql.query(
          `SELECT name, version, forced, actor, retained_until IS NOT NULL AS retained
           FROM projections.retirements WHERE name = 'legacy_v1'`,
        ),
      ).toEqual([{ name: 'legacy_v1', version: 2, forced: true, actor: 'ops', retained: true }]);
      expect(await schemasPresent(db, ['legacy_v1', 'legacy_v1_v2'])).toEqual([]);
      expect(await live('legacy_v1')).toEqual([]);
      expect(await live('supplier_tasks')).toEqual([1]);
    });
  });

  describe('(b) a handler that throws stops the projection at that event', () => {
    const craftedNote = randomUUID();
    const before = randomUUID();
    const after = randomUUID();
    const crafted = v2Event('SupplierTaskNoteAdded', {
      supplierProjectInstanceId: randomUUID(),
      supplierTaskInstanceId: randomUUID(), // no such instance
      noteId: craftedNote,
      text: 'crafted',
      author: 'test',
    });
    /** The fix: a build whose handler leaves notes of unknown instances alone. */
    const fixedV2: ProjectionDefinition = {
      ...supplierTasksV2,
      reads: (e) => (e.eventId === crafted.eventId ? [] : supplierTasksV2.reads(e)),
      apply: (e, rows) =>
        e.eventId === crafted.eventId ? undefined : supplierTasksV2.apply(e, rows),
    };
    const supplier = (supplierId: string) =>
      v2Event('SupplierRegistered', { supplierId, code: supplierId.slice(0, 8), name: 'n' });
    const suppliersIn = async (schema: string, ids: string[]) =>
      (
        await db.sql.query<{ id: string }>(
          `SELECT id FROM ${schema}.suppliers WHERE id = ANY($1::text[])`,
          [ids],
        )
      )
        .map((r) => r.id)
        .sort();
    let craftedPosition: string;
    let beforePosition: string;
    // The runner logs each stop as an error; here the stops are the point.
    beforeAll(() => Logger.overrideLogger(false));
    afterAll(() => Logger.overrideLogger(['log', 'warn', 'error']));

    it('status shows the position, event id, type and error; the checkpoint is the event before', async () => {
      beforePosition = (
        await db.store.append(`supplier-${before}`, [supplier(before)])
      ).position.toString();
      craftedPosition = (
        await db.store.append(`supplierproject-${randomUUID()}`, [crafted])
      ).position.toString();
      await db.store.append(`supplier-${after}`, [supplier(after)]);

      const admin = await ProjectionAdmin.open(db.store, db.sql, withV2);
      await admin.rebuild('supplier_tasks', 2);
      const status = await admin.catchUp('supplier_tasks', 2);
      expect(status).toMatchObject({
        status: 'failed',
        position: beforePosition,
        failure: {
          position: craftedPosition,
          eventId: crafted.eventId,
          type: 'SupplierTaskNoteAdded',
          error: expect.stringMatching(/task instance .* does not exist/),
        },
      });
      expect(
        (await admin.status()).find((s) => s.name === 'supplier_tasks' && s.version === 2),
      ).toEqual(status);
      // The event before it (same batch) is applied; nothing at or after it is.
      expect(await suppliersIn('supplier_tasks_v2', [before, after])).toEqual([before]);
      expect(
        await db.sql.query('SELECT id FROM supplier_tasks_v2.notes WHERE id = $1', [craftedNote]),
      ).toEqual([]);
      // A failed version is left alone by the runner, and cannot be switched to.
      expect(await admin.catchUp('supplier_tasks', 2)).toMatchObject({
        status: 'failed',
        position: beforePosition,
      });
      await expect(admin.switchTo('supplier_tasks', 2)).rejects.toThrow(/failed/);
      // The live version following the log stops at the same event.
      expect(await admin.catchUp('supplier_tasks', 1)).toMatchObject({
        status: 'failed',
        failure: { position: craftedPosition, eventId: crafted.eventId },
      });
    });

    it('resume without a fix answers with the same failure again', async () => {
      const admin = await ProjectionAdmin.open(db.store, db.sql, withV2);
      await expect(admin.resume('supplier_tasks', 2)).rejects.toThrow(
        `supplier_tasks v2 failed again at position ${craftedPosition}`,
      );
      expect(await admin.versionStatus('supplier_tasks', 2)).toMatchObject({
        status: 'failed',
        position: beforePosition,
        failure: { position: craftedPosition },
      });
    });

    it('a handler edited under the same version is refused; the operator skip lets it continue from the checkpoint', async () => {
      const edited = await ProjectionAdmin.open(db.store, db.sql, [...withoutBuildV2, fixedV2]);
      await expect(edited.resume('supplier_tasks', 2)).rejects.toThrow(/bump the version/);
      const admin = await ProjectionAdmin.open(db.store, db.sql, withV2);
      // Stopped at the crafted event again, whether or not the refused resume had cleared it.
      const stopped = (await admin.catchUp('supplier_tasks', 2)).failure!;
      expect(stopped.position).toBe(craftedPosition);
      await admin.skip('supplier_tasks', 2, stopped.eventId, 'crafted note, test', 'test');
      expect(await admin.catchUp('supplier_tasks', 2)).toMatchObject({
        status: 'running',
        lag: '0',
        failure: null,
      });
      expect(await suppliersIn('supplier_tasks_v2', [before, after])).toEqual(
        [before, after].sort(),
      );
      expect(
        await db.sql.query('SELECT id FROM supplier_tasks_v2.notes WHERE id = $1', [craftedNote]),
      ).toEqual([]);
    });

    it('an event the upcasters cannot read stops it the same way', async () => {
      const bad: NewEvent = {
        eventId: randomUUID(),
        type: 'SupplierRenamed', // V1 (no schemaVersion), but not the frozen V1 shape
        data: { supplierId: 'not-a-uuid' },
        metadata: { occurredAt: '2026-02-03T00:00:00.000Z', actor: 'legacy-portal' },
      };
      const head = (await db.store.headPosition()).toString();
      const position = (
        await db.store.append(`supplier-${randomUUID()}`, [bad])
      ).position.toString();
      const admin = await ProjectionAdmin.open(db.store, db.sql, withV2);
      expect(await admin.catchUp('supplier_tasks', 2)).toMatchObject({
        status: 'failed',
        position: head,
        failure: {
          position,
          eventId: bad.eventId,
          type: 'SupplierRenamed',
          error: expect.stringMatching(/^upcast: /),
        },
      });
    });
  });
});
