import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeV1History } from '../../tools/v1-history';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import type { ProjectionVersionStatus } from '../../src/projection-runner/projection-status';
import { HTTP_BACKENDS, type TestApp } from '../http/support/http-app';

async function statusOf(app: TestApp, name: string): Promise<ProjectionVersionStatus | undefined> {
  const response = await app.call('GET', '/projections');
  return (response.body as ProjectionVersionStatus[]).find(
    (s) => s.name === name && s.version === (name === 'legacy_v1' ? 2 : 1),
  );
}

async function expectStatus(response: ReturnType<TestApp['call']>, status: number): Promise<void> {
  const { status: actual, body } = await response;
  if (actual !== status)
    throw new Error(`expected ${status}, got ${actual}: ${JSON.stringify(body)}`);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(HTTP_BACKENDS)('commands sent over HTTP during a rebuild, on %s', (_name, start) => {
  let app: TestApp;
  beforeAll(async () => {
    // It polls and sends for as long as the rebuild takes: no rate limit may cut it short.
    app = await start({ rateLimitPerMinute: 10_000_000 });
    // The service started on an empty log, so its read models went live at once; this test is
    // about a rebuild beside a serving service, so it retires them and starts from the history.
    const live = ((await app.call('GET', '/projections')).body as ProjectionVersionStatus[])
      .filter((s) => s.live)
      .map((s) => [s.name, s.version] as const);
    expect(live.map(([name]) => name).sort()).toEqual(['legacy_v1', 'supplier_tasks']);
    for (const [name, version] of live) {
      await expectStatus(
        app.call('POST', `/projections/${name}/retire`, { version, force: true }),
        204,
      );
    }
    const history = join(mkdtempSync(join(tmpdir(), 'rebuild-cmds-')), 'history.ndjson');
    await writeV1History(history, { events: 12_000, seed: 7 });
    await importLegacyFile(app.running.infra.eventStore, history);
    await expectStatus(app.call('POST', '/projections/legacy_v1/rebuild', { version: 2 }), 202);
    await until(
      async () => (await statusOf(app, 'legacy_v1'))?.lag === '0',
      'legacy_v1 to catch up',
    );
    await expectStatus(
      app.call('POST', '/projections/legacy_v1/switch', { version: 2, force: true }),
      204,
    );
  });
  afterAll(async () => {
    await app.close();
  });

  it('are all in the new version after the switch', async () => {
    await expectStatus(
      app.call('POST', '/projections/supplier_tasks/rebuild', { version: 1 }),
      202,
    );
    const sent: string[] = [];
    let sentWhileRebuilding = 0;
    // Keep sending until the rebuild has caught up, then a few more.
    for (let i = 0; ; i++) {
      const rebuilding = (await statusOf(app, 'supplier_tasks'))?.status === 'rebuilding';
      const supplierId = randomUUID();
      await expectStatus(
        app.call('POST', '/suppliers', { supplierId, code: `LIVE-${i}`, name: `Live ${i} ✓` }),
        201,
      );
      sent.push(supplierId);
      if (rebuilding) sentWhileRebuilding++;
      else if (i > 5) break;
    }
    expect(sentWhileRebuilding).toBeGreaterThan(0);
    await until(
      async () => (await statusOf(app, 'supplier_tasks'))?.lag === '0',
      'supplier_tasks to catch up',
    );

    const validation = await app.call('POST', '/projections/supplier_tasks/validate', {
      version: 1,
      against: 'legacy_v1',
    });
    expect(validation.status).toBe(200);
    const failed = (validation.body as { checks: Array<{ passed: boolean }> }).checks.filter(
      (c) => !c.passed,
    );
    expect(failed).toEqual([]);
    expect(validation.body).toMatchObject({ passed: true });
    await expectStatus(app.call('POST', '/projections/supplier_tasks/switch', { version: 1 }), 204);

    await until(
      async () => (await statusOf(app, 'supplier_tasks'))?.lag === '0',
      'the live version to follow',
    );
    const rows = await app.running.infra.sql.query<{ id: string; name: string }>(
      'SELECT id, name FROM supplier_tasks.suppliers WHERE id = ANY($1::text[])',
      [sent],
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...sent].sort());
    expect(rows.every((r) => r.name.endsWith('✓'))).toBe(true);
  });

  it('follows a command at rest in well under a second', async () => {
    const supplierId = randomUUID();
    await expectStatus(
      app.call('POST', '/suppliers', { supplierId, code: 'LAG', name: 'Lag' }),
      201,
    );
    const sent = Date.now();
    await until(
      async () =>
        (
          await app.running.infra.sql.query(
            'SELECT 1 FROM supplier_tasks.suppliers WHERE id = $1',
            [supplierId],
          )
        ).length === 1,
      'the command to reach the read model',
    );
    expect(Date.now() - sent).toBeLessThan(1000);
  });
});
