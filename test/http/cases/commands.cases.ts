import { CONFIGURED_ADMIN_KEY_NAME } from '../../../src/http/auth/admin-key.bootstrap';
import { importLegacyFile } from '../../../src/legacy-import/legacy-import';
import { SEED_FILE } from '../../support/seed';
import type { TestApp } from '../support/http-app';
import { buildSeedWorld, type SeedWorld } from '../support/seed-world';

interface AuditedEvent {
  revision: number;
  position: string;
  eventId: string;
  raw: {
    type: string;
    schemaVersion: number;
    data: Record<string, unknown>;
    metadata: Record<string, unknown>;
  };
  upcast: Array<{ type: string; schemaVersion: number; data: Record<string, unknown> }>;
}
interface StreamView {
  streamId: string;
  revision: number;
  events: AuditedEvent[];
}

const countTypes = (view: StreamView): Record<string, number> =>
  view.events.reduce<Record<string, number>>((counts, e) => {
    for (const u of e.upcast) counts[u.type] = (counts[u.type] ?? 0) + 1;
    return counts;
  }, {});

// Legacy ids from seed-report.ndjson.
const LEGACY = {
  supplierProject: 'b17716e5-e881-509a-9caf-9dfb9dbad646',
  inProgressTask: 'babe1f08-fe7b-5278-a91a-29a067635ed4',
  completedTask: 'b84bf8fe-cda6-56db-a626-e4896ddbbcfa',
  taskType: 'fe4eb887-d4b4-58de-afaf-c641b82284b9',
  pa3Section: '0e14a1f5-cecb-52c7-b02b-c99677f58bba',
  runAtRateTask: 'ed11b6f9-b141-5996-aeed-1f6a7d7ce7ed',
};

