import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectionDefinitions } from '../../projections';
import { RemoteProjectionsApi } from '../../src/cli/remote-projections-api';
import { openInfrastructure, type Infrastructure } from '../../src/eventstore/infrastructure';
import { loadConfig } from '../../src/config';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { writeBackup } from '../../src/migration-report/backup-file';
import type { MigrationReport } from '../../src/migration-report/migration-report';
import type { MigrationRecord } from '../../src/migration-report/migration-runs';
import { reportRun } from '../../src/migration-report/report-run';
import { LocalProjectionsApi } from '../../src/projection-runner/local-projections-api';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { MigrationError, runMigration } from '../../src/projection-runner/projections-api';
import {
  fingerprintOfChain,
  upcasterChain,
  type UpcasterChain,
} from '../../src/projection-runner/upcaster-chain';
import { startAccessApp, type AccessApp } from '../auth/support/access-app';
import { createTestDatabase } from '../support/postgres';
import { SEED_FILE } from '../support/seed';

const ADMIN_KEY = 'st_migration-report-admin-0123456789abcdefghijk';
const quiet = { step: () => undefined, progress: () => undefined };

/** The planted bug of issue 13: an upcaster chain that loses every task type's second milestone. */
const dropSecondMilestone = (stored: Parameters<UpcasterChain['upcast']>[0]) =>
  stored.type === 'MilestoneCreated' && stored.data.code === 'PA3'
    ? []
    : upcasterChain.upcast(stored);
const brokenChain: UpcasterChain = {
  upcast: dropSecondMilestone,
  fingerprint: fingerprintOfChain(dropSecondMilestone),
};

const BACKENDS = ['postgres', 'pglite'] as const;

interface Seeded {
  app: AccessApp;
  close(): Promise<void>;
}

/**
 * The seed history imported before the service starts (on an empty log the newest versions would
 * go live by themselves), with `before` run on the store first, as a CLI in process would.
 */
async function seededService(
  backend: (typeof BACKENDS)[number],
  before: (infra: Infrastructure) => Promise<void> = async () => undefined,
): Promise<Seeded> {
  const dataDir = mkdtempSync(join(tmpdir(), 'migration-report-http-'));
  const db = backend === 'postgres' ? await createTestDatabase('st_migration_http') : undefined;
  const infra = await openInfrastructure({
    ...loadConfig({}),
    dataDir,
    databaseUrl: db?.url,
    eventStoreUrl: undefined,
  });
  try {
    await importLegacyFile(infra.eventStore, SEED_FILE);
    await before(infra);
  } finally {
    await infra.close();
  }
  const app = await startAccessApp({ backend, adminKey: ADMIN_KEY, dataDir, databaseUrl: db?.url });
  return {
    app,
    close: async () => {
      await app.close();
      await db?.drop();
    },
  };
}

