import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApp } from '../../src/app';
import { createTestDatabase } from '../support/postgres';
import { seedLines } from '../support/seed';
import { TEST_ADMIN_KEY } from '../support/test-keys';

const BIN = join(__dirname, '..', '..', 'bin', 'supplier-tasks.js');
const SEED_SUPPLIER_ID = 'e3bf3bdb-53ad-5ed2-b8e6-9df6697119ee';
const DUPLICATE_SUPPLIER_ID = '0c4f7e2a-9b1d-4e3c-8a56-2f7d1b9e4c80';

/** The seed, and a second legacy supplier under the seed supplier's code (the portal allowed it). */
function historyWithDuplicate(dir: string): string {
  const duplicate = {
    streamId: `supplier-${DUPLICATE_SUPPLIER_ID}`,
    eventId: '6b2d9f1e-3c7a-4e8b-a5d4-1e9c7b3f2a60',
    type: 'SupplierRegistered',
    data: { supplierId: DUPLICATE_SUPPLIER_ID, code: 'SUP-0001', name: 'Acme (twice)' },
    metadata: { occurredAt: '2025-05-06T08:00:00.000Z', actor: 'legacy-portal' },
  };
  const path = join(dir, 'with-duplicate.ndjson');
  writeFileSync(path, [...seedLines(), duplicate].map((l) => JSON.stringify(l)).join('\n'));
  return path;
}

const BACKENDS: Array<[string, () => Promise<{ databaseUrl: string; drop(): Promise<void> }>]> = [
  ['PGlite', async () => ({ databaseUrl: '', drop: async () => undefined })],
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase('st_claims_cli');
      return { databaseUrl: db.url, drop: db.drop };
    },
  ],
];

describe.each(BACKENDS)(
  'supplier-tasks import takes the claims of what it imports, on %s',
  (_name, backend) => {
    const dir = mkdtempSync(join(tmpdir(), 'claims-cli-'));
    let db: { databaseUrl: string; drop(): Promise<void> };
    beforeAll(async () => {
      db = await backend();
    });
    afterAll(async () => {
      await db?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists the duplicate with the first holder, and a new command then meets the claim', async () => {
      const dataDir = join(dir, 'data');
      const env = {
        ...process.env,
        DATA_DIR: dataDir,
        DATABASE_URL: db.databaseUrl,
        EVENTSTORE_URL: '',
      };
      const file = historyWithDuplicate(dir);
      const first = spawnSync(process.execPath, [BIN, 'import', file], {
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
      expect(first.status).toBe(0);
      expect(first.stdout).toContain('27 written');
      expect(first.stdout).toContain('7 claims written, 1 duplicates kept as they are');
      expect(first.stdout).toContain(
        `supplier-${DUPLICATE_SUPPLIER_ID} (SupplierRegistered, position`,
      );
      expect(first.stdout).toContain(
        `SUPPLIER.CODE_TAKEN {"code":"SUP-0001","existing":{"supplierId":"${SEED_SUPPLIER_ID}"}}`,
      );
      expect(first.stderr).toMatch(/claims: \d+\/\d+ events/);

      const again = spawnSync(process.execPath, [BIN, 'import', file], {
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
      expect(again.status).toBe(0);
      expect(again.stdout).toContain('0 written, 27 already stored');
      expect(again.stdout).toContain('0 claims written');

      const running = await startApp(
        {
          dataDir,
          databaseUrl: db.databaseUrl === '' ? undefined : db.databaseUrl,
          eventStoreUrl: undefined,
          port: 0,
          host: '127.0.0.1',
          adminKey: TEST_ADMIN_KEY,
        },
        { logger: false },
      );
      try {
        const res = await request(running.app.getHttpServer())
          .post('/suppliers')
          .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
          .set('Content-Type', 'application/json')
          .send({ code: 'sup-0001', name: 'Third' });
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ existing: { supplierId: SEED_SUPPLIER_ID } });
      } finally {
        await running.close();
      }
    }, 120_000);
  },
);

describe('supplier-tasks import through the running service takes the claims there (PGlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claims-cli-service-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the claims and their progress streamed back by POST /admin/import', async () => {
    const dataDir = join(dir, 'data');
    const running = await startApp(
      {
        dataDir,
        databaseUrl: undefined,
        eventStoreUrl: undefined,
        port: 0,
        host: '127.0.0.1',
        adminKey: TEST_ADMIN_KEY,
      },
      { logger: false },
    );
    try {
      const env: Record<string, string | undefined> = { ...process.env };
      for (const name of ['HOST', 'PORT', 'SERVICE_URL', 'DATABASE_URL', 'EVENTSTORE_URL'])
        delete env[name];
      // Asynchronous: the service answering runs in this process.
      const child = spawn(process.execPath, [BIN, 'import', historyWithDuplicate(dir)], {
        env: { ...env, DATA_DIR: dataDir, SUPPLIER_TASKS_API_KEY: TEST_ADMIN_KEY },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const [status] = (await once(child, 'exit')) as [number | null];
      expect(stderr).toContain(`using ${running.url}`);
      expect(status).toBe(0);
      expect(stdout).toContain('7 claims written, 1 duplicates kept as they are');
      expect(stdout).toContain(`"existing":{"supplierId":"${SEED_SUPPLIER_ID}"}`);
      expect(stderr).toMatch(/claims: \d+\/\d+ events/);
    } finally {
      await running.close();
    }
  }, 120_000);
});
