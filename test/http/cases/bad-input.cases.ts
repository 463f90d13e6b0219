import fc from 'fast-check';
import type { TestApp } from '../support/http-app';
import { buildSeedWorld, type SeedWorld } from '../support/seed-world';

/*
 * What counts as bad input is written here by hand, from the API's contract (README, EVENTS-V2),
 * never read from the schemas under test: a schema loosened by mistake must fail these cases.
 */

/** The kinds of body field the table knows how to break. */
type FieldKind =
  'name' | 'code' | 'title' | 'text' | 'author' | 'uuid' | 'date' | 'int' | 'category';

interface RouteSpec {
  method: 'POST' | 'PUT' | 'DELETE';
  /** As the API documents it; each `:param` is a uuid. */
  template: string;
  /** A body the route accepts on the seed world; every required field is in it. */
  body: (w: SeedWorld) => Record<string, unknown>;
  /** The required body fields and what each one is. */
  required: Record<string, FieldKind>;
  /** Optional body fields that are uuids when sent (ids of new entities, a parent task). */
  optionalIds?: string[];
}

const SPA = '/supplier-projects/:supplierProjectInstanceId/tasks/:supplierTaskInstanceId';

/** Every command route of the API: 24 of them. */
const ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    template: '/suppliers',
    body: () => ({ code: 'SUP-BAD', name: 'Never Registered' }),
    required: { code: 'code', name: 'name' },
    optionalIds: ['supplierId'],
  },
  {
    method: 'PUT',
    template: '/suppliers/:supplierId/name',
    body: () => ({ name: 'Never Renamed' }),
    required: { name: 'name' },
  },
  {
    method: 'POST',
    template: '/projects',
    body: () => ({ code: 'PRJ-BAD', name: 'Never Created' }),
    required: { code: 'code', name: 'name' },
    optionalIds: ['projectId'],
  },
  {
    method: 'PUT',
    template: '/projects/:projectId/name',
    body: () => ({ name: 'Never Renamed' }),
    required: { name: 'name' },
  },
  {
    method: 'POST',
    template: '/projects/:projectId/templates',
    body: (w) => ({ taskTypeId: w.taskTypeId, taskId: w.taskIds[0], dueDate: '2025-07-01' }),
    required: { taskTypeId: 'uuid', taskId: 'uuid', dueDate: 'date' },
    optionalIds: ['templateId'],
  },
  {
    method: 'PUT',
    template: '/projects/:projectId/templates/:templateId/due-date',
    body: () => ({ dueDate: '2025-07-01' }),
    required: { dueDate: 'date' },
  },
  {
    method: 'DELETE',
    template: '/projects/:projectId/templates/:templateId',
    body: () => ({}),
    required: {},
  },
  {
    method: 'POST',
    template: '/task-types',
    body: () => ({ name: 'Never Created', category: 'NMR' }),
    required: { name: 'name', category: 'category' },
    optionalIds: ['taskTypeId'],
  },
  {
    method: 'PUT',
    template: '/task-types/:taskTypeId/name',
    body: () => ({ name: 'Never Renamed' }),
    required: { name: 'name' },
  },
  {
    method: 'PUT',
    template: '/task-types/:taskTypeId/category',
    body: () => ({ category: 'NMR' }),
    required: { category: 'category' },
  },
  {
    method: 'POST',
    template: '/task-types/:taskTypeId/sections',
    body: () => ({ code: 'PX9', name: 'Never Created', sortOrder: 9 }),
    required: { code: 'code', name: 'name', sortOrder: 'int' },
    optionalIds: ['sectionId'],
  },
  {
    method: 'PUT',
    template: '/task-types/:taskTypeId/sections/:sectionId/name',
    body: () => ({ name: 'Never Renamed' }),
    required: { name: 'name' },
  },
  {
    method: 'DELETE',
    template: '/task-types/:taskTypeId/sections/:sectionId',
    body: () => ({}),
    required: {},
  },
  {
    method: 'POST',
    template: '/task-types/:taskTypeId/tasks',
    body: (w) => ({ sectionId: w.sectionIds.PA2, title: 'Never Created', sortOrder: 9 }),
    required: { sectionId: 'uuid', title: 'title', sortOrder: 'int' },
    optionalIds: ['taskId', 'parentTaskId'],
  },
  {
    method: 'PUT',
    template: '/task-types/:taskTypeId/tasks/:taskId/title',
    body: () => ({ title: 'Never Renamed' }),
    required: { title: 'title' },
  },
  {
    method: 'POST',
    template: '/task-types/:taskTypeId/tasks/:taskId/move',
    body: (w) => ({ toSectionId: w.sectionIds.PA3 }),
    required: { toSectionId: 'uuid' },
  },
  {
    method: 'POST',
    template: '/supplier-projects',
    body: (w) => ({ supplierId: w.supplierId, projectId: w.projectId }),
    required: { supplierId: 'uuid', projectId: 'uuid' },
    optionalIds: ['supplierProjectInstanceId'],
  },
  {
    method: 'POST',
    template: '/supplier-projects/:supplierProjectInstanceId/tasks',
    body: (w) => ({ templateId: w.templateIds[0] }),
    required: { templateId: 'uuid' },
    optionalIds: ['supplierTaskInstanceId'],
  },
  { method: 'POST', template: `${SPA}/start`, body: () => ({}), required: {} },
  { method: 'POST', template: `${SPA}/complete`, body: () => ({}), required: {} },
  { method: 'POST', template: `${SPA}/reopen`, body: () => ({}), required: {} },
  {
    method: 'POST',
    template: `${SPA}/notes`,
    body: () => ({ text: 'Never written.', author: 'quality@acme.example' }),
    required: { text: 'text', author: 'author' },
    optionalIds: ['noteId'],
  },
  {
    method: 'PUT',
    template: `${SPA}/due-date-override`,
    body: () => ({ dueDate: '2025-07-01' }),
    required: { dueDate: 'date' },
  },
  { method: 'DELETE', template: `${SPA}/due-date-override`, body: () => ({}), required: {} },
];