describe.each(BACKENDS)('migration runs over HTTP, on %s', (backend) => {
  describe('migrate through the running service (the CLI remote path)', () => {
    let seeded: Seeded;
    let app: AccessApp;
    let dir: string;
    let report: MigrationReport;
    beforeAll(async () => {
      seeded = await seededService(backend);
      app = seeded.app;
      dir = mkdtempSync(join(tmpdir(), 'migration-report-http-'));
      const api = new RemoteProjectionsApi(
        { url: app.running.url, from: 'SERVICE_URL' },
        ADMIN_KEY,
      );
      const run = await runMigration(api, quiet, {
        backup: (position) => writeBackup(dir, position, api.exportLog(position)),
      });
      report = await reportRun(api, run, dir);
    }, 90_000);
    afterAll(async () => seeded?.close(), 30_000);

    it('the report holds the seed history’s numbers and its backup the log', () => {
      expect(report.outcome).toBe('switched');
      expect(report.counts!.v2).toEqual({
        suppliers: 1,
        projects: 1,
        taskTypes: 1,
        taskTypeSections: 2,
        tasks: 4,
        projectTaskTemplates: 4,
        supplierProjectInstances: 1,
        supplierTaskInstances: 4,
      });
      expect(report.instances).toMatchObject({ active: 2, completed: 2, withNotes: 3 });
      expect(report.dueDates).toEqual({ agree: 4, total: 4 });
      const bytes = readFileSync(join(dir, report.backup!.file));
      expect(report.backup!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      // The seed's 26 lines, the 7 claims the import's backfill takes (a supplier code, a project
      // code, an assignment, four template references) and the position it records.
      expect(bytes.toString('utf8').split('\n').filter(Boolean)).toHaveLength(26 + 7 + 1);
    });

    it('GET /migrations lists the run as switched', async () => {
      const listed = await app.send('get', '/migrations', ADMIN_KEY);
      expect(listed.status).toBe(200);
      expect(listed.body as MigrationRecord[]).toEqual([
        expect.objectContaining({
          id: report.id,
          kind: 'migrate',
          outcome: 'switched',
          target: `supplier_tasks v${report.target.version}`,
          failedChecks: [],
        }),
      ]);
    });

    it('GET /migrations/{id}/report: JSON by default, Markdown and HTML on request', async () => {
      const path = `/migrations/${report.id}/report`;
      const json = await app.send('get', path, ADMIN_KEY);
      expect(json.status).toBe(200);
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.body).toEqual(report);

      const markdown = await app.send('get', path, ADMIN_KEY).set('Accept', 'text/markdown');
      expect(markdown.status).toBe(200);
      expect(markdown.headers['content-type']).toMatch(/^text\/markdown/);
      expect(markdown.text).toBe(readFileSync(join(dir, 'migration-report.md'), 'utf8'));
      expect(markdown.text).toContain('| Tasks | 4 | 4 | preserved |');

      const html = await app.send('get', path, ADMIN_KEY).set('Accept', 'text/html');
      expect(html.status).toBe(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.text).toContain('<h1>Migration report: legacy_v1 v2 → supplier_tasks v');
      // The counts table is a table, and nothing in the page is script or a link.
      expect(html.text).toMatch(/<table>[\s\S]*<td>Suppliers<\/td>/);
      expect(html.text).not.toMatch(/<(script|a|img|iframe)\b/);
    });

    it('a bad id is a 400 naming it, an unknown one a 404, a bad report a 400 naming the field', async () => {
      const bad = await app.send('get', '/migrations/not-a-uuid/report', ADMIN_KEY);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('"id"');
      const unknown = await app.send(
        'get',
        '/migrations/00000000-0000-4000-8000-000000000000/report',
        ADMIN_KEY,
      );
      expect(unknown.status).toBe(404);
      const posted = await app
        .send('post', '/migrations', ADMIN_KEY)
        .send({ ...report, id: '00000000-0000-4000-8000-000000000001', outcome: 'maybe' });
      expect(posted.status).toBe(400);
      expect(JSON.stringify(posted.body)).toContain('body.outcome');
    });

    it('an operator key records a validation run but not a migration run (a migration switches)', async () => {
      const made = await app
        .send('post', '/admin/keys', ADMIN_KEY)
        .send({ name: 'report-operator', roles: ['operator'] });
      const operator = made.body.secret as string;
      const migration = await app
        .send('post', '/migrations', operator)
        .send({ ...report, id: '00000000-0000-4000-8000-000000000002' });
      expect(migration.status).toBe(403);
      const validation = await app
        .send('post', '/migrations', operator)
        .send({ ...report, id: '00000000-0000-4000-8000-000000000003', kind: 'validate' });
      expect(validation.status).toBe(204);
      const listed = (await app.send('get', '/migrations', operator)).body as MigrationRecord[];
      expect(listed.map((r) => r.id).sort()).toEqual(
        ['00000000-0000-4000-8000-000000000003', report.id].sort(),
      );
    });
  });

  describe('a run refused by a broken upcaster chain', () => {
    let seeded: Seeded;
    let app: AccessApp;
    let report: MigrationReport;
    beforeAll(async () => {
      seeded = await seededService(backend, async (infra) => {
        const api = new LocalProjectionsApi(
          await ProjectionAdmin.open(
            infra.eventStore,
            infra.sql,
            projectionDefinitions,
            undefined,
            brokenChain,
          ),
        );
        const failure = await runMigration(api, quiet).then(
          () => undefined,
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(MigrationError);
        report = await reportRun(api, (failure as MigrationError).run!, undefined);
      });
      app = seeded.app;
    }, 90_000);
    afterAll(async () => seeded?.close(), 30_000);

    it('GET /migrations shows it refused with its failed checks; its report the differences', async () => {
      const listed = await app.send('get', '/migrations', ADMIN_KEY);
      expect(listed.body).toEqual([
        expect.objectContaining({
          id: report.id,
          outcome: 'refused',
          failedChecks: expect.arrayContaining([
            'integrity: counts per entity kind preserved',
            'integrity: per-entity checksums',
            'relationships: every task in an existing section',
          ]),
        }),
      ]);
      const json = await app.send('get', `/migrations/${report.id}/report`, ADMIN_KEY);
      const counts = (json.body as MigrationReport).checks.find(
        (c) => c.name === 'counts per entity kind preserved',
      )!;
      expect(counts.passed).toBe(false);
      expect(counts.differences).toContain(
        'taskTypeSections: 1 in supplier_tasks v4, 2 in legacy_v1 v2',
      );
      const markdown = await app
        .send('get', `/migrations/${report.id}/report`, ADMIN_KEY)
        .set('Accept', 'text/markdown');
      expect(markdown.text).toContain('### Failed: integrity — counts per entity kind preserved');
      expect(markdown.text).toContain(
        '- taskTypeSections: 1 in supplier_tasks v4, 2 in legacy_v1 v2',
      );
      expect(markdown.text).toContain(
        '| Task type sections (V1 milestones) | 2 | 1 | differs by -1 |',
      );
    });
  });
});
