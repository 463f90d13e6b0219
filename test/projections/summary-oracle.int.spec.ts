import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkV1Lines } from '../../tools/v1-history/check-v1-history';
import { generateV1History, writeV1Lines, type V1Line } from '../../tools/v1-history';
import { projectionDefinitions } from '../../projections';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { LocalProjectionsApi } from '../../src/projection-runner/local-projections-api';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { runMigration } from '../../src/projection-runner/projections-api';
import { SEED_EXPECTED_FILE, SEED_FILE } from '../support/seed';
import { SQL_BACKENDS, type TestDatabase } from '../support/stores';
import { uncovered } from '../support/v1-coverage';
import { parseNdjson, v1SummaryOracle } from '../support/v1-summary-oracle';

const quiet = { step: () => undefined, progress: () => undefined };
const dir = mkdtempSync(join(tmpdir(), 'summary-oracle-'));

/** A hand-written history with every case EVENTS.md allows, each named where it happens. */
function everyCaseHistory(): V1Line[] {
  const lines: V1Line[] = [];
  let n = 0;
  const id = (k: number) => `c0ffee00-0000-4000-8000-${String(k).padStart(12, '0')}`;
  const add = (
    category: string,
    key: string,
    type: string,
    data: Record<string, unknown>,
    metadata: Record<string, unknown> = {},
  ) => {
    n++;
    lines.push({
      streamId: `${category}-${key}`,
      eventId: id(10_000 + n),
      type,
      data,
      metadata: {
        occurredAt: new Date(Date.UTC(2024, 0, 1, 8, n)).toISOString(),
        actor: 'legacy-portal',
        ...metadata,
      },
    });
  };
  const [s1, s2, p1, p2, tt1, tt2, tt3, tt4] = [1, 2, 3, 4, 5, 6, 7, 8].map(id) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [m1, m2, m3, m4, m5] = [11, 12, 13, 14, 15].map(id) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const [t1, t2, t3, t4] = [21, 22, 23, 24].map(id) as [string, string, string, string];
  const [pmt1, pmt2, pmt3, pmt4, pmt5, pmt6] = [31, 32, 33, 34, 35, 36].map(id) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const [spi1, spi2, spi3] = [41, 42, 43].map(id) as [string, string, string];
  const [i1, i2, i3, i4, i5] = [51, 52, 53, 54, 55].map(id) as [
    string,
    string,
    string,
    string,
    string,
  ];

  // Suppliers: a rename, unicode, unknown extra fields in data and metadata.
  add('supplier', s1, 'SupplierRegistered', { supplierId: s1, code: 'SUP-1', name: 'Acme GmbH' });
  add(
    'supplier',
    s2,
    'SupplierRegistered',
    { supplierId: s2, code: 'SUP-2', name: 'שרשרת "אספקה"', vatId: 'IL-1', tags: ['a'] },
    { portalNode: 'web-3', client: { ua: 'IE11' } },
  );
  add('supplier', s1, 'SupplierRenamed', { supplierId: s1, name: 'Acme 🏭 AG \\ "Guss"' });
  add('project', p1, 'ProjectCreated', { projectId: p1, code: 'PRJ-1', name: 'Bremse\nMY2026' });
  add(
    'project',
    p2,
    'ProjectCreated',
    { projectId: p2, code: 'PRJ-2', name: 'مشروع' },
    { causationId: id(9) },
  );
  // Categories from names: any case, "part approval" before "nmr".
  add('tasktype', tt1, 'TaskTypeCreated', { taskTypeId: tt1, name: 'PART APPROVAL – PPAP' });
  add('tasktype', tt2, 'TaskTypeCreated', { taskTypeId: tt2, name: 'Nmr review 🔍' });
  add('tasktype', tt3, 'TaskTypeCreated', { taskTypeId: tt3, name: 'Tooling' });
  add('tasktype', tt4, 'TaskTypeCreated', {
    taskTypeId: tt4,
    name: 'NMR and part approval',
    legacyKind: 7,
  });
  // Milestones: one renamed (RTL), one deleted while it never had a task, one deleted once its
  // only task moved away.
  add('tasktype', tt1, 'MilestoneCreated', {
    taskTypeId: tt1,
    milestoneId: m1,
    code: 'PA2',
    name: 'PA2 - Samples',
    sortOrder: 1,
  });
  add('tasktype', tt1, 'MilestoneCreated', {
    taskTypeId: tt1,
    milestoneId: m2,
    code: 'PA3',
    name: 'PA3',
    sortOrder: 2,
  });
  add('tasktype', tt1, 'MilestoneCreated', {
    taskTypeId: tt1,
    milestoneId: m3,
    code: 'PA4',
    name: 'never used',
    sortOrder: 3,
  });
  add('tasktype', tt1, 'MilestoneCreated', {
    taskTypeId: tt1,
    milestoneId: m4,
    code: 'PA5',
    name: 'emptied',
    sortOrder: 4,
    colour: 'red',
  });
  add('tasktype', tt2, 'MilestoneCreated', {
    taskTypeId: tt2,
    milestoneId: m5,
    code: 'N1',
    name: 'N1',
    sortOrder: 1,
  });
  add('tasktype', tt1, 'MilestoneRenamed', {
    taskTypeId: tt1,
    milestoneId: m2,
    name: 'PA3 – אישור ייצור',
  });
  add('tasktype', tt1, 'TaskCreated', {
    taskTypeId: tt1,
    milestoneId: m1,
    taskId: t1,
    title: 'Dimensional report',
    sortOrder: 1,
  });
  add('tasktype', tt1, 'TaskCreated', {
    taskTypeId: tt1,
    milestoneId: m1,
    taskId: t2,
    title: 'Material certs',
    sortOrder: 2,
  });
  add('tasktype', tt1, 'TaskCreated', {
    taskTypeId: tt1,
    milestoneId: m4,
    taskId: t3,
    title: 'Run at rate',
    sortOrder: 1,
  });
  add('tasktype', tt2, 'TaskCreated', {
    taskTypeId: tt2,
    milestoneId: m5,
    taskId: t4,
    title: 'NMR sign-off',
    sortOrder: 1,
  });
  add('tasktype', tt1, 'MilestoneDeleted', { taskTypeId: tt1, milestoneId: m3 });
  add('tasktype', tt1, 'TaskMovedToMilestone', {
    taskTypeId: tt1,
    taskId: t3,
    fromMilestoneId: m4,
    toMilestoneId: m2,
  });
  add('tasktype', tt1, 'MilestoneDeleted', { taskTypeId: tt1, milestoneId: m4 });
  add('tasktype', tt1, 'TaskRenamed', {
    taskTypeId: tt1,
    taskId: t2,
    title: 'Certs "3.1" C:\\certs\\\nline 2',
  });
  // Project milestone tasks; two that no instance references are removed (one after a date change).
  add('project', p1, 'ProjectMilestoneTaskCreated', {
    projectId: p1,
    projectMilestoneTaskId: pmt1,
    milestoneId: m1,
    taskId: t1,
    dueDate: '2024-03-01',
  });
  add('project', p1, 'ProjectMilestoneTaskCreated', {
    projectId: p1,
    projectMilestoneTaskId: pmt2,
    milestoneId: m1,
    taskId: t2,
    dueDate: '2024-03-15',
  });
  add('project', p1, 'ProjectMilestoneTaskCreated', {
    projectId: p1,
    projectMilestoneTaskId: pmt3,
    milestoneId: m2,
    taskId: t3,
    dueDate: '2024-04-30',
  });
  add('project', p2, 'ProjectMilestoneTaskCreated', {
    projectId: p2,
    projectMilestoneTaskId: pmt4,
    milestoneId: m5,
    taskId: t4,
    dueDate: '2024-05-31',
  });
  add('project', p1, 'ProjectMilestoneTaskCreated', {
    projectId: p1,
    projectMilestoneTaskId: pmt5,
    milestoneId: m1,
    taskId: t2,
    dueDate: '2024-06-01',
  });
  add('project', p2, 'ProjectMilestoneTaskCreated', {
    projectId: p2,
    projectMilestoneTaskId: pmt6,
    milestoneId: m1,
    taskId: t1,
    dueDate: '2024-06-02',
  });
  add('project', p1, 'ProjectMilestoneTaskRemoved', {
    projectId: p1,
    projectMilestoneTaskId: pmt5,
  });
  add('project', p2, 'ProjectMilestoneTaskDueDateChanged', {
    projectId: p2,
    projectMilestoneTaskId: pmt6,
    dueDate: '2024-07-01',
  });
  add('project', p2, 'ProjectMilestoneTaskRemoved', {
    projectId: p2,
    projectMilestoneTaskId: pmt6,
  });
  // Supplier project instances and their task instances.
  add('supplierproject', spi1, 'SupplierProjectInstanceCreated', {
    supplierProjectInstanceId: spi1,
    supplierId: s1,
    projectId: p1,
  });
  add('supplierproject', spi2, 'SupplierProjectInstanceCreated', {
    supplierProjectInstanceId: spi2,
    supplierId: s2,
    projectId: p1,
  });
  add('supplierproject', spi3, 'SupplierProjectInstanceCreated', {
    supplierProjectInstanceId: spi3,
    supplierId: s1,
    projectId: p2,
  });
  const ref = (spi: string, i: string) => ({
    supplierProjectInstanceId: spi,
    supplierTaskInstanceId: i,
  });
  add('supplierproject', spi1, 'SupplierTaskInstanceCreated', {
    ...ref(spi1, i1),
    projectMilestoneTaskId: pmt1,
  });
  add('supplierproject', spi1, 'SupplierTaskInstanceCreated', {
    ...ref(spi1, i2),
    projectMilestoneTaskId: pmt2,
  });
  add('supplierproject', spi1, 'SupplierTaskInstanceCreated', {
    ...ref(spi1, i3),
    projectMilestoneTaskId: pmt3,
    legacyPriority: 'high',
  });
  add('supplierproject', spi2, 'SupplierTaskInstanceCreated', {
    ...ref(spi2, i4),
    projectMilestoneTaskId: pmt1,
  });
  add('supplierproject', spi3, 'SupplierTaskInstanceCreated', {
    ...ref(spi3, i5),
    projectMilestoneTaskId: pmt4,
  });
  // Overrides: i4 overridden twice (the last one counts), before its PMT's date changes.
  add('supplierproject', spi2, 'SupplierTaskDueDateOverridden', {
    ...ref(spi2, i4),
    dueDate: '2024-02-20',
  });
  add('supplierproject', spi2, 'SupplierTaskDueDateOverridden', {
    ...ref(spi2, i4),
    dueDate: '2024-02-25',
  });
  // A PMT's due date changes after instances exist: i1 follows it, i4 keeps its override.
  add('project', p1, 'ProjectMilestoneTaskDueDateChanged', {
    projectId: p1,
    projectMilestoneTaskId: pmt1,
    dueDate: '2024-03-08',
  });
  add('project', p1, 'ProjectMilestoneTaskDueDateChanged', {
    projectId: p1,
    projectMilestoneTaskId: pmt3,
    dueDate: '2024-05-10',
  });
  // The task of an instance moves: the instance's section follows.
  add('tasktype', tt1, 'TaskMovedToMilestone', {
    taskTypeId: tt1,
    taskId: t1,
    fromMilestoneId: m1,
    toMilestoneId: m2,
  });
  const status = (spi: string, i: string, from: string, to: string) =>
    add(
      'supplierproject',
      spi,
      'SupplierTaskStatusChanged',
      { ...ref(spi, i), from, to },
      { actor: 'j.keller@acme.example' },
    );
  // i1 completed then reopened; i2 completed straight away; i3 started and put back; i5 completed,
  // reopened and completed again.
  status(spi1, i1, 'NOT_STARTED', 'IN_PROGRESS');
  status(spi1, i1, 'IN_PROGRESS', 'COMPLETED');
  status(spi1, i1, 'COMPLETED', 'IN_PROGRESS');
  status(spi1, i2, 'NOT_STARTED', 'COMPLETED');
  status(spi1, i3, 'NOT_STARTED', 'IN_PROGRESS');
  status(spi1, i3, 'IN_PROGRESS', 'NOT_STARTED');
  status(spi3, i5, 'NOT_STARTED', 'COMPLETED');
  status(spi3, i5, 'COMPLETED', 'IN_PROGRESS');
  status(spi3, i5, 'IN_PROGRESS', 'COMPLETED');
  const note = (
    spi: string,
    i: string,
    k: number,
    text: string,
    author = 'j.keller@acme.example',
  ) =>
    add(
      'supplierproject',
      spi,
      'SupplierTaskNoteAdded',
      { ...ref(spi, i), noteId: id(60 + k), text, author },
      { ip: '10.0.0.1' },
    );
  note(spi1, i1, 1, 'Uploaded 👍 — see C:\\reports\\cmm.pdf');
  note(spi1, i1, 2, 'Reopened:\n"dimension 4" out of tolerance', "Zoë Ø'Brien");
  note(spi1, i3, 3, 'ملاحظة\twith tab', 'مورد');
  note(spi3, i5, 4, '', 'empty note');
  // The PMT of a completed instance changes date later still.
  add('project', p1, 'ProjectMilestoneTaskDueDateChanged', {
    projectId: p1,
    projectMilestoneTaskId: pmt2,
    dueDate: '2024-12-24',
  });
  return lines;
}

