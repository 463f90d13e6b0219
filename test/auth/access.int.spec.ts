import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { API_KEY_SECRET } from '../../src/access/api-key-secret';
import { startAccessApp, type AccessApp } from './support/access-app';

const ADMIN_KEY = 'st_access-admin-key-0123456789abcdefghijklmnopqr';

async function issue(app: AccessApp, name: string, roles: string[]): Promise<string> {
  const made = await app.send('post', '/admin/keys', ADMIN_KEY).send({ name, roles });
  expect(made.status).toBe(201);
  return made.body.secret as string;
}

describe('the actor, the log and the HTTP hardening (PostgreSQL)', () => {
  let app: AccessApp;
  let writerKey: string;
  let auditorKey: string;
  beforeAll(async () => {
    app = await startAccessApp({ backend: 'postgres', adminKey: ADMIN_KEY });
    writerKey = await issue(app, 'erp-sync', ['writer']);
    auditorKey = await issue(app, 'audit-desk', ['auditor']);
  }, 90_000);
  afterAll(async () => app?.close(), 30_000);

  const register = (key: string, headers: Record<string, string> = {}, body: object = {}) => {
    let req = app.send('post', '/suppliers', key).set('Content-Type', 'application/json');
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    // A code of its own per request: supplier codes are unique.
    return req.send({ code: `S-${randomUUID().slice(0, 8)}`, name: 'Acme AG', ...body });
  };
  const metadataOf = async (streamId: string) => {
    const history = await app.send('get', `/streams/${streamId}/events`, auditorKey);
    expect(history.status).toBe(200);
    return history.body.events[0].raw.metadata as Record<string, unknown>;
  };

  it('records the key name as the actor, whatever X-Actor says', async () => {
    const res = await register(writerKey, { 'X-Actor': 'someone-else' });
    expect(res.status).toBe(201);
    const metadata = await metadataOf(res.body.streamId);
    expect(metadata.actor).toBe('erp-sync');
    expect(metadata).not.toHaveProperty('onBehalfOf');
  });

  it('records the user a writer key acts for beside the key', async () => {
    const res = await register(writerKey, {
      'X-On-Behalf-Of': 'j.keller@acme.example',
      'X-Correlation-Id': 'corr-obo-1',
    });
    expect(res.status).toBe(201);
    expect(await metadataOf(res.body.streamId)).toMatchObject({
      actor: 'erp-sync',
      onBehalfOf: 'j.keller@acme.example',
      correlationId: 'corr-obo-1',
    });
  });

  it('refuses X-On-Behalf-Of from a key that may not delegate, and an empty one', async () => {
    const history = await app
      .send('get', '/projections', auditorKey)
      .set('X-On-Behalf-Of', 'j.keller@acme.example');
    expect(history.status).toBe(403);
    const empty = await register(writerKey, { 'X-On-Behalf-Of': ' ' });
    expect(empty.status).toBe(400);
    expect(empty.body.issues).toEqual([
      expect.objectContaining({ field: 'headers.x-on-behalf-of', in: 'header' }),
    ]);
  });

  it('refuses an actor in the body: the key names who acts', async () => {
    const res = await register(writerKey, {}, { actor: 'body-actor' });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([{ field: 'data.actor', in: 'body', reason: 'unknown field' }]);
  });

  it('logs one line per request with method, route, status, latency, key name and correlation id, never a secret', async () => {
    const made = await app
      .send('post', '/admin/keys', ADMIN_KEY)
      .send({ name: 'log-probe', roles: ['writer'] });
    const probeKey = made.body.secret as string;
    const res = await app
      .send('put', `/suppliers/${'6a1f0f8e-3a55-4f5e-9d0e-1b2c3d4e5f60'}/name`, probeKey)
      .set('X-Correlation-Id', 'corr-log-probe')
      .set('Content-Type', 'application/json')
      .send({ name: 'x' });
    expect(res.status).toBe(404);
    const lines = app.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const mine = lines.filter((line) => line.correlationId === 'corr-log-probe');
    expect(mine).toEqual([
      expect.objectContaining({
        key: 'log-probe',
        route: '/suppliers/:supplierId/name',
        req: expect.objectContaining({ method: 'PUT' }),
        res: { statusCode: 404 },
        responseTime: expect.any(Number),
      }),
    ]);
    const everything = app.logLines.join('\n');
    for (const secret of [ADMIN_KEY, writerKey, auditorKey, probeKey])
      expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/authorization/i);
  });

  it('sends no X-Powered-By and no Access-Control-Allow-Origin, even to a cross-site request', async () => {
    const res = await app.send('get', '/health').set('Origin', 'https://evil.example');
    expect(res.status).toBe(200);
    expect(res.headers).not.toHaveProperty('x-powered-by');
    expect(res.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('answers only to its own names (DNS rebinding), naming the header', async () => {
    const res = await app.send('get', '/health').set('Host', 'rebound.evil.example:3000');
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([expect.objectContaining({ field: 'headers.host' })]);
    expect((await app.send('get', '/health').set('Host', 'localhost:3000')).status).toBe(200);
  });

  it('does not print the data folder in /health', async () => {
    const res = await app.send('get', '/health');
    expect(JSON.stringify(res.body)).not.toContain(app.dataDir);
  });

  it('lists keys without their secrets or hashes, and names the bad fields of a new key', async () => {
    const list = await app.send('get', '/admin/keys', ADMIN_KEY);
    expect(list.status).toBe(200);
    expect(list.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'erp-sync', roles: ['writer'], revokedAt: null }),
      ]),
    );
    expect(JSON.stringify(list.body)).not.toContain(writerKey);
    expect(Object.keys(list.body[0]).sort()).toEqual([
      'createdAt',
      'id',
      'name',
      'revokedAt',
      'roles',
    ]);
    const bad = await app
      .send('post', '/admin/keys', ADMIN_KEY)
      .send({ name: '', roles: ['root'] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual([
      'name',
      'roles.0',
    ]);
  });
});

