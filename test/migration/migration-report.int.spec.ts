import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectionDefinitions } from '../../projections';
import type { ProjectionDefinition } from '../../projections/projection-definition';
import { exportLog } from '../../src/application/audit/log-export';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import type { MigrationReport } from '../../src/migration-report/migration-report';
import { reportRun } from '../../src/migration-report/report-run';
import { writeBackup } from '../../src/migration-report/backup-file';
import { LocalProjectionsApi } from '../../src/projection-runner/local-projections-api';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { MigrationError, runMigration } from '../../src/projection-runner/projections-api';
import {
  fingerprintOfChain,
  upcasterChain,
  type UpcasterChain,
} from '../../src/projection-runner/upcaster-chain';
import { SEED_FILE } from '../support/seed';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';

const quiet = { step: () => undefined, progress: () => undefined };

/** A planted upcaster bug: every V1 task title loses its last character. */
const truncateTitles = (stored: Parameters<UpcasterChain['upcast']>[0]) =>
  upcasterChain
    .upcast(stored)
    .map((e) =>
      e.type === 'TaskCreated'
        ? { ...e, data: { ...e.data, title: String(e.data.title).slice(0, -1) } }
        : e,
    ) as ReturnType<UpcasterChain['upcast']>;
const brokenChain: UpcasterChain = {
  upcast: truncateTitles,
  fingerprint: fingerprintOfChain(truncateTitles),
};

/** A planted handler bug, injected as a definition: supplier_tasks loses every status change. */
const target = projectionDefinitions.find(
  (d) =>
    d.name === 'supplier_tasks' &&
    d.version ===
      Math.max(
        ...projectionDefinitions.filter((x) => x.name === 'supplier_tasks').map((x) => x.version),
      ),
)!;
const statusBlind: ProjectionDefinition = {
  ...target,
  apply: (event, rows) => {
    if (event.type !== 'SupplierTaskStatusChanged') target.apply(event, rows);
  },
};
const withStatusBlindTarget = projectionDefinitions.map((d) => (d === target ? statusBlind : d));

/** A handler that cannot apply the seed's notes: the rebuild stops there. */
const failsOnNotes: ProjectionDefinition = {
  ...target,
  apply: (event, rows) => {
    if (event.type === 'SupplierTaskNoteAdded') throw new Error('planted: notes cannot be applied');
    target.apply(event, rows);
  },
};
const withFailingTarget = projectionDefinitions.map((d) => (d === target ? failsOnNotes : d));

/** A planted view bug, injected as a definition: the instances' view lost its note counts. */
const detailsView = target.views!.task_instance_details!;
const withoutNoteCounts: ProjectionDefinition = {
  ...target,
  views: { ...target.views, task_instance_details: detailsView.replace(', i.notes_count', '') },
};
if (withoutNoteCounts.views!.task_instance_details === detailsView)
  throw new Error('the planted view bug no longer applies to the target version');
const withNoteCountsLost = projectionDefinitions.map((d) => (d === target ? withoutNoteCounts : d));

