import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { openInfrastructure } from '../../src/eventstore/infrastructure';
import { startService, type ServiceProcess } from '../reliability/support/service-process';
import { createTestDatabase } from '../support/postgres';
import { TEST_ADMIN_KEY } from '../support/test-keys';

/*
 * The service started on a log that holds codes without claims (an earlier build's, a legacy
 * import) answers while it backfills them: /health at once, /ready and the commands that claim
 * with 503 until the backfill is done. The backfill is held without any seam in the code: the
 * test holds a lock on the log's table that lets readers in and no writer (EXCLUSIVE), so the
 * backfill reads but cannot write its first claim until the test lets go; meanwhile its append
 * times out (DATABASE_QUERY_TIMEOUT_MS) as it would against a database that stalls, and is run
 * again.
 */
/** More than a start takes before it listens (one page of the log), so it backfills while serving. */
const LEGACY_SUPPLIERS = 2500;

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  service: ServiceProcess,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Answer> {
  const res = await fetch(`${service.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TEST_ADMIN_KEY}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Answer['body'] };
}

const claimsCheck = (ready: Answer) =>
  (ready.body.checks as Array<{ name: string; ready: boolean; reason?: string }>).find(
    (c) => c.name === 'claimsBackfill',
  );

/** Asks until `holds` answers true; the test's own timeout bounds it. */
async function until(holds: () => Promise<boolean>): Promise<void> {
  while (!(await holds())) await sleep(100);
}

describe('the start-up claims backfill runs while the service answers (PostgreSQL)', () => {
  const prefix = `SUP-BG-${randomUUID().slice(0, 8)}`;
  const legacy = Array.from({ length: LEGACY_SUPPLIERS }, (_, i) => ({
    supplierId: randomUUID(),
    code: `${prefix}-${i}`,
  }));
  let db: { url: string; drop(): Promise<void> };
  let dataDir: string;
  let holder: Client;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('st_claims_bg');
    dataDir = mkdtempSync(join(tmpdir(), 'claims-bg-'));
    const infra = await openInfrastructure({
      dataDir,
      databaseUrl: db.url,
      eventStoreUrl: undefined,
      port: 0,
      host: '127.0.0.1',
    });
    try {
      // As an earlier build wrote them: the events alone, no claims.
      await infra.eventStore.appendMany(
        legacy.map(({ supplierId, code }) => ({
          streamId: `supplier-${supplierId}`,
          expectedRevision: 'no_stream' as const,
          events: [
            {
              eventId: randomUUID(),
              type: 'SupplierRegistered',
              schemaVersion: 2,
              data: { supplierId, code, name: `Legacy ${code}` },
              metadata: { occurredAt: '2026-03-01T08:00:00.000Z', actor: 'earlier-build' },
            },
          ],
        })),
      );
    } finally {
      await infra.close();
    }
    holder = new Client({ connectionString: db.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE es_events IN EXCLUSIVE MODE');
    service = await startService({
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      DATABASE_QUERY_TIMEOUT_MS: '1000',
    });
  }, 300_000);

  afterAll(async () => {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await holder?.end();
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /health, and /ready with 503 naming the backfill and its progress', async () => {
    expect((await fetch(`${service!.url}/health`)).status).toBe(200);
    const ready = await call(service!, 'GET', '/ready');
    expect(ready.status).toBe(503);
    expect(claimsCheck(ready)).toMatchObject({
      ready: false,
      reason: expect.stringMatching(/^backfilling: /) as unknown,
    });
  });

  it('refuses a registration with 503, Retry-After and CLAIMS.BACKFILLING', async () => {
    const res = await call(service!, 'POST', '/suppliers', {
      code: `${prefix}-new`,
      name: 'New',
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(res.body).toMatchObject({
      error: 'BACKFILLING',
      code: 'CLAIMS.BACKFILLING',
      message: expect.stringContaining('claims') as unknown,
    });
  });

  it('serves the routes that do not claim', async () => {
    const { supplierId } = legacy[0]!;
    const res = await call(service!, 'GET', `/audit/streams/supplier-${supplierId}`);
    expect(res.status).toBe(200);
  });

  it('keeps running through a failed backfill, reporting it and trying again', async () => {
    let reason = '';
    await until(async () => {
      reason = claimsCheck(await call(service!, 'GET', '/ready'))?.reason ?? '';
      return reason.includes('failed');
    });
    expect(reason).toMatch(/of 2\d{3} positions of the log read, then failed .*; retrying in/);
    expect(service!.child.exitCode).toBeNull();
    const res = await call(service!, 'POST', '/suppliers', { code: `${prefix}-new`, name: 'New' });
    expect(res.status).toBe(503);
  });

  it('once done: ready, and a legacy code is a 409 naming its legacy holder', async () => {
    await holder.query('ROLLBACK');
    await until(async () => (await call(service!, 'GET', '/ready')).status === 200);
    const { supplierId, code } = legacy[LEGACY_SUPPLIERS - 1]!;
    const copy = await call(service!, 'POST', '/suppliers', { code, name: 'Copycat' });
    expect(copy.status).toBe(409);
    expect(copy.body).toMatchObject({ existing: { supplierId } });
    const fresh = await call(service!, 'POST', '/suppliers', {
      code: `${prefix}-new`,
      name: 'New',
    });
    expect(fresh.status).toBe(201);
    expect(service!.output()).toMatch(/2500 claims written/);
  });
});