describe('the rate limit, per key, and configured CORS (PostgreSQL)', () => {
  let app: AccessApp;
  beforeAll(async () => {
    app = await startAccessApp({
      backend: 'postgres',
      adminKey: ADMIN_KEY,
      rateLimitPerMinute: 3,
      corsOrigins: ['https://portal.example'],
    });
  }, 90_000);
  afterAll(async () => app?.close(), 30_000);

  it('answers 429 with Retry-After past the limit, and counts each key apart', async () => {
    const other = await issue(app, 'second-admin', ['admin']);
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await app.send('get', '/admin/keys', ADMIN_KEY)).status);
    const over = await app.send('get', '/admin/keys', ADMIN_KEY);
    // The first request of the limit was the issue of the second key.
    expect(statuses).toEqual([200, 200, 429]);
    expect(over.status).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(over.body).toMatchObject({ error: 'TOO_MANY_REQUESTS' });
    expect((await app.send('get', '/admin/keys', other)).status).toBe(200);
  });

  it('answers a configured origin, and only that one', async () => {
    const ok = await app.send('get', '/health').set('Origin', 'https://portal.example');
    expect(ok.headers['access-control-allow-origin']).toBe('https://portal.example');
    const evil = await app.send('get', '/health').set('Origin', 'https://evil.example');
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the first start on PGlite, with no key configured', () => {
  it('makes an admin key, prints it once, and it works after a restart', async () => {
    const first = await startAccessApp({ backend: 'pglite' });
    const { dataDir } = first;
    try {
      expect(first.announced).toHaveLength(1);
      const secret = /\b(st_\S+)/.exec(first.announced[0] ?? '')?.[1] ?? '';
      expect(secret).toMatch(API_KEY_SECRET);
      expect(first.announced[0]).toContain('supplier-tasks keys create');
      const keys = await first.send('get', '/admin/keys', secret);
      expect(keys.status).toBe(200);
      expect(keys.body).toEqual([expect.objectContaining({ name: 'admin', roles: ['admin'] })]);
      expect(first.logLines.join('\n')).not.toContain(secret);
      await first.running.close();

      const again = await startAccessApp({ backend: 'pglite', dataDir });
      try {
        expect(again.announced).toEqual([]);
        expect((await again.send('get', '/admin/keys', secret)).status).toBe(200);
      } finally {
        await again.running.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
