import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApp, type RunningApp } from '../../src/app';
import type { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import type { ProjectionVersionStatus } from '../../src/projection-runner/projection-status';
import { PROJECTION_ADMIN } from '../../src/tokens';
import { createTestDatabase } from '../support/postgres';

const ADMIN_KEY = 'st_metrics-admin-key-0123456789abcdefghijklmnop';
const READY_MAX_LAG_EVENTS = 2;

/** One sample of the exposition text, by its name and exact labels (as written, sorted). */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(',');
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').filter(Boolean).sort().join(',');
    if (have === wanted) return Number(match[3]);
  }
  return undefined;
}

async function until(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('GET /metrics and /ready on PostgreSQL', () => {
  let running: RunningApp;
  let drop: () => Promise<void>;
  let dataDir: string;
  let operatorKey: string;
  let writerKey: string;

  const call = (key: string) => {
    const server = running.app.getHttpServer();
    return {
      get: (path: string) => request(server).get(path).set('Authorization', `Bearer ${key}`),
      post: (path: string, body: unknown) =>
        request(server)
          .post(path)
          .set('Authorization', `Bearer ${key}`)
          .send(body as object),
      put: (path: string, body: unknown, headers: Record<string, string> = {}) =>
        request(server)
          .put(path)
          .set('Authorization', `Bearer ${key}`)
          .set(headers)
          .send(body as object),
    };
  };

  const issueKey = async (name: string, role: string): Promise<string> => {
    const res = await call(ADMIN_KEY).post('/admin/keys', { name, roles: [role] });
    expect(res.status).toBe(201);
    return res.body.secret as string;
  };

  const scrape = async (): Promise<string> => {
    const res = await call(operatorKey).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    return res.text;
  };

  const statuses = async (): Promise<ProjectionVersionStatus[]> =>
    (await call(operatorKey).get('/projections')).body as ProjectionVersionStatus[];

  beforeAll(async () => {
    const db = await createTestDatabase('st_metrics');
    drop = db.drop;
    dataDir = mkdtempSync(join(tmpdir(), 'metrics-e2e-'));
    running = await startApp(
      {
        dataDir,
        databaseUrl: db.url,
        eventStoreUrl: undefined,
        port: 0,
        host: '127.0.0.1',
        adminKey: ADMIN_KEY,
        readyMaxLagEvents: READY_MAX_LAG_EVENTS,
      },
      { logger: false },
    );
    operatorKey = await issueKey('metrics-operator', 'operator');
    writerKey = await issueKey('metrics-writer', 'writer');
  }, 90_000);

  afterAll(async () => {
    await running?.close();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('is for operators: a writer key is refused', async () => {
    expect((await call(writerKey).get('/metrics')).status).toBe(403);
    expect((await request(running.app.getHttpServer()).get('/metrics')).status).toBe(401);
  });

  it('counts each command once by type and outcome, and the events it appended', async () => {
    const before = await scrape();
    const count = (text: string, command: string, outcome: string) =>
      sample(text, 'supplier_tasks_commands_total', { command, outcome }) ?? 0;
    const appendedBefore = sample(before, 'supplier_tasks_events_appended_total') ?? 0;
    const timedBefore =
      sample(before, 'supplier_tasks_command_duration_seconds_count', {
        command: 'RegisterSupplier',
        outcome: 'ok',
      }) ?? 0;

    const writer = call(writerKey);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const supplierId of ids) {
      const res = await writer.post('/suppliers', {
        supplierId,
        code: `S-${supplierId}`,
        name: 'Supplier',
      });
      expect(res.status).toBe(201);
    }
    // ok: a rename (one event); conflict: a stale If-Match and an id already registered;
    // rejected: a body that fails validation.
    expect(
      (await writer.put(`/suppliers/${ids[0]}/name`, { name: 'New' }, { 'If-Match': '"0"' }))
        .status,
    ).toBe(200);
    expect(
      (await writer.put(`/suppliers/${ids[1]}/name`, { name: 'New' }, { 'If-Match': '"5"' }))
        .status,
    ).toBe(409);
    expect(
      (await writer.post('/suppliers', { supplierId: ids[2], code: 'S', name: 'S' })).status,
    ).toBe(409);
    expect((await writer.post('/suppliers', { code: '', name: 7 })).status).toBe(400);

    const after = await scrape();
    expect(count(after, 'RegisterSupplier', 'ok') - count(before, 'RegisterSupplier', 'ok')).toBe(
      3,
    );
    expect(count(after, 'RenameSupplier', 'ok') - count(before, 'RenameSupplier', 'ok')).toBe(1);
    expect(
      count(after, 'RenameSupplier', 'conflict') - count(before, 'RenameSupplier', 'conflict'),
    ).toBe(1);
    expect(
      count(after, 'RegisterSupplier', 'conflict') - count(before, 'RegisterSupplier', 'conflict'),
    ).toBe(1);
    expect(
      count(after, 'RegisterSupplier', 'rejected') - count(before, 'RegisterSupplier', 'rejected'),
    ).toBe(1);
    expect(count(after, 'RegisterSupplier', 'error')).toBe(0);
    expect((sample(after, 'supplier_tasks_events_appended_total') ?? 0) - appendedBefore).toBe(4);
    expect(
      (sample(after, 'supplier_tasks_command_duration_seconds_count', {
        command: 'RegisterSupplier',
        outcome: 'ok',
      }) ?? 0) - timedBefore,
    ).toBe(3);
    // The process defaults are there too.
    expect(sample(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('projection position and lag gauges say what the status API says, and /ready fails past READY_MAX_LAG_EVENTS', async () => {
    const admin = running.app.get<ProjectionAdmin>(PROJECTION_ADMIN);
    const adminCall = call(ADMIN_KEY);
    expect(
      (await adminCall.post('/projections/supplier_tasks/rebuild', { version: 1 })).status,
    ).toBe(202);
    await until(async () => (await statuses()).some((s) => s.status === 'running'));
    expect(
      (await adminCall.post('/projections/supplier_tasks/switch', { version: 1, force: true }))
        .status,
    ).toBe(204);
    // Caught up first, then nothing applies what comes next: the figures stand still.
    await until(async () => {
      const live = (await statuses()).filter((s) => s.live);
      return live.length > 0 && live.every((s) => s.lag === '0');
    });
    expect((await call(operatorKey).get('/ready')).status).toBe(200);
    await admin.runner.stop();
    const behind = READY_MAX_LAG_EVENTS + 1;
    for (let i = 0; i < behind; i++) {
      await running.infra.eventStore.append(`supplier-${randomUUID()}`, [
        {
          eventId: randomUUID(),
          type: 'SupplierRegistered',
          schemaVersion: 2,
          data: { supplierId: randomUUID(), code: 'L', name: 'Lagging' },
          metadata: { occurredAt: new Date().toISOString(), actor: 'test' },
        },
      ]);
    }

    const text = await scrape();
    const status = await statuses();
    const live = status.filter((s) => s.live);
    expect(live.length).toBeGreaterThan(0);
    for (const s of status.filter((v) => v.status !== 'retired')) {
      const labels = { projection: s.name, version: String(s.version) };
      expect(sample(text, 'supplier_tasks_projection_position', labels)).toBe(Number(s.position));
      expect(sample(text, 'supplier_tasks_projection_lag_events', labels)).toBe(Number(s.lag));
    }
    for (const s of live) {
      const labels = { projection: s.name, version: String(s.version) };
      expect(Number(s.lag)).toBeGreaterThanOrEqual(behind);
      expect(sample(text, 'supplier_tasks_projection_lag_seconds', labels)).toBeGreaterThan(0);
    }

    const ready = await call(operatorKey).get('/ready');
    expect(ready.status).toBe(503);
    const check = (
      ready.body.checks as Array<{ name: string; ready: boolean; reason?: string }>
    ).find((c) => c.name === 'projections');
    expect(check?.ready).toBe(false);
    expect(check?.reason).toContain(`lags more than ${READY_MAX_LAG_EVENTS} events`);
  });

  it('counts the events an operator skipped, per version, as the status API lists them', async () => {
    // The runner was stopped above: the version is driven here, as a CLI process would.
    const admin = running.app.get<ProjectionAdmin>(PROJECTION_ADMIN);
    const skippedOf = (text: string, version: number) =>
      sample(text, 'supplier_tasks_projection_skipped_events_total', {
        projection: 'supplier_tasks',
        version: String(version),
      });
    expect(skippedOf(await scrape(), 1)).toBe(0);
    // PostgreSQL text cannot hold NUL: the log keeps this event, the read model's table cannot.
    const supplierId = randomUUID();
    const poison = randomUUID();
    await running.infra.eventStore.append(`supplier-${supplierId}`, [
      {
        eventId: poison,
        type: 'SupplierRegistered',
        schemaVersion: 2,
        data: { supplierId, code: `P-${supplierId}`, name: 'nul \u0000 inside' },
        metadata: { occurredAt: new Date().toISOString(), actor: 'test' },
      },
    ]);
    expect((await admin.catchUp('supplier_tasks', 1)).failure?.eventId).toBe(poison);
    expect(skippedOf(await scrape(), 1)).toBe(0);

    const skipped = await call(operatorKey).post('/projections/supplier_tasks/skip', {
      version: 1,
      eventId: poison,
      reason: 'a NUL in a name; metrics test',
    });
    expect(skipped.status).toBe(200);

    const text = await scrape();
    expect(skippedOf(text, 1)).toBe(1);
    for (const s of (await statuses()).filter((v) => v.status !== 'retired')) {
      const labels = { projection: s.name, version: String(s.version) };
      expect(sample(text, 'supplier_tasks_projection_skipped_events_total', labels)).toBe(
        s.skipped.length,
      );
    }
  });
});