/** Runs inside a describe of the back-end's app; `app()` is that app. */
export function commandCases(app: () => TestApp): void {
  let api: TestApp;
  beforeAll(() => {
    api = app();
  });
  let world: SeedWorld;

  const stream = async (streamId: string): Promise<StreamView> => {
    const res = await api.call('GET', `/streams/${streamId}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${(res.body as StreamView).revision}"`);
    return res.body as StreamView;
  };

  it('builds the seed report world through the API alone', async () => {
    world = await buildSeedWorld(api);

    const supplier = await stream(`supplier-${world.supplierId}`);
    expect(countTypes(supplier)).toEqual({ SupplierRegistered: 1 });
    expect(supplier.events[0]?.raw.data).toEqual({
      supplierId: world.supplierId,
      code: 'SUP-0001',
      name: 'Acme Castings GmbH',
    });

    const project = await stream(`project-${world.projectId}`);
    expect(countTypes(project)).toEqual({ ProjectCreated: 1, ProjectTaskTemplateCreated: 4 });

    const taskType = await stream(`tasktype-${world.taskTypeId}`);
    expect(countTypes(taskType)).toEqual({
      TaskTypeCreated: 1,
      TaskTypeSectionCreated: 2,
      TaskCreated: 4,
    });
    expect(taskType.events[0]?.raw.data).toMatchObject({ category: 'PART_APPROVAL' });
    const codes = taskType.events
      .filter((e) => e.raw.type === 'TaskTypeSectionCreated')
      .map((e) => e.raw.data.code);
    expect(codes).toEqual(['PA2', 'PA3']);

    const instance = await stream(`supplierproject-${world.supplierProjectInstanceId}`);
    expect(countTypes(instance)).toEqual({
      SupplierProjectInstanceCreated: 1,
      SupplierTaskInstanceCreated: 4,
      SupplierTaskStatusChanged: 5,
      SupplierTaskNoteAdded: 3,
    });
    const completed = instance.events.filter(
      (e) => e.raw.type === 'SupplierTaskStatusChanged' && e.raw.data.to === 'COMPLETED',
    );
    expect(completed).toHaveLength(2);
    // The task of an instance is taken from its template.
    const created = instance.events.filter((e) => e.raw.type === 'SupplierTaskInstanceCreated');
    expect(created.map((e) => e.raw.data.taskId)).toEqual(world.taskIds);
    expect(instance.revision).toBe(12);
  }, 60_000);

  it('stamps who, when and why on every event; V2 events are stored as they are read', async () => {
    const path = `/suppliers/${world.supplierId}/name`;
    const res = await api.call(
      'PUT',
      path,
      { name: 'Acme Castings AG', occurredAt: '2025-05-01T10:00:00+02:00' },
      { 'X-Correlation-Id': 'corr-1', 'X-Request-Id': 'req-1', 'If-Match': '"0"' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers['x-correlation-id']).toBe('corr-1');
    expect(res.body).toMatchObject({ streamId: `supplier-${world.supplierId}`, revision: 1 });
    const [, renamed] = (await stream(`supplier-${world.supplierId}`)).events;
    expect(renamed?.raw.metadata).toEqual({
      occurredAt: '2025-05-01T08:00:00.000Z',
      actor: CONFIGURED_ADMIN_KEY_NAME,
      correlationId: 'corr-1',
      causationId: 'req-1',
      recordedAt: expect.any(String),
    });
    expect(renamed?.raw.schemaVersion).toBe(2);
    expect(renamed?.upcast).toEqual([
      expect.objectContaining({ type: 'SupplierRenamed', data: renamed?.raw.data }),
    ]);

    // The same name again decides nothing: 200, no event, the revision unchanged.
    const again = await api.call('PUT', path, { name: 'Acme Castings AG' }, { 'X-Actor': 'ops' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ revision: 1, eventIds: [], position: null });
  });

  it('answers 400 naming each bad field, and appends nothing', async () => {
    const head = await api.headPosition();
    const res = await api.call('POST', '/suppliers', {
      code: '',
      name: 7,
      extra: true,
      occurredAt: 'yesterday',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('VALIDATION');
    const fields = (res.body.issues as Array<{ field: string; reason: string }>).map(
      (i) => i.field,
    );
    expect(fields.sort()).toEqual(['data.code', 'data.extra', 'data.name', 'metadata.occurredAt']);

    const path = await api.call(
      'PUT',
      '/suppliers/not-a-uuid/name',
      { name: 'x' },
      { 'If-Match': 'soon' },
    );
    expect(path.status).toBe(400);
    expect(path.body.issues.map((i: { field: string }) => i.field)).toEqual([
      'data.supplierId',
      'headers.if-match',
    ]);

    const malformed = await api.call('POST', '/suppliers', '{"code": "S", ');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('MALFORMED_JSON');

    const future = await api.call('POST', '/suppliers', {
      code: 'F',
      name: 'F',
      occurredAt: '2999-01-01T00:00:00Z',
    });
    expect(future.status).toBe(400);
    expect(future.body.issues).toEqual([
      { field: 'metadata.occurredAt', in: 'body', reason: 'is in the future' },
    ]);
    expect(await api.headPosition()).toBe(head);
  });

  it('answers 404 for an unknown entity, with its code', async () => {
    const head = await api.headPosition();
    const unknown = '00000000-0000-4000-8000-000000000000';
    const rename = await api.call('PUT', `/suppliers/${unknown}/name`, { name: 'x' });
    expect(rename.status).toBe(404);
    expect(rename.body).toMatchObject({ error: 'NOT_FOUND', code: 'SUPPLIER.NOT_FOUND' });

    const assign = await api.call('POST', '/supplier-projects', {
      supplierId: unknown,
      projectId: world.projectId,
    });
    expect(assign.status).toBe(404);
    expect(assign.body.code).toBe('SUPPLIER.NOT_FOUND');

    const instance = `/supplier-projects/${world.supplierProjectInstanceId}/tasks`;
    const template = await api.call('POST', instance, { templateId: unknown });
    expect(template.status).toBe(404);
    expect(template.body.code).toBe('TEMPLATE.NOT_FOUND');

    const task = await api.call('POST', `/projects/${world.projectId}/templates`, {
      taskTypeId: world.taskTypeId,
      taskId: unknown,
      dueDate: '2025-10-01',
    });
    expect(task.status).toBe(404);
    expect(task.body.code).toBe('TASK.NOT_FOUND');

    expect((await api.call('GET', `/streams/supplier-${unknown}/events`)).status).toBe(404);
    expect(await api.headPosition()).toBe(head);
  });

  it('answers 422 for a broken invariant, with its code', async () => {
    const head = await api.headPosition();
    const fourth = world.taskInstanceIds[3];
    const complete = await api.call(
      'POST',
      `/supplier-projects/${world.supplierProjectInstanceId}/tasks/${fourth}/complete`,
    );
    expect(complete.status).toBe(422);
    expect(complete.body).toMatchObject({
      error: 'INVARIANT',
      code: 'STATUS.INVALID_TRANSITION',
      details: { from: 'NOT_STARTED', to: 'COMPLETED' },
    });

    const del = await api.call(
      'DELETE',
      `/task-types/${world.taskTypeId}/sections/${world.sectionIds.PA2}`,
    );
    expect(del.status).toBe(422);
    expect(del.body.code).toBe('SECTION.NOT_EMPTY');

    const subSub = await api.call('POST', `/task-types/${world.taskTypeId}/tasks`, {
      sectionId: world.sectionIds.PA2,
      title: 'child',
      sortOrder: 1,
      parentTaskId: world.taskIds[0],
    });
    expect(subSub.status).toBe(201);
    const grandchild = await api.call('POST', `/task-types/${world.taskTypeId}/tasks`, {
      sectionId: world.sectionIds.PA2,
      title: 'grandchild',
      sortOrder: 1,
      parentTaskId: subSub.body.id,
    });
    expect(grandchild.status).toBe(422);
    expect(grandchild.body.code).toBe('TASK.PARENT_IS_SUBTASK');
    expect(await api.headPosition()).toBe(head + 1n);
  });

  it('answers 409 with the actual revision when If-Match is stale, and for an id already used', async () => {
    const head = await api.headPosition();
    const stale = await api.call(
      'PUT',
      `/projects/${world.projectId}/name`,
      { name: 'Renamed' },
      { 'If-Match': '"2"' },
    );
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({
      error: 'CONFLICT',
      code: 'STREAM.WRONG_EXPECTED_REVISION',
      streamId: `project-${world.projectId}`,
      expected: 2,
      actual: 4,
    });
    expect(stale.headers.etag).toBe('"4"');

    const again = await api.call('POST', '/suppliers', {
      supplierId: world.supplierId,
      code: 'X',
      name: 'X',
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('SUPPLIER.ALREADY_EXISTS');
    expect(await api.headPosition()).toBe(head);

    const fresh = await api.call(
      'PUT',
      `/projects/${world.projectId}/name`,
      { name: 'Renamed' },
      { 'If-Match': stale.headers.etag as string },
    );
    expect(fresh.status).toBe(200);
    expect(fresh.headers.etag).toBe('"5"');
  });

  it('runs every other command of the domain', async () => {
    const { taskTypeId, projectId, supplierProjectInstanceId, sectionIds } = world;
    const sp = `/supplier-projects/${supplierProjectInstanceId}/tasks/${world.taskInstanceIds[0]}`;
    const calls: Array<
      [method: 'POST' | 'PUT' | 'DELETE', path: string, body?: Record<string, unknown>]
    > = [
      ['PUT', `/task-types/${taskTypeId}/name`, { name: 'Part approval (PPAP)' }],
      ['PUT', `/task-types/${taskTypeId}/category`, { category: 'NMR' }],
      [
        'PUT',
        `/task-types/${taskTypeId}/sections/${sectionIds.PA3}/name`,
        { name: 'PA3 - Approval' },
      ],
      ['PUT', `/task-types/${taskTypeId}/tasks/${world.taskIds[3]}/title`, { title: 'PPAP' }],
      [
        'POST',
        `/task-types/${taskTypeId}/tasks/${world.taskIds[3]}/move`,
        { toSectionId: sectionIds.PA2 },
      ],
      [
        'PUT',
        `/projects/${projectId}/templates/${world.templateIds[0]}/due-date`,
        { dueDate: '2025-07-01' },
      ],
      ['POST', `${sp}/reopen`],
      ['PUT', `${sp}/due-date-override`, { dueDate: '2025-07-15' }],
      ['DELETE', `${sp}/due-date-override`],
    ];
    for (const [method, path, body] of calls) {
      const res = await api.call(method, path, body);
      expect([res.status, method, path, res.body.eventIds?.length]).toEqual([200, method, path, 1]);
    }
    const section = await api.call('POST', `/task-types/${taskTypeId}/sections`, {
      code: 'PA4',
      name: 'empty',
      sortOrder: 3,
    });
    expect(section.status).toBe(201);
    const del = await api.call('DELETE', `/task-types/${taskTypeId}/sections/${section.body.id}`);
    expect(del.status).toBe(200);

    // A template no instance uses can go.
    const spare = await api.call('POST', `/projects/${projectId}/templates`, {
      taskTypeId,
      taskId: world.taskIds[0],
      dueDate: '2025-12-01',
    });
    const removed = await api.call('DELETE', `/projects/${projectId}/templates/${spare.body.id}`);
    expect(removed.status).toBe(200);
  });

  it('takes V2 commands on imported V1 streams, nothing rewritten', async () => {
    await importLegacyFile(api.running.infra.eventStore, SEED_FILE);
    const sp = `/supplier-projects/${LEGACY.supplierProject}/tasks`;
    const complete = await api.call('POST', `${sp}/${LEGACY.inProgressTask}/complete`, undefined, {
      'If-Match': '"12"',
    });
    expect(complete.status).toBe(200);
    expect(complete.body.revision).toBe(13);

    const subTask = await api.call('POST', `/task-types/${LEGACY.taskType}/tasks`, {
      sectionId: LEGACY.pa3Section,
      title: 'Capacity check',
      sortOrder: 3,
      parentTaskId: LEGACY.runAtRateTask,
    });
    expect(subTask.status).toBe(201);

    const reopen = await api.call('POST', `${sp}/${LEGACY.completedTask}/reopen`);
    expect(reopen.status).toBe(200);

    const view = await stream(`supplierproject-${LEGACY.supplierProject}`);
    const first = view.events[0];
    expect(first?.raw.schemaVersion).toBe(1);
    expect(first?.upcast[0]?.schemaVersion).toBe(2);
    const last = view.events.at(-1);
    expect(last?.raw).toMatchObject({
      type: 'SupplierTaskStatusChanged',
      schemaVersion: 2,
      data: { supplierTaskInstanceId: LEGACY.completedTask, from: 'COMPLETED', to: 'IN_PROGRESS' },
    });
  }, 60_000);
}
