import { randomUUID } from 'node:crypto';
import { startAccessApp, routesOf, type AccessApp, type Verb } from './support/access-app';

const ADMIN_KEY = 'st_route-access-admin-0123456789abcdefghijklmnop';
/** Well-formed, never issued. */
const UNKNOWN_KEY = 'st_never-issued-key-0123456789abcdefghijklmnopq';
const JOB_ROLES = ['writer', 'auditor', 'manager', 'operator'] as const;
type JobRole = (typeof JOB_ROLES)[number];
type Expected = { public: true } | { roles: JobRole[] } | { adminOnly: true };

const COMMAND_PREFIXES = ['/suppliers', '/projects', '/task-types', '/supplier-projects'];

/**
 * What each route must require, written from the access rules (issue 14), not from the code: a
 * route the application answers that this table does not know fails the test, so that a new
 * route cannot go unguarded unnoticed.
 */
function expectedAccess(method: Verb, path: string): Expected | undefined {
  if (
    method !== 'get' &&
    COMMAND_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))
  )
    return { roles: ['writer'] };
  const table: Record<string, Expected> = {
    'get /health': { public: true },
    'get /ready': { public: true },
    'get /metrics': { roles: ['operator'] },
    'get /': { public: true },
    'get /docs.json': { public: true },
    'get /streams/:streamId/events': { roles: ['auditor'] },
    'get /audit/streams/:streamId': { roles: ['auditor'] },
    'get /audit/events/:eventId': { roles: ['auditor'] },
    'get /audit/entities/:kind/:id': { roles: ['auditor'] },
    'get /audit/correlations/:correlationId': { roles: ['auditor'] },
    'get /audit/actors/:actor': { roles: ['auditor'] },
    'get /audit/log': { roles: ['auditor'] },
    'get /projections': { roles: ['operator'] },
    'get /projections/:name/latest-version': { roles: ['operator'] },
    'get /projections/:name/live': { roles: ['operator'] },
    'get /migrations': { roles: ['operator'] },
    'post /migrations': { roles: ['operator'] },
    'get /migrations/:id/report': { roles: ['operator'] },
    'post /projections/:name/rebuild': { roles: ['operator'] },
    'post /projections/:name/validate': { roles: ['operator'] },
    'post /projections/:name/resume': { roles: ['operator'] },
    'post /projections/:name/skip': { roles: ['operator'] },
    'post /projections/:name/switch': { adminOnly: true },
    'post /projections/:name/rollback': { adminOnly: true },
    'post /projections/:name/retire': { adminOnly: true },
    'get /summary': { roles: ['manager', 'operator'] },
    'get /dashboards/progress': { roles: ['manager'] },
    'get /dashboards/instances': { roles: ['manager'] },
    'get /dashboards/lag': { roles: ['manager'] },
    'get /dashboards/due-weeks': { roles: ['manager'] },
    'get /suppliers': { roles: ['manager'] },
    'get /projects': { roles: ['manager'] },
    'get /task-types': { roles: ['manager'] },
    'get /supplier-task-instances/:id': { roles: ['manager'] },
    'post /admin/keys': { adminOnly: true },
    'post /admin/import': { adminOnly: true },
    'get /admin/keys': { adminOnly: true },
    'delete /admin/keys/:id': { adminOnly: true },
  };
  return table[`${method} ${path}`];
}

const mayCall = (expected: Expected, role: JobRole): boolean =>
  'roles' in expected && expected.roles.includes(role);

/** Path parameters filled with ids nobody has used: a refusal must not depend on them. */
const concrete = (path: string): string => path.replace(/:(\w+)/g, () => randomUUID());

