import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { projectionDefinitions } from '../../projections';
import type { NewEvent } from '../../src/eventstore/event';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { SEED_FILE } from '../support/seed';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

const STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED'] as const;
type Status = (typeof STATUSES)[number];

const v2Event = (type: string, data: Record<string, unknown>): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 2,
  data,
  metadata: { occurredAt: '2026-03-03T10:00:00.000Z', actor: 'property-test' },
});

interface Counted {
  id: string;
  total: number;
  not_started: number;
  in_progress: number;
  completed: number;
}

/** The counters as kept by the handlers, and as a GROUP BY recounts them from the instance rows. */
async function countersAndRecount(db: TestDatabase, schema: string, ids: string[]) {
  const kept = await db.sql.query<Counted>(
    `SELECT id, total, not_started, in_progress, completed FROM ${schema}.supplier_project_progress
     WHERE id = ANY($1::text[]) ORDER BY id`,
    [ids],
  );
  const recount = await db.sql.query<Counted>(
    `SELECT supplier_project_id AS id, count(*)::int AS total,
       count(*) FILTER (WHERE status = 'NOT_STARTED')::int AS not_started,
       count(*) FILTER (WHERE status = 'IN_PROGRESS')::int AS in_progress,
       count(*) FILTER (WHERE status = 'COMPLETED')::int AS completed
     FROM ${schema}.task_instances WHERE supplier_project_id = ANY($1::text[])
     GROUP BY supplier_project_id ORDER BY supplier_project_id`,
    [ids],
  );
  return { kept, recount };
}

describe.each(SQL_BACKENDS)('supplier_tasks v2 progress counters on %s', (_name, open) => {
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

  it('the migration machinery applied to itself: v1 live, v2 rebuilt beside it, validated, switched, rolled back', async () => {
    await admin.rebuild('legacy_v1', 2);
    await admin.catchUp('legacy_v1', 2);
    await admin.switchTo('legacy_v1', 2, true);
    await admin.rebuild('supplier_tasks', 1);
    await admin.catchUp('supplier_tasks', 1);
    expect((await admin.validate('supplier_tasks', 1, 'legacy_v1')).passed).toBe(true);
    await admin.switchTo('supplier_tasks', 1);

    await admin.rebuild('supplier_tasks', 2);
    await expect(admin.switchTo('supplier_tasks', 2)).rejects.toThrow(); // not validated yet
    await admin.catchUp('supplier_tasks', 2);
    const report = await admin.validate('supplier_tasks', 2, 'live');
    expect(report).toMatchObject({ passed: true, differenceCount: 0 });
    await admin.switchTo('supplier_tasks', 2);
    expect(
      (await admin.status())
        .filter((s) => s.live)
        .map((s) => `${s.name} v${s.version}`)
        .sort(),
    ).toEqual(['legacy_v1 v2', 'supplier_tasks v2']);
    // The seed's one supplier project, counted by hand from the file: 4 tasks, 2 completed, 1 started.
    expect(
      await db.sql.query(
        'SELECT total, not_started, in_progress, completed FROM supplier_tasks.supplier_project_progress',
      ),
    ).toEqual([{ total: 4, not_started: 1, in_progress: 1, completed: 2 }]);

    expect(await admin.rollback('supplier_tasks')).toBe(1);
    await expect(
      db.sql.query('SELECT 1 FROM supplier_tasks.supplier_project_progress'),
    ).rejects.toThrow(/does not exist/);
    await admin.switchTo('supplier_tasks', 2);
  });

  it('counters equal a GROUP BY recount after a random sequence of changes', async () => {
    const projectId = randomUUID();
    const supplierId = randomUUID();
    await db.store.append(
      `project-${projectId}`,
      [v2Event('ProjectCreated', { projectId, code: 'P', name: 'P' })],
      'no_stream',
    );
    const templateId = randomUUID();
    await db.store.append(
      `project-${projectId}`,
      [
        v2Event('ProjectTaskTemplateCreated', {
          projectId,
          templateId,
          taskTypeId: null,
          taskId: randomUUID(),
          dueDate: '2026-04-01',
        }),
      ],
      0,
    );
    const step = fc.oneof(
      fc.record({ kind: fc.constant('create' as const), sp: fc.nat(2) }),
      fc.record({
        kind: fc.constant('move' as const),
        pick: fc.nat(),
        to: fc.constantFrom(...STATUSES),
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const sps = [randomUUID(), randomUUID(), randomUUID()];
        const instances: Array<{ id: string; sp: string; status: Status }> = [];
        const events = new Map<string, NewEvent[]>();
        const add = (sp: string, event: NewEvent) =>
          events.set(sp, [...(events.get(sp) ?? []), event]);
        for (const sp of sps)
          add(
            sp,
            v2Event('SupplierProjectInstanceCreated', {
              supplierProjectInstanceId: sp,
              supplierId,
              projectId,
            }),
          );
        for (const s of steps) {
          if (s.kind === 'create') {
            const instance = { id: randomUUID(), sp: sps[s.sp]!, status: 'NOT_STARTED' as Status };
            instances.push(instance);
            add(
              instance.sp,
              v2Event('SupplierTaskInstanceCreated', {
                supplierProjectInstanceId: instance.sp,
                supplierTaskInstanceId: instance.id,
                templateId,
                taskId: null,
              }),
            );
          } else if (instances.length > 0) {
            const instance = instances[s.pick % instances.length]!;
            add(
              instance.sp,
              v2Event('SupplierTaskStatusChanged', {
                supplierProjectInstanceId: instance.sp,
                supplierTaskInstanceId: instance.id,
                from: instance.status,
                to: s.to,
              }),
            );
            instance.status = s.to;
          }
        }
        for (const [sp, list] of events)
          await db.store.append(`supplierproject-${sp}`, list, 'no_stream');
        const status = await admin.catchUp('supplier_tasks', 2);
        expect(status.failure).toBeNull();
        const { kept, recount } = await countersAndRecount(db, 'supplier_tasks_v2', sps);
        // Every supplier project has a counter row; those with no instance count zero.
        const expected = sps.sort().map(
          (id) =>
            recount.find((r) => r.id === id) ?? {
              id,
              total: 0,
              not_started: 0,
              in_progress: 0,
              completed: 0,
            },
        );
        expect(kept).toEqual(expected);
        // And the model of the test agrees with both.
        expect(kept.reduce((n, r) => n + r.total, 0)).toBe(instances.length);
        expect(kept.reduce((n, r) => n + r.completed, 0)).toBe(
          instances.filter((i) => i.status === 'COMPLETED').length,
        );
      }),
      { numRuns: 15 },
    );
  });
});
