import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { CommandRoute } from '../../../src/http/commands/command-route';
import { ProjectRoutes } from '../../../src/http/project/project.routes';
import { SupplierProjectRoutes } from '../../../src/http/supplier-project/supplier-project.routes';
import { SupplierRoutes } from '../../../src/http/supplier/supplier.routes';
import { TaskTypeRoutes } from '../../../src/http/task-type/task-type.routes';
import { inPool, type TestApp } from '../support/http-app';
import { buildSeedWorld, type SeedWorld } from '../support/seed-world';

const BODIES = 2_000;

interface Target {
  route: CommandRoute;
  path: string;
  valid: Record<string, unknown>;
}

/** An endpoint of each kind, on entities that exist, with a body it would accept. */
const targets = (w: SeedWorld): Target[] => {
  const task = `/supplier-projects/${w.supplierProjectInstanceId}/tasks/${w.taskInstanceIds[3]}`;
  return [
    { route: SupplierRoutes.register, path: '/suppliers', valid: { code: 'S', name: 'N' } },
    { route: SupplierRoutes.rename, path: `/suppliers/${w.supplierId}/name`, valid: { name: 'N' } },
    {
      route: ProjectRoutes.createTemplate,
      path: `/projects/${w.projectId}/templates`,
      valid: { taskTypeId: w.taskTypeId, taskId: w.taskIds[0], dueDate: '2025-01-31' },
    },
    {
      route: TaskTypeRoutes.createSection,
      path: `/task-types/${w.taskTypeId}/sections`,
      valid: { code: 'PX', name: 'N', sortOrder: 9 },
    },
    {
      route: TaskTypeRoutes.createTask,
      path: `/task-types/${w.taskTypeId}/tasks`,
      valid: { sectionId: w.sectionIds.PA2, title: 'T', sortOrder: 1 },
    },
    {
      route: SupplierProjectRoutes.addNote,
      path: `${task}/notes`,
      valid: { text: 'x', author: 'y' },
    },
    {
      route: SupplierProjectRoutes.overrideDueDate,
      path: `${task}/due-date-override`,
      valid: { dueDate: '2025-01-31' },
    },
  ];
};

const badValue = fc.oneof(
  fc.constant(null),
  fc.constant(''),
  fc.constant('   '),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string(),
  fc.constant('2025-02-30'),
  fc.constant(randomUUID().slice(1)),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);

/** A body each target must refuse: a broken field, an unknown field, any JSON, or not JSON. */
const badRequest = (all: Target[]) =>
  fc
    .record({
      target: fc.constantFrom(...all),
      kind: fc.constantFrom('field', 'missing', 'unknown', 'any', 'text'),
      pick: fc.nat(),
      value: badValue,
      json: fc.jsonValue(),
      text: fc.string({ minLength: 1 }),
    })
    .map(({ target, kind, pick, value, json, text }) => {
      const fields = Object.keys(target.valid);
      const field = fields[pick % fields.length] as string;
      const body: unknown =
        kind === 'field'
          ? { ...target.valid, [field]: value }
          : kind === 'missing'
            ? Object.fromEntries(Object.entries(target.valid).filter(([k]) => k !== field))
            : kind === 'unknown'
              ? { ...target.valid, [`x_${text}`]: value }
              : kind === 'any'
                ? json
                : `{${text}`;
      return { target, body };
    })
    .filter(
      ({ target, body }) => typeof body === 'string' || !target.route.body.safeParse(body).success,
    );

/** Runs inside a describe of the back-end's app; `app()` is that app. */
export function fuzzCases(app: () => TestApp): void {
  let api: TestApp;
  let world: SeedWorld;
  beforeAll(async () => {
    api = app();
    world = await buildSeedWorld(api);
  }, 60_000);

  it(`answers ${BODIES} bad request bodies with a 4xx and appends nothing`, async () => {
    const samples = fc.sample(badRequest(targets(world)), { numRuns: BODIES, seed: 4242 });
    const head = await api.headPosition();
    const statuses = await inPool(samples, 16, async ({ target, body }) => {
      const res = await api.call(target.route.method, target.path, body);
      return res.status;
    });
    const outside = statuses.filter((s) => s < 400 || s > 499);
    expect(outside).toEqual([]);
    expect(statuses).toHaveLength(BODIES);
    expect(await api.headPosition()).toBe(head);
  }, 90_000);
}
