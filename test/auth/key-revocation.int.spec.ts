import { setTimeout as sleep } from 'node:timers/promises';
import { startAccessApp, type AccessApp } from './support/access-app';

const ADMIN_KEY = 'st_revoke-admin-key-0123456789abcdefghijklmnopqr';
/** Keys are kept in memory for up to 10 s: a revocation seen sooner was announced, not expired. */
const WELL_BEFORE_EXPIRY_MS = 5_000;

describe.each(['postgres', 'pglite'] as const)('revoking a key in use (%s)', (backend) => {
  let app: AccessApp;
  beforeAll(async () => {
    app = await startAccessApp({ backend, adminKey: ADMIN_KEY });
  }, 90_000);
  afterAll(async () => app?.close(), 30_000);

  /** A new manager key, already let in once (so the service holds it). */
  async function keyInUse(name: string): Promise<{ id: string; secret: string }> {
    const made = await app
      .send('post', '/admin/keys', ADMIN_KEY)
      .send({ name, roles: ['manager'] });
    expect(made.status).toBe(201);
    expect((await app.send('get', '/suppliers', made.body.secret)).status).toBe(200);
    return { id: made.body.id, secret: made.body.secret };
  }

  it('refuses the very next request after DELETE /admin/keys/{id}', async () => {
    const key = await keyInUse('doomed-by-route');
    expect((await app.send('delete', `/admin/keys/${key.id}`, ADMIN_KEY)).status).toBe(200);
    expect((await app.send('get', '/suppliers', key.secret)).status).toBe(401);
  });

  it('refuses a key revoked in the database by someone else (the CLI, another process) at once', async () => {
    const key = await keyInUse('doomed-by-cli');
    // As `supplier-tasks keys revoke` does: straight in the table, not through this service.
    await app.running.infra.sql.query(
      'UPDATE access.api_keys SET revoked_at = now() WHERE id = $1',
      [key.id],
    );
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 15_000) {
      status = (await app.send('get', '/suppliers', key.secret)).status;
      if (status === 200) await sleep(50);
    }
    expect(status).toBe(401);
    expect(Date.now() - started).toBeLessThan(WELL_BEFORE_EXPIRY_MS);
  }, 30_000);

  it('still lets in the keys nobody revoked', async () => {
    const key = await keyInUse('kept');
    const other = await keyInUse('doomed-beside');
    expect((await app.send('delete', `/admin/keys/${other.id}`, ADMIN_KEY)).status).toBe(200);
    expect((await app.send('get', '/suppliers', key.secret)).status).toBe(200);
  });
});