async function readAll(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe.each(SQL_BACKENDS)('the migration report, on %s', (_name, openDatabase) => {
  describe('after importing the seed history and migrating with --report', () => {
    let db: TestDatabase;
    let admin: ProjectionAdmin;
    let dir: string;
    let report: MigrationReport;
    beforeAll(async () => {
      db = await openDatabase();
      admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
      await importLegacyFile(db.store, SEED_FILE);
      dir = mkdtempSync(join(tmpdir(), 'migration-report-'));
      const api = new LocalProjectionsApi(admin);
      const run = await runMigration(api, quiet, {
        backup: (position) => writeBackup(dir, position, api.exportLog(position)),
      });
      report = await reportRun(api, run, dir);
    });
    afterAll(async () => {
      await db.close();
    });

    it('counts what the seed history holds (the numbers of issue 13)', () => {
      const written = JSON.parse(
        readFileSync(join(dir, 'migration-report.json'), 'utf8'),
      ) as MigrationReport;
      expect(written).toEqual(report);
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
      // legacy_v1 keeps no suppliers, projects or task types of its own.
      expect(report.counts!.v1).toEqual({
        suppliers: null,
        projects: null,
        taskTypes: null,
        taskTypeSections: 2,
        tasks: 4,
        projectTaskTemplates: 4,
        supplierProjectInstances: 1,
        supplierTaskInstances: 4,
      });
      expect(report.instances).toMatchObject({ active: 2, completed: 2, withNotes: 3 });
      expect(report.dueDates).toEqual({ agree: 4, total: 4 });
      expect(report.source).toEqual({ name: 'legacy_v1', version: 2 });
      expect(report.target.name).toBe('supplier_tasks');
      expect(report.positions).toEqual({ from: '0', to: '26' });
    });

    it('every check is named, grouped and passed; the Markdown shows them', () => {
      expect(new Set(report.checks.map((c) => c.group))).toEqual(
        new Set(['schema', 'integrity', 'relationships', 'business', 'performance']),
      );
      expect(report.checks.filter((c) => !c.passed)).toEqual([]);
      expect(report.checks.map((c) => c.name)).toEqual(
        expect.arrayContaining([
          'counts per entity kind preserved',
          'per-entity checksums',
          'every task in an existing section',
          "every instance's template exists",
          "every instance's task exists",
          "every instance's supplier project exists",
          'statuses',
          'note counts',
          'note texts',
          'effective due dates',
          'due-date overrides',
        ]),
      );
      const perf = report.checks.filter((c) => c.group === 'performance');
      expect(perf.length).toBeGreaterThan(0);
      for (const c of perf) expect(c.timing?.runs).toBe(20);
      const markdown = readFileSync(join(dir, 'migration-report.md'), 'utf8');
      expect(markdown).toContain('| Supplier task instances | 4 | 4 | preserved |');
      expect(markdown).toContain('| Suppliers | — | 1 | not in legacy_v1 v2 |');
      expect(markdown).toContain('**4 of 4** agree');
      for (const section of [
        'Summary',
        'Counts',
        'Critical business data',
        'Checks',
        'Backup and rollback',
        'Performance',
        'Retention',
      ])
        expect(markdown).toContain(`## ${section}`);
    });

    it('names the steps with their durations and rates, the rollback and the retention', async () => {
      expect(report.steps.map((s) => s.name)).toEqual([
        'rebuild legacy_v1 v2',
        'switch legacy_v1 to v2',
        `rebuild supplier_tasks v${report.target.version}`,
        `validate supplier_tasks v${report.target.version} against legacy_v1`,
        'back up the log to position 26',
        `switch supplier_tasks to v${report.target.version}`,
      ]);
      expect(report.steps[0]!.events).toBe(26);
      expect(report.steps[0]!.eventsPerSecond).toBeGreaterThan(0);
      // Nothing was live before: there is no version to roll back to.
      expect(report.rollback).toMatchObject({ previousVersion: null, command: null });
      const switchedAt = Date.parse(report.retention!.switchedAt);
      expect(Date.parse(report.retention!.until) - switchedAt).toBe(30 * 24 * 3600 * 1000);
      expect(report.retention!.projection).toBe('legacy_v1 v2');
      const [recorded] = await admin.migrations.list();
      expect(recorded).toMatchObject({ id: report.id, outcome: 'switched', failedChecks: [] });
    });

    it('the backup: its SHA-256 is the file’s, and importing it into an empty store reproduces the log', async () => {
      const file = join(dir, report.backup!.file);
      const bytes = readFileSync(file);
      expect(report.backup!.bytes).toBe(bytes.length);
      expect(report.backup!.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(report.backup!.position).toBe('26');
      const empty = await openDatabase();
      try {
        await importLegacyFile(empty.store, file);
        expect(await readAll(exportLog(empty.store))).toBe(bytes.toString('utf8'));
      } finally {
        await empty.close();
      }
    });
  });

  describe('a run with a broken upcaster chain', () => {
    let db: TestDatabase;
    let admin: ProjectionAdmin;
    let report: MigrationReport;
    beforeAll(async () => {
      db = await openDatabase();
      await importLegacyFile(db.store, SEED_FILE);
      admin = await ProjectionAdmin.open(
        db.store,
        db.sql,
        projectionDefinitions,
        undefined,
        brokenChain,
      );
      const api = new LocalProjectionsApi(admin);
      const failure = await runMigration(api, quiet).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MigrationError);
      report = await reportRun(api, (failure as MigrationError).run!, undefined);
    });
    afterAll(async () => {
      await db.close();
    });

    it('reports the failed check with its differences and refuses the switch', async () => {
      expect(report.outcome).toBe('refused');
      const checksums = report.checks.find((c) => c.name === 'per-entity checksums')!;
      expect(checksums.passed).toBe(false);
      // The seed's first task, as legacy_v1 read it from the raw event and as the chain cut it.
      expect(checksums.differences).toContainEqual(
        expect.stringContaining('cd0ecc70-367c-54be-aced-5b191bcc39bb'),
      );
      expect(checksums.differences.join('\n')).toContain('Submit material certificate <>');
      expect(report.checks.find((c) => c.name === 'counts per entity kind preserved')!.passed).toBe(
        true,
      );
      expect(report.retention).toBeNull();
      expect(report.backup).toBeNull();
      const live = (await admin.status()).filter((s) => s.live).map((s) => s.name);
      expect(live).toEqual(['legacy_v1']);
      const [recorded] = await admin.migrations.list();
      expect(recorded).toMatchObject({
        id: report.id,
        outcome: 'refused',
        failedChecks: ['integrity: per-entity checksums'],
      });
    });
  });

  describe('a run with a broken projection definition', () => {
    let db: TestDatabase;
    let report: MigrationReport;
    beforeAll(async () => {
      db = await openDatabase();
      await importLegacyFile(db.store, SEED_FILE);
      const admin = await ProjectionAdmin.open(db.store, db.sql, withStatusBlindTarget);
      const failure = await runMigration(new LocalProjectionsApi(admin), quiet).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MigrationError);
      report = await reportRun(
        new LocalProjectionsApi(admin),
        (failure as MigrationError).run!,
        undefined,
      );
    });
    afterAll(async () => {
      await db.close();
    });

    it('fails the statuses check, naming the instances whose status it lost', () => {
      expect(report.outcome).toBe('refused');
      const statuses = report.checks.find((c) => c.name === 'statuses')!;
      expect(statuses.passed).toBe(false);
      // The seed moves 3 of its 4 instances out of NOT_STARTED (2 completed, 1 in progress).
      expect(statuses.details).toContain('statuses agree for 1 of 4 task instances');
      expect(statuses.differences).toHaveLength(3);
      for (const d of statuses.differences) expect(d).toContain(': NOT_STARTED in supplier_tasks');
      expect(report.checks.find((c) => c.name === 'effective due dates')!.passed).toBe(true);
      expect(report.instances).toMatchObject({ active: 4, completed: 0 });
      expect(report.sourceInstances).toMatchObject({ active: 2, completed: 2 });
    });
  });

  describe('a candidate whose schema lost a column', () => {
    let db: TestDatabase;
    let admin: ProjectionAdmin;
    beforeAll(async () => {
      db = await openDatabase();
      await importLegacyFile(db.store, SEED_FILE);
      admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
      await admin.rebuild('legacy_v1', 2);
      await admin.catchUp('legacy_v1', 2);
      await admin.switchTo('legacy_v1', 2, true);
      await admin.rebuild('supplier_tasks', target.version);
      await admin.catchUp('supplier_tasks', target.version);
      await db.sql.exec(
        `ALTER TABLE supplier_tasks_v${target.version}.status_history DROP COLUMN from_status`,
      );
    });
    afterAll(async () => {
      await db.close();
    });

    it('fails the schema check naming the column, and nothing else', async () => {
      const report = await admin.validate('supplier_tasks', target.version, 'legacy_v1');
      expect(report.passed).toBe(false);
      expect(report.checks.filter((c) => !c.passed)).toEqual([
        expect.objectContaining({
          group: 'schema',
          name: `tables and views of supplier_tasks v${target.version}`,
          differences: ['column status_history.from_status is missing'],
        }),
      ]);
      await expect(admin.switchTo('supplier_tasks', target.version)).rejects.toThrow(
        /no passing validation/,
      );
    });
  });

  describe('a run whose candidate cannot answer every check (a view lost a column)', () => {
    let db: TestDatabase;
    let report: MigrationReport;
    beforeAll(async () => {
      db = await openDatabase();
      await importLegacyFile(db.store, SEED_FILE);
      const api = new LocalProjectionsApi(
        await ProjectionAdmin.open(db.store, db.sql, withNoteCountsLost),
      );
      const failure = await runMigration(api, quiet).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MigrationError);
      report = await reportRun(api, (failure as MigrationError).run!, undefined);
    });
    afterAll(async () => {
      await db.close();
    });

    it('is refused with a report: the checks it could not compute fail, naming the missing column', () => {
      expect(report.outcome).toBe('refused');
      const checksums = report.checks.find((c) => c.name === 'per-entity checksums')!;
      expect(checksums.passed).toBe(false);
      expect(checksums.details).toMatch(/could not be computed: .*notes_count/);
      expect(report.checks.find((c) => c.name === 'counts per entity kind preserved')!.passed).toBe(
        true,
      );
      expect(report.instances).toBeNull();
    });
  });

  describe('a run whose rebuild fails', () => {
    let db: TestDatabase;
    let admin: ProjectionAdmin;
    let report: MigrationReport;
    beforeAll(async () => {
      db = await openDatabase();
      await importLegacyFile(db.store, SEED_FILE);
      admin = await ProjectionAdmin.open(db.store, db.sql, withFailingTarget);
      const api = new LocalProjectionsApi(admin);
      const failure = await runMigration(api, quiet).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MigrationError);
      report = await reportRun(api, (failure as MigrationError).run!, undefined);
    });
    afterAll(async () => {
      await db.close();
    });

    it('is recorded as failed, saying where and why, with no comparison', async () => {
      expect(report.outcome).toBe('failed');
      expect(report.error).toMatch(/SupplierTaskNoteAdded .*planted: notes cannot be applied/);
      expect(report.checks).toEqual([]);
      expect(report.counts).toBeNull();
      expect(report.positions.to).toBeNull();
      const [recorded] = await admin.migrations.list();
      expect(recorded).toMatchObject({ id: report.id, outcome: 'failed', error: report.error });
    });
  });
});