/** The seed world's id for each path parameter. */
const pathIds = (w: SeedWorld): Record<string, string> => ({
  supplierId: w.supplierId,
  projectId: w.projectId,
  templateId: w.templateIds[3] as string,
  taskTypeId: w.taskTypeId,
  sectionId: w.sectionIds.PA3,
  taskId: w.taskIds[3] as string,
  supplierProjectInstanceId: w.supplierProjectInstanceId,
  supplierTaskInstanceId: w.taskInstanceIds[3] as string,
});

/** The documented maximum length of each kind of text. */
const MAX_LENGTH: Partial<Record<FieldKind, number>> = {
  name: 200,
  code: 200,
  title: 500,
  text: 10_000,
};

/** Values of the wrong JSON type for each kind; a seeded draw picks one per case. */
const WRONG_TYPES: Record<FieldKind, unknown[]> = {
  name: [42, true, null, ['Acme'], { value: 'Acme' }],
  code: [42, false, null, ['SUP'], { value: 'SUP' }],
  title: [3.5, true, null, ['Title'], { value: 'Title' }],
  text: [0, false, null, ['text'], { value: 'text' }],
  author: [1, true, null, ['quality'], { email: 'quality@acme.example' }],
  uuid: [7, true, null, ['00000000-0000-4000-8000-000000000000'], {}],
  date: [20250701, true, null, ['2025-07-01'], { year: 2025 }],
  int: ['9', true, null, [9], { value: 9 }],
  category: [1, true, null, ['NMR'], { code: 'NMR' }],
};
const BAD_TEXT: Partial<Record<FieldKind, string[]>> = {
  uuid: [
    'not-a-uuid',
    '0000000-0000-4000-8000-000000000000',
    '00000000-0000-4000-8000-00000000000g',
  ],
  date: ['2025-02-30', '01.07.2025', '2025-7-1', '2025-07-01T00:00:00Z'],
  int: [],
  category: ['part approval', 'Nmr', '1NMR'],
};
const SEED = 1111;

interface BadCase {
  group: 'bad' | 'tooLong';
  title: string;
  method: RouteSpec['method'];
  path: (w: SeedWorld) => string;
  body: (w: SeedWorld) => unknown;
  /** Exactly the fields the 400 must name. */
  fields: string[];
}

const pick = <T>(values: T[], index: number): T =>
  fc.sample(fc.constantFrom(...values), { seed: SEED + index, numRuns: 1 })[0] as T;

