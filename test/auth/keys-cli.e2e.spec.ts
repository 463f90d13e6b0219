import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { API_KEY_SECRET } from '../../src/access/api-key-secret';
import { createTestDatabase } from '../support/postgres';
import { startAccessApp, type AccessApp } from './support/access-app';

const BIN = join(__dirname, '..', '..', 'bin', 'supplier-tasks.js');
const ADMIN_KEY = 'st_keys-cli-admin-key-0123456789abcdefghijklmno';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** The built CLI, without blocking this process (it may be serving the CLI's requests). */
async function cli(env: Record<string, string>, args: string[]): Promise<Run> {
  const { SERVICE_URL: _url, SUPPLIER_TASKS_API_KEY: _key, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...inherited, EVENTSTORE_URL: '', ...env },
      timeout: 60_000,
    });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { status: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const secretIn = (stdout: string): string =>
  /secret \(shown only now\): (\S+)/.exec(stdout)?.[1] ?? '';

describe('supplier-tasks keys, on the database itself (PostgreSQL)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase('st_keys_cli');
    env = { DATABASE_URL: db.url };
  });
  afterAll(async () => db?.drop());

  it('creates a key with several roles, lists it without its secret, and revokes it', async () => {
    const made = await cli(env, [
      'keys',
      'create',
      '--role',
      'writer',
      '--role',
      'auditor',
      '--name',
      'erp-sync',
    ]);
    expect(made.status).toBe(0);
    const secret = secretIn(made.stdout);
    expect(secret).toMatch(API_KEY_SECRET);
    const id = made.stdout.split(/\s+/)[0] ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const listed = await cli(env, ['keys', 'list']);
    expect(listed.status).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`^${id}  erp-sync  writer,auditor  created \\S+  live$`, 'm'),
    );
    expect(listed.stdout).not.toContain(secret);

    expect((await cli(env, ['keys', 'revoke', id])).status).toBe(0);
    expect((await cli(env, ['keys', 'list'])).stdout).toMatch(
      new RegExp(`^${id}  erp-sync .* revoked \\S+$`, 'm'),
    );
  }, 90_000);

  it('refuses an unknown role and a key id that is not one, naming them', async () => {
    const role = await cli(env, ['keys', 'create', '--role', 'root', '--name', 'x']);
    expect(role.status).not.toBe(0);
    expect(role.stderr).toContain('writer, auditor, manager, operator, admin');
    const id = await cli(env, ['keys', 'revoke', 'nope']);
    expect(id.status).not.toBe(0);
    expect(id.stderr).toContain('a key id (uuid)');
  }, 60_000);
});

describe('supplier-tasks keys through the running service (it owns PGlite)', () => {
  let app: AccessApp;
  let env: Record<string, string>;
  beforeAll(async () => {
    app = await startAccessApp({ backend: 'pglite', adminKey: ADMIN_KEY });
    env = { DATA_DIR: app.dataDir, DATABASE_URL: '', SERVICE_URL: app.running.url };
  }, 120_000);
  afterAll(async () => app?.close(), 30_000);

  it('creates a key through /admin/keys with SUPPLIER_TASKS_API_KEY, and the key works', async () => {
    const made = await cli({ ...env, SUPPLIER_TASKS_API_KEY: ADMIN_KEY }, [
      'keys',
      'create',
      '--role',
      'operator',
      '--name',
      'night-ops',
    ]);
    expect(made.stderr).toContain(`using ${app.running.url}`);
    expect(made.status).toBe(0);
    const secret = secretIn(made.stdout);
    expect((await app.send('get', '/projections', secret)).status).toBe(200);
    expect((await app.send('post', '/projections/x/switch', secret)).status).toBe(403);
  }, 60_000);

  it('says which variable is missing when it has no key to send', async () => {
    const refused = await cli(env, ['keys', 'list']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('401');
    expect(refused.stderr).toContain('SUPPLIER_TASKS_API_KEY');
  }, 60_000);
});