describe('the summary oracle (independent of the service)', () => {
  it('folds seed-report.ndjson into seed-report.expected.json', () => {
    const expected: unknown = JSON.parse(readFileSync(SEED_EXPECTED_FILE, 'utf8'));
    expect(v1SummaryOracle(parseNdjson(readFileSync(SEED_FILE, 'utf8')))).toEqual(expected);
  });

  it('reads the every-case history as EVENTS.md says', () => {
    const summary = v1SummaryOracle(everyCaseHistory());
    expect(summary.counts).toEqual({
      suppliers: 2,
      projects: 2,
      taskTypes: 4,
      taskTypeSections: 3,
      tasks: 4,
      projectTaskTemplates: 4,
      supplierProjectInstances: 3,
      supplierTaskInstances: 5,
    });
    expect(summary.instances).toEqual({
      active: 3,
      completed: 2,
      withNotes: 3,
      notes: 4,
      overridden: 1,
    });
    expect(Object.values(summary.taskTypeCategories)).toEqual([
      'PART_APPROVAL',
      'NMR',
      'UNCLASSIFIED',
      'PART_APPROVAL',
    ]);
    const instances = Object.values(summary.supplierTaskInstances);
    expect(instances.map((i) => [i.status, i.dueDate, i.dueDateOverridden, i.notes])).toEqual([
      ['IN_PROGRESS', '2024-03-08', false, 2],
      ['COMPLETED', '2024-12-24', false, 0],
      ['NOT_STARTED', '2024-05-10', false, 1],
      ['NOT_STARTED', '2024-02-25', true, 0],
      ['COMPLETED', '2024-05-31', false, 1],
    ]);
  });
});