function casesOf(route: RouteSpec): BadCase[] {
  const params = [...route.template.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
  const path =
    (bad?: string) =>
    (w: SeedWorld): string =>
      route.template.replace(/:(\w+)/g, (_, name: string) =>
        name === bad ? 'not-a-uuid' : (pathIds(w)[name] as string),
      );
  const label = `${route.method} ${route.template}`;
  const cases: BadCase[] = [];
  const add = (
    title: string,
    body: (w: SeedWorld) => unknown,
    fields: string[],
    options: { path?: (w: SeedWorld) => string; group?: BadCase['group'] } = {},
  ) =>
    cases.push({
      group: options.group ?? 'bad',
      title: `${label}: ${title}`,
      method: route.method,
      path: options.path ?? path(),
      body,
      fields,
    });
  const withField = (field: string, value: unknown) => (w: SeedWorld) => ({
    ...route.body(w),
    [field]: value,
  });

  for (const param of params)
    add(`bad uuid in the path (${param})`, route.body, [`data.${param}`], { path: path(param) });
  add('an unknown field', withField('colour', 'red'), ['data.colour']);
  add('a bad date (occurredAt)', withField('occurredAt', 'yesterday'), ['metadata.occurredAt']);
  add('wrong nesting (the body inside "command")', (w) => ({ command: route.body(w) }), [
    'data.command',
    ...Object.keys(route.required).map((f) => `data.${f}`),
  ]);
  for (const [field, kind] of Object.entries(route.required)) {
    const named = [`data.${field}`];
    add(
      `${field} missing`,
      (w) => Object.fromEntries(Object.entries(route.body(w)).filter(([k]) => k !== field)),
      named,
    );
    const wrong = pick(WRONG_TYPES[kind], cases.length);
    add(`${field} of the wrong type (${JSON.stringify(wrong)})`, withField(field, wrong), named);
    if (kind !== 'int') {
      add(`${field} empty`, withField(field, ''), named);
      add(`${field} blank`, withField(field, '   '), named);
    }
    if (kind === 'int') add(`${field} not an integer`, withField(field, 1.5), named);
    for (const text of BAD_TEXT[kind] ?? [])
      add(`${field} = ${JSON.stringify(text)}`, withField(field, text), named);
    const max = MAX_LENGTH[kind];
    if (max !== undefined) {
      add(`${field} of ${max + 1} characters`, withField(field, 'x'.repeat(max + 1)), named, {
        group: 'tooLong',
      });
    }
  }
  for (const field of route.optionalIds ?? []) {
    add(`${field} not a uuid`, withField(field, 'not-a-uuid'), [`data.${field}`]);
  }
  return cases;
}

const CASES = ROUTES.flatMap(casesOf);

/** Runs inside a describe of the back-end's app; `app()` is that app. */
export function badInputCases(app: () => TestApp): void {
  let api: TestApp;
  let world: SeedWorld;
  beforeAll(async () => {
    api = app();
    world = await buildSeedWorld(api);
  }, 60_000);

  it('covers every command route the OpenAPI document lists', async () => {
    const res = await api.call('GET', '/docs.json');
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    const commandRoutes = Object.entries(paths).flatMap(([p, operations]) =>
      Object.keys(operations)
        .filter((method) => ['post', 'put', 'delete'].includes(method))
        .map((method) => `${method.toUpperCase()} ${p}`),
    );
    const tabled = ROUTES.map((r) => `${r.method} ${r.template.replace(/:(\w+)/g, '{$1}')}`);
    expect(tabled).toHaveLength(24);
    expect(commandRoutes.sort()).toEqual(tabled.sort());
  });

  const answers400 = async (c: BadCase) => {
    const head = await api.headPosition();
    const res = await api.call(c.method, c.path(world), c.body(world));
    const named = ((res.body.issues ?? []) as Array<{ field: string }>).map((i) => i.field);
    expect({ status: res.status, error: res.body.error, fields: named.sort() }).toEqual({
      status: 400,
      error: 'VALIDATION',
      fields: [...c.fields].sort(),
    });
    expect(await api.headPosition()).toBe(head);
  };

  describe('a bad field: 400 naming it, nothing appended', () => {
    it.each(CASES.filter((c) => c.group === 'bad').map((c) => [c.title, c] as const))(
      '%s',
      async (_title, c) => answers400(c),
    );
  });

  // These limits arrive with the max-length change of issue 11 (another branch): until it is
  // merged, the schemas accept these values and this group fails.
  describe('MAX LENGTHS (issue 11: names and codes 200, titles 500, note text 10,000)', () => {
    it.each(CASES.filter((c) => c.group === 'tooLong').map((c) => [c.title, c] as const))(
      '%s',
      async (_title, c) => answers400(c),
    );
  });
}