describe('every route of the application, with each kind of key', () => {
  let app: AccessApp;
  let routes: Array<{ method: Verb; path: string; expected: Expected }>;
  const keyOf = {} as Record<JobRole, string>;
  let revokedKey: string;

  beforeAll(async () => {
    app = await startAccessApp({ backend: 'postgres', adminKey: ADMIN_KEY });
    for (const role of JOB_ROLES) {
      const made = await app
        .send('post', '/admin/keys', ADMIN_KEY)
        .send({ name: `${role}-only`, roles: [role] });
      expect(made.status).toBe(201);
      keyOf[role] = made.body.secret;
    }
    const doomed = await app
      .send('post', '/admin/keys', ADMIN_KEY)
      .send({ name: 'doomed', roles: ['admin'] });
    revokedKey = doomed.body.secret;
    expect((await app.send('delete', `/admin/keys/${doomed.body.id}`, ADMIN_KEY)).status).toBe(200);
    routes = routesOf(app.running).map((route) => {
      const expected = expectedAccess(route.method, route.path);
      if (expected === undefined)
        throw new Error(`${route.method} ${route.path}: not in the access table of this test`);
      return { ...route, expected };
    });
  }, 90_000);
  afterAll(async () => app?.close(), 30_000);

  it('reads the whole route list (commands, audit, projections, key admin, public)', () => {
    const names = routes.map((r) => `${r.method} ${r.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'post /suppliers',
        'delete /supplier-projects/:supplierProjectInstanceId/tasks/:supplierTaskInstanceId/due-date-override',
        'get /streams/:streamId/events',
        'get /audit/entities/:kind/:id',
        'post /projections/:name/retire',
        'delete /admin/keys/:id',
        'get /health',
        'get /docs.json',
      ]),
    );
    expect(routes.length).toBeGreaterThanOrEqual(35);
  });

  /** The routes whose answer to `send` is not `status`, as `method path → status`. */
  async function mismatches(
    which: (expected: Expected) => boolean,
    send: (method: Verb, path: string) => ReturnType<AccessApp['send']>,
    status: (actual: number) => boolean,
  ): Promise<string[]> {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => which(r.expected))) {
      const res = await send(route.method, concrete(route.path)).send({});
      if (!status(res.status)) wrong.push(`${route.method} ${route.path} → ${res.status}`);
    }
    return wrong;
  }
  const guarded = (e: Expected) => !('public' in e);

  it.each([
    ['no key', undefined],
    ['a malformed key', 'not-a-key'],
    ['a key of the wrong shape', 'st_short'],
    ['an unknown key', UNKNOWN_KEY],
  ])('answers 401 to %s on every guarded route', async (_what, key) => {
    expect(
      await mismatches(
        guarded,
        (method, path) => app.send(method, path, key),
        (s) => s === 401,
      ),
    ).toEqual([]);
  });

  it('answers 401 to a revoked admin key on every guarded route', async () => {
    expect(
      await mismatches(
        guarded,
        (method, path) => app.send(method, path, revokedKey),
        (s) => s === 401,
      ),
    ).toEqual([]);
  });

  it('answers 401 to another scheme than Bearer, and says which one it wants', async () => {
    const res = await app.send('get', '/projections').set('Authorization', `Basic ${ADMIN_KEY}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(res.body).toMatchObject({ error: 'UNAUTHORIZED' });
  });

  it.each(JOB_ROLES)(
    'answers 403 to a %s key on every route that is not its job, and lets it through on its own',
    async (role) => {
      const refused = await mismatches(
        (e) => guarded(e) && !mayCall(e, role),
        (method, path) => app.send(method, path, keyOf[role]),
        (s) => s === 403,
      );
      const admitted = await mismatches(
        (e) => mayCall(e, role),
        (method, path) => app.send(method, path, keyOf[role]),
        (s) => s !== 401 && s !== 403,
      );
      expect({ refused, admitted }).toEqual({ refused: [], admitted: [] });
    },
  );

  it('lets an admin key through on every route', async () => {
    expect(
      await mismatches(
        guarded,
        (method, path) => app.send(method, path, ADMIN_KEY),
        (s) => s !== 401 && s !== 403,
      ),
    ).toEqual([]);
  });

  it('answers the public routes without a key', async () => {
    expect(
      await mismatches(
        (e) => 'public' in e,
        (method, path) => app.send(method, path),
        (s) => s === 200,
      ),
    ).toEqual([]);
    // The OpenAPI page is static middleware, not a route; a person pastes the key there.
    expect((await app.send('get', '/docs/')).status).toBe(200);
  });

  it("documents the bearer scheme and each operation's roles in /docs.json", async () => {
    const doc = (await app.send('get', '/docs.json')).body;
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.entries(doc.paths as Record<string, Record<string, object>>).flatMap(
      ([path, ops]) => Object.entries(ops).map(([method, op]) => ({ method, path, op })),
    );
    for (const { method, path, op } of operations) {
      const expected = expectedAccess(method as Verb, path.replace(/\{(\w+)\}/g, ':$1'));
      expect({ path, method, roles: (op as Record<string, unknown>)['x-required-roles'] }).toEqual({
        path,
        method,
        roles: expected !== undefined && 'roles' in expected ? expected.roles : ['admin'],
      });
      expect((op as { security: unknown[] }).security).toEqual([{ apiKey: [] }]);
    }
    expect(operations.length).toBeGreaterThanOrEqual(25);
  });

  it('refuses alike whether the entity exists or not', async () => {
    const made = await app
      .send('post', '/suppliers', ADMIN_KEY)
      .set('Content-Type', 'application/json')
      .send({ code: 'ACC-1', name: 'Exists AG' });
    expect(made.status).toBe(201);
    const existing = await app.send('get', `/streams/${made.body.streamId}/events`, keyOf.writer);
    const missing = await app.send('get', `/streams/supplier-${randomUUID()}/events`, keyOf.writer);
    expect([existing.status, missing.status]).toEqual([403, 403]);
    expect(existing.body).toEqual(missing.body);
    const anonymous = await app.send('get', `/streams/${made.body.streamId}/events`);
    expect(anonymous.status).toBe(401);
  });
});