const generated = (seed: number) => [...generateV1History({ events: 1200, seed, rich: true })];

it('the generated histories compared below hold every V1 event type and every case', async () => {
  const checks = [11, 12, 13].map((seed) =>
    checkV1Lines(generated(seed).map((line) => JSON.stringify(line))),
  );
  expect(uncovered(await Promise.all(checks))).toEqual([]);
});

/**
 * One database per back-end (opening one is the slow part): histories with disjoint ids are
 * imported one after the other, so the oracle of everything imported so far is what the summary
 * must show. The first part goes through the migration (rebuild from position 0, validate,
 * switch); the rest arrives after the switch and is applied by the live versions following the log.
 */
describe.each(SQL_BACKENDS)('summary deep-equals the oracle, on %s', (_name, openDatabase) => {
  let db: TestDatabase;
  let admin: ProjectionAdmin;
  const imported: V1Line[] = [];
  const importHistory = async (name: string, lines: V1Line[]) => {
    const file = join(dir, name);
    await writeV1Lines(file, lines);
    await importLegacyFile(db.store, file);
    imported.push(...lines);
  };
  beforeAll(async () => {
    db = await openDatabase();
    admin = await ProjectionAdmin.open(db.store, db.sql, projectionDefinitions);
  });
  afterAll(() => db.close());

  it('a hand-written history with every case EVENTS.md allows, and a generated one (unicode, unknown fields): import, migrate', async () => {
    await importHistory('every-case.ndjson', everyCaseHistory());
    await importHistory('generated-11.ndjson', generated(11));
    await runMigration(new LocalProjectionsApi(admin), quiet);
    expect(await admin.summary()).toEqual(v1SummaryOracle(imported));
  });

  it('more legacy history after the switch: the live versions follow it', async () => {
    await importHistory('generated-12.ndjson', generated(12));
    await importHistory('generated-13.ndjson', generated(13));
    for (const name of ['legacy_v1', 'supplier_tasks']) {
      expect(await admin.catchUp(name, 1)).toMatchObject({ status: 'running', lag: '0' });
    }
    expect(await admin.summary()).toEqual(v1SummaryOracle(imported));
    expect(await admin.validate('supplier_tasks', 1, 'legacy_v1')).toMatchObject({ passed: true });
  });
});
