import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startApp, type RunningApp } from '../../src/app';
import { exportLog } from '../../src/application/audit/log-export';
import { backfillClaims } from '../../src/application/claims-backfill';
import { CommandExecutor } from '../../src/application/command-executor';
import type { AppConfig } from '../../src/config';
import type { NewEvent } from '../../src/eventstore/event';
import type { EventStore } from '../../src/eventstore/event-store.port';
import { openInfrastructure } from '../../src/eventstore/infrastructure';
import { createTestDatabase } from '../support/postgres';
import { seedLines } from '../support/seed';
import { TEST_ADMIN_KEY } from '../support/test-keys';

/*
 * Codes, assignments and instances that were in the log before the claims (a V1 import, V2
 * events of an earlier build) hold their claims once imported or once the service starts: a
 * new command meets them. The seed's ids are the fixture's (test/fixtures/legacy-v1/).
 */
const SEED = {
  supplierId: 'e3bf3bdb-53ad-5ed2-b8e6-9df6697119ee',
  supplierCode: 'SUP-0001',
  projectId: '042120be-d427-586a-8668-16bf75507aa5',
  projectCode: 'PRJ-2026-BC',
  supplierProjectInstanceId: 'b17716e5-e881-509a-9caf-9dfb9dbad646',
  // ProjectMilestoneTaskCreated 4e83a8f7… is the template of instance b84bf8fe…
  templateId: '4e83a8f7-8a0a-55c0-a76b-c943dbcaff15',
  instanceOfTemplate: 'b84bf8fe-cda6-56db-a626-e4896ddbbcfa',
};
/** The claims the seed takes: a supplier code, a project code, an assignment, four instances. */
const SEED_CLAIMS = 7;
const CLAIM_CATEGORIES = [
  'suppliercode',
  'projectcode',
  'supplierassignment',
  'templatereferences',
];

interface Backend {
  config: AppConfig;
  cleanUp(): Promise<void>;
}

const configOf = (dataDir: string, databaseUrl: string | undefined): AppConfig => ({
  dataDir,
  databaseUrl,
  eventStoreUrl: undefined,
  port: 0,
  host: '127.0.0.1',
  adminKey: TEST_ADMIN_KEY,
});

/** A fresh store that a test may write to before the service starts on it. */
const BACKENDS: Array<[string, () => Promise<Backend>]> = [
  [
    'PGlite',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'claims-e2e-'));
      return {
        config: configOf(dataDir, undefined),
        cleanUp: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase('st_claims');
      const dataDir = mkdtempSync(join(tmpdir(), 'claims-e2e-pg-'));
      return {
        config: configOf(dataDir, db.url),
        cleanUp: async () => {
          await db.drop();
          rmSync(dataDir, { recursive: true, force: true });
        },
      };
    },
  ],
];

const call = (
  running: RunningApp,
  method: 'post' | 'delete' | 'get',
  path: string,
  body?: Record<string, unknown>,
) => {
  const req = request(running.app.getHttpServer())
    [method](path)
    .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`);
  return body === undefined ? req : req.set('Content-Type', 'application/json').send(body);
};

interface ImportAnswer {
  type: string;
  written?: number;
  claims?: { written: number; unclaimed: Array<Record<string, unknown>> };
}

/** `POST /admin/import` of these lines; every answer line. */
async function importThroughService(running: RunningApp, lines: unknown[]) {
  const res = await request(running.app.getHttpServer())
    .post('/admin/import')
    .set('Authorization', `Bearer ${TEST_ADMIN_KEY}`)
    .set('Content-Type', 'application/x-ndjson')
    .send(lines.map((l) => JSON.stringify(l)).join('\n'));
  expect(res.status).toBe(200);
  return res.text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ImportAnswer);
}

async function claimEvents(store: EventStore) {
  return store.readAll({ after: 0n, maxCount: 10_000, categories: CLAIM_CATEGORIES });
}

/** The seed as appended by hand: the store itself, no import, no claims. */
async function appendDirectly(store: EventStore, lines: Array<Record<string, unknown>>) {
  const revisions = new Map<string, number>();
  for (const line of lines) {
    const { streamId, ...event } = line as unknown as { streamId: string } & NewEvent;
    const revision = revisions.get(streamId) ?? -1;
    await store.append(streamId, [event], revision === -1 ? 'no_stream' : revision);
    revisions.set(streamId, revision + 1);
  }
}

const v2 = (streamId: string, type: string, data: Record<string, unknown>) => ({
  streamId,
  eventId: randomUUID(),
  type,
  schemaVersion: 2,
  data,
  metadata: { occurredAt: '2026-03-01T08:00:00.000Z', actor: 'earlier-build' },
});

/** Registers a fresh back-end for the block, its store given to `fill` before the tests. */
function withFreshStore(
  backend: () => Promise<Backend>,
  fill: (store: EventStore) => Promise<void>,
) {
  let b: Backend | undefined;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    b = await backend();
    const infra = await openInfrastructure(b.config);
    close = () => infra.close();
    await fill(infra.eventStore);
  });
  afterAll(async () => {
    await close?.();
    await b?.cleanUp();
  });
}

describe.each(BACKENDS)('claims of what the log held before them, on %s', (_name, backend) => {
  describe('a V1 history imported through POST /admin/import', () => {
    let b: Backend;
    let running: RunningApp;
    let answers: ImportAnswer[];
    beforeAll(async () => {
      b = await backend();
      running = await startApp(b.config, { logger: false });
      answers = await importThroughService(running, seedLines());
    });
    afterAll(async () => {
      await running?.close();
      await b?.cleanUp();
    });

    it('reports the claims the import took, with its progress', () => {
      expect(answers.some((a) => a.type === 'claims')).toBe(true);
      const done = answers.at(-1)!;
      expect(done).toMatchObject({ type: 'done', written: 26 });
      expect(done.claims).toMatchObject({ written: SEED_CLAIMS, unclaimed: [] });
    });

    it("refuses a new supplier with the legacy supplier's code, naming it (any case)", async () => {
      for (const code of [SEED.supplierCode, ' sup-0001 ']) {
        const res = await call(running, 'post', '/suppliers', { code, name: 'Copycat' });
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({
          code: 'SUPPLIER.CODE_TAKEN',
          existing: { supplierId: SEED.supplierId },
        });
      }
    });

    it("refuses a new project with the legacy project's code, naming it", async () => {
      const res = await call(running, 'post', '/projects', { code: SEED.projectCode, name: 'P' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ existing: { projectId: SEED.projectId } });
    });

    it('refuses a second assignment of the seed supplier to the seed project, naming the legacy one', async () => {
      const res = await call(running, 'post', '/supplier-projects', {
        supplierId: SEED.supplierId,
        projectId: SEED.projectId,
      });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({
        code: 'SUPPLIER_PROJECT.ALREADY_ASSIGNED',
        existing: { supplierProjectInstanceId: SEED.supplierProjectInstanceId },
      });
    });

    it('refuses to remove a template a legacy instance references, naming the instance', async () => {
      const res = await call(
        running,
        'delete',
        `/projects/${SEED.projectId}/templates/${SEED.templateId}`,
      );
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({
        code: 'TEMPLATE.REFERENCED',
        details: {
          templateId: SEED.templateId,
          supplierTaskInstances: [
            {
              supplierProjectInstanceId: SEED.supplierProjectInstanceId,
              supplierTaskInstanceId: SEED.instanceOfTemplate,
            },
          ],
        },
      });
    });

    it('appends nothing when the import or the backfill runs again', async () => {
      const store = running.infra.eventStore;
      const head = await store.headPosition();
      const again = (await importThroughService(running, seedLines())).at(-1)!;
      expect(again).toMatchObject({ type: 'done', written: 0, claims: { written: 0 } });
      const report = await backfillClaims(new CommandExecutor(store), store);
      expect(report.written).toBe(0);
      expect(await store.headPosition()).toBe(head);
    });
  });

  describe('a restore of an export that holds its claims', () => {
    let from: Backend;
    let to: Backend;
    let source: RunningApp;
    let restored: RunningApp;
    beforeAll(async () => {
      [from, to] = [await backend(), await backend()];
      source = await startApp(from.config, { logger: false });
      await importThroughService(source, seedLines());
      restored = await startApp(to.config, { logger: false });
    });
    afterAll(async () => {
      await source?.close();
      await restored?.close();
      await from?.cleanUp();
      await to?.cleanUp();
    });

    it('appends nothing of its own: export → import → export is byte-identical', async () => {
      const exported = async (store: EventStore) => {
        let text = '';
        for await (const chunk of exportLog(store)) text += chunk;
        return text;
      };
      const first = await exported(source.infra.eventStore);
      expect(first).toContain('"type":"SupplierCodeReserved"');
      const lines = first
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown);
      const done = (await importThroughService(restored, lines)).at(-1)!;
      expect(done).toMatchObject({ type: 'done', claims: { written: 0, unclaimed: [] } });
      expect(await exported(restored.infra.eventStore)).toBe(first);
    });
  });

  describe('a V1 history that holds duplicates', () => {
    const secondSupplierId = '7a1c2f64-0b9e-4c1d-8e55-3d2a9f6b7c01';
    const secondAssignmentId = '5d8e1b2a-6c4f-4a3e-9b17-0f2c8d6e4a93';
    const duplicates = [
      {
        streamId: `supplier-${secondSupplierId}`,
        eventId: '9e4b7c1a-2d3f-4e5a-8b6c-7d8e9f0a1b2c',
        type: 'SupplierRegistered',
        data: { supplierId: secondSupplierId, code: 'sup-0001', name: 'Acme Castings (again)' },
        metadata: { occurredAt: '2025-05-06T08:00:00.000Z', actor: 'legacy-portal' },
      },
      {
        streamId: `supplierproject-${secondAssignmentId}`,
        eventId: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9',
        type: 'SupplierProjectInstanceCreated',
        data: {
          supplierProjectInstanceId: secondAssignmentId,
          supplierId: SEED.supplierId,
          projectId: SEED.projectId,
        },
        metadata: { occurredAt: '2025-05-06T08:10:00.000Z', actor: 'legacy-portal' },
      },
    ];
    let b: Backend;
    let running: RunningApp;
    let done: ImportAnswer;
    beforeAll(async () => {
      b = await backend();
      running = await startApp(b.config, { logger: false });
      done = (await importThroughService(running, [...seedLines(), ...duplicates])).at(-1)!;
    });
    afterAll(async () => {
      await running?.close();
      await b?.cleanUp();
    });

    it('imports them all, and lists each duplicate with the first holder, in log order', () => {
      expect(done).toMatchObject({ type: 'done', written: 28 });
      expect(done.claims!.written).toBe(SEED_CLAIMS);
      expect(done.claims!.unclaimed).toEqual([
        expect.objectContaining({
          streamId: `supplier-${secondSupplierId}`,
          code: 'SUPPLIER.CODE_TAKEN',
          details: { code: 'sup-0001', existing: { supplierId: SEED.supplierId } },
        }),
        expect.objectContaining({
          streamId: `supplierproject-${secondAssignmentId}`,
          code: 'SUPPLIER_PROJECT.ALREADY_ASSIGNED',
          details: expect.objectContaining({
            existing: { supplierProjectInstanceId: SEED.supplierProjectInstanceId },
          }),
        }),
      ]);
    });

    it('keeps the duplicates in the log as the file has them', async () => {
      for (const line of duplicates) {
        const stored = await running.infra.eventStore.readStream(line.streamId);
        expect(stored).toHaveLength(1);
        expect(stored[0]).toMatchObject({
          eventId: line.eventId,
          type: line.type,
          schemaVersion: 1,
          data: line.data,
        });
      }
      const res = await call(running, 'get', `/streams/supplier-${secondSupplierId}/events`);
      expect(res.status).toBe(200);
    });

    it('the code stays the first holder’s for new commands', async () => {
      const res = await call(running, 'post', '/suppliers', { code: 'SUP-0001', name: 'Third' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ existing: { supplierId: SEED.supplierId } });
    });
  });

  describe('a log written without claims (an earlier build), at service start', () => {
    const supplierId = randomUUID();
    const projectId = randomUUID();
    const assignmentId = randomUUID();
    const templateId = randomUUID();
    const instanceId = randomUUID();
    const supplierCode = `SUP-EARLIER-${randomUUID().slice(0, 8)}`;
    const projectCode = `PRJ-EARLIER-${randomUUID().slice(0, 8)}`;
    let b: Backend;
    let running: RunningApp;
    beforeAll(async () => {
      b = await backend();
      const infra = await openInfrastructure(b.config);
      try {
        await appendDirectly(infra.eventStore, [
          v2(`supplier-${supplierId}`, 'SupplierRegistered', {
            supplierId,
            code: supplierCode,
            name: 'Earlier',
          }),
          v2(`project-${projectId}`, 'ProjectCreated', { projectId, code: projectCode, name: 'P' }),
          v2(`project-${projectId}`, 'ProjectTaskTemplateCreated', {
            projectId,
            templateId,
            taskTypeId: null,
            taskId: randomUUID(),
            dueDate: '2026-06-15',
          }),
          v2(`supplierproject-${assignmentId}`, 'SupplierProjectInstanceCreated', {
            supplierProjectInstanceId: assignmentId,
            supplierId,
            projectId,
          }),
          v2(`supplierproject-${assignmentId}`, 'SupplierTaskInstanceCreated', {
            supplierProjectInstanceId: assignmentId,
            supplierTaskInstanceId: instanceId,
            templateId,
            taskId: null,
          }),
        ]);
        expect(await claimEvents(infra.eventStore)).toEqual([]);
      } finally {
        await infra.close();
      }
      running = await startApp(b.config, { logger: false });
    });
    afterAll(async () => {
      await running?.close();
      await b?.cleanUp();
    });

    it('gets its claims before the first request', async () => {
      const claims = await claimEvents(running.infra.eventStore);
      expect(claims.map((e) => e.type).sort()).toEqual([
        'ProjectCodeReserved',
        'SupplierAssignmentReserved',
        'SupplierCodeReserved',
        'TemplateReferenced',
      ]);
      const supplier = await call(running, 'post', '/suppliers', {
        code: supplierCode.toLowerCase(),
        name: 'Copycat',
      });
      expect(supplier.status).toBe(409);
      expect(supplier.body).toMatchObject({ existing: { supplierId } });
      const assignment = await call(running, 'post', '/supplier-projects', {
        supplierId,
        projectId,
      });
      expect(assignment.status).toBe(409);
      expect(assignment.body).toMatchObject({
        existing: { supplierProjectInstanceId: assignmentId },
      });
      const removal = await call(
        running,
        'delete',
        `/projects/${projectId}/templates/${templateId}`,
      );
      expect(removal.status).toBe(422);
      expect(removal.body).toMatchObject({
        details: {
          supplierTaskInstances: [
            { supplierProjectInstanceId: assignmentId, supplierTaskInstanceId: instanceId },
          ],
        },
      });
    });

    it('a second start reads on from the recorded position and appends nothing', async () => {
      await running.close();
      const head = await (async () => {
        const infra = await openInfrastructure(b.config);
        try {
          return await infra.eventStore.headPosition();
        } finally {
          await infra.close();
        }
      })();
      running = await startApp(b.config, { logger: false });
      expect(await running.infra.eventStore.headPosition()).toBe(head);
    });
  });

  describe('two backfills at once on a log without claims', () => {
    let store: EventStore;
    withFreshStore(backend, async (opened) => {
      store = opened;
      await appendDirectly(store, seedLines());
    });

    it('write each claim once, and a third run writes nothing', async () => {
      await Promise.all([
        backfillClaims(new CommandExecutor(store), store),
        backfillClaims(new CommandExecutor(store), store),
      ]);
      const claims = await claimEvents(store);
      expect(claims).toHaveLength(SEED_CLAIMS);
      expect(new Set(claims.map((e) => e.eventId)).size).toBe(SEED_CLAIMS);
      const head = await store.headPosition();
      const third = await backfillClaims(new CommandExecutor(store), store);
      expect(third.written).toBe(0);
      expect(await store.headPosition()).toBe(head);
    });
  });

  describe('a run that finds only claims already taken, many of them', () => {
    /** More than a run reads before it records its position with nothing to take (10,000). */
    const INSTANCES = 14_000;
    let store: EventStore;
    withFreshStore(backend, async (opened) => {
      store = opened;
      const [supplierId, projectId, assignmentId] = [1, 2, 3].map(() => randomUUID());
      // A hundred instances per template, as a project's suppliers have.
      const templateIds = Array.from({ length: INSTANCES / 100 }, () => randomUUID());
      await appendDirectly(store, [
        v2(`supplier-${supplierId}`, 'SupplierRegistered', {
          supplierId,
          code: `SUP-MANY-${randomUUID().slice(0, 8)}`,
          name: 'Many',
        }),
        v2(`project-${projectId}`, 'ProjectCreated', {
          projectId,
          code: `PRJ-MANY-${randomUUID().slice(0, 8)}`,
          name: 'P',
        }),
        ...templateIds.map((templateId) =>
          v2(`project-${projectId}`, 'ProjectTaskTemplateCreated', {
            projectId,
            templateId,
            taskTypeId: null,
            taskId: randomUUID(),
            dueDate: '2026-06-15',
          }),
        ),
      ]);
      const stream = `supplierproject-${assignmentId}`;
      const { streamId: _, ...created } = v2(stream, 'SupplierProjectInstanceCreated', {
        supplierProjectInstanceId: assignmentId,
        supplierId,
        projectId,
      });
      const instances = Array.from({ length: INSTANCES }, (_i, n) => {
        const { streamId: __, ...event } = v2(stream, 'SupplierTaskInstanceCreated', {
          supplierProjectInstanceId: assignmentId,
          supplierTaskInstanceId: randomUUID(),
          templateId: templateIds[n % templateIds.length],
          taskId: null,
        });
        return event;
      });
      await store.append(stream, [created, ...instances], 'no_stream');
    });

    it('records how far it read, so that the next run does not read them again', async () => {
      const first = await backfillClaims(new CommandExecutor(store), store);
      expect(first.written).toBe(INSTANCES + 3);
      const head = await store.headPosition();
      // What the second run reads: the first one's claims past where it stopped reading.
      expect(head - BigInt(first.upTo)).toBeGreaterThanOrEqual(10_000n);
      const second = await backfillClaims(new CommandExecutor(store), store);
      expect(second).toMatchObject({ from: first.upTo, upTo: String(head), written: 0 });
      const third = await backfillClaims(new CommandExecutor(store), store);
      expect(third).toMatchObject({ from: String(head), upTo: String(head), events: 0 });
    });
  });

  describe('a legacy code whose claim a command took a page further on in the log', () => {
    const code = `SUP-LATER-${randomUUID().slice(0, 8)}`;
    const legacyId = randomUUID();
    const commandId = randomUUID();
    const projectId = randomUUID();
    let store: EventStore;
    withFreshStore(backend, async (opened) => {
      store = opened;
      const project = [
        v2(`project-${projectId}`, 'ProjectCreated', { projectId, code: `P-${code}`, name: 'P' }),
        ...Array.from({ length: 2000 }, () =>
          v2(`project-${projectId}`, 'ProjectTaskTemplateCreated', {
            projectId,
            templateId: randomUUID(),
            taskTypeId: null,
            taskId: randomUUID(),
            dueDate: '2026-06-15',
          }),
        ),
      ];
      await appendDirectly(store, [
        v2(`supplier-${legacyId}`, 'SupplierRegistered', { supplierId: legacyId, code, name: 'L' }),
      ]);
      // A page of the log (2,000 events) in between: the legacy supplier's claim is decided
      // before the command's is read, on a claim stream the backfill has not seen yet.
      await store.append(
        `project-${projectId}`,
        project.map(({ streamId: _, ...event }) => event),
        'no_stream',
      );
      // A command of a build with claims, as it writes: its claim, then its supplier.
      await appendDirectly(store, [
        v2(`suppliercode-${code.toLowerCase()}`, 'SupplierCodeReserved', {
          value: code,
          holderId: commandId,
        }),
        v2(`supplier-${commandId}`, 'SupplierRegistered', {
          supplierId: commandId,
          code,
          name: 'C',
        }),
      ]);
    });

    it("leaves the code to the command's supplier and lists the legacy one", async () => {
      const report = await backfillClaims(new CommandExecutor(store), store);
      expect(report.unclaimed).toEqual([
        expect.objectContaining({
          streamId: `supplier-${legacyId}`,
          code: 'SUPPLIER.CODE_TAKEN',
          details: expect.objectContaining({ existing: { supplierId: commandId } }) as unknown,
        }),
      ]);
      // The project's code: the only claim missing.
      expect(report.written).toBe(1);
      const codeClaims = (await claimEvents(store)).filter((e) =>
        e.streamId.startsWith('suppliercode-'),
      );
      expect(codeClaims.map((e) => e.data)).toEqual([{ value: code, holderId: commandId }]);
    });
  });

  describe('a claim whose holder never came to exist (a keyless crash)', () => {
    let b: Backend;
    let running: RunningApp;
    beforeAll(async () => {
      b = await backend();
      running = await startApp(b.config, { logger: false });
    });
    afterAll(async () => {
      await running?.close();
      await b?.cleanUp();
    });

    /** The claim a crashed registration left: appended to the store directly. */
    const orphanClaim = async (code: string, recordedAt?: string) => {
      const holderId = randomUUID();
      await running.infra.eventStore.append(
        `suppliercode-${code.toLowerCase()}`,
        [
          {
            eventId: randomUUID(),
            type: 'SupplierCodeReserved',
            schemaVersion: 2,
            data: { value: code, holderId },
            metadata: { occurredAt: '2026-03-01T08:00:00.000Z', actor: 'crashed' },
            ...(recordedAt === undefined ? {} : { restored: { recordedAt } }),
          },
        ],
        'no_stream',
      );
      return holderId;
    };
    const anHourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

    it('is taken over by the next registration once it is past the grace period', async () => {
      const code = `SUP-ORPHAN-${randomUUID().slice(0, 8)}`;
      const orphan = await orphanClaim(code, anHourAgo());
      const res = await call(running, 'post', '/suppliers', { code, name: 'Survivor' });
      expect(res.status).toBe(201);
      const claim = await running.infra.eventStore.readStream(`suppliercode-${code.toLowerCase()}`);
      expect(claim.map((e) => [e.type, e.data.holderId])).toEqual([
        ['SupplierCodeReserved', orphan],
        ['SupplierCodeReleased', orphan],
        ['SupplierCodeReserved', (res.body as { id: string }).id],
      ]);
    });

    it('of an assignment is taken over too (its holder is a supplier project that never came to exist)', async () => {
      const created = async (path: string, body: Record<string, unknown>) => {
        const res = await call(running, 'post', path, body);
        expect(res.status).toBe(201);
        return (res.body as { id: string }).id;
      };
      const suffix = randomUUID().slice(0, 8);
      const supplierId = await created('/suppliers', { code: `SUP-AO-${suffix}`, name: 'S' });
      const projectId = await created('/projects', { code: `PRJ-AO-${suffix}`, name: 'P' });
      const orphan = randomUUID();
      await running.infra.eventStore.append(
        `supplierassignment-${supplierId}_${projectId}`,
        [
          {
            eventId: randomUUID(),
            type: 'SupplierAssignmentReserved',
            schemaVersion: 2,
            data: { value: `supplier ${supplierId} in project ${projectId}`, holderId: orphan },
            metadata: { occurredAt: '2026-03-01T08:00:00.000Z', actor: 'crashed' },
            restored: { recordedAt: anHourAgo() },
          },
        ],
        'no_stream',
      );
      const assignment = await created('/supplier-projects', { supplierId, projectId });
      const again = await call(running, 'post', '/supplier-projects', { supplierId, projectId });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ existing: { supplierProjectInstanceId: assignment } });
    });

    it('is kept within the grace period (its command may still be on its way)', async () => {
      const code = `SUP-RECENT-${randomUUID().slice(0, 8)}`;
      const holder = await orphanClaim(code);
      const res = await call(running, 'post', '/suppliers', { code, name: 'Too early' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ existing: { supplierId: holder } });
    });

    describe('of a template reference', () => {
      let projectId: string;
      let newTemplate: () => Promise<string>;
      beforeAll(async () => {
        const created = async (path: string, body: Record<string, unknown>) => {
          const res = await call(running, 'post', path, body);
          expect(res.status).toBe(201);
          return (res.body as { id: string }).id;
        };
        projectId = await created('/projects', {
          code: `PRJ-REF-${randomUUID().slice(0, 8)}`,
          name: 'P',
        });
        const taskTypeId = await created('/task-types', { name: 'PA', category: 'PART_APPROVAL' });
        const sectionId = await created(`/task-types/${taskTypeId}/sections`, {
          code: 'PA2',
          name: 'PA2',
          sortOrder: 1,
        });
        const taskId = await created(`/task-types/${taskTypeId}/tasks`, {
          sectionId,
          title: 'Report',
          sortOrder: 1,
        });
        newTemplate = () =>
          created(`/projects/${projectId}/templates`, {
            taskTypeId,
            taskId,
            dueDate: '2026-06-15',
          });
      });
      /** The reference a crashed instance creation left, for an instance never created. */
      const orphanReference = async (templateId: string, recordedAt?: string) => {
        const ref = {
          templateId,
          supplierProjectInstanceId: randomUUID(),
          supplierTaskInstanceId: randomUUID(),
        };
        await running.infra.eventStore.append(
          `templatereferences-${templateId}`,
          [
            {
              eventId: randomUUID(),
              type: 'TemplateReferenced',
              schemaVersion: 2,
              data: ref,
              metadata: { occurredAt: '2026-03-01T08:00:00.000Z', actor: 'crashed' },
              ...(recordedAt === undefined ? {} : { restored: { recordedAt } }),
            },
          ],
          'no_stream',
        );
        return ref;
      };

      it('no longer keeps the template from being removed past the grace period', async () => {
        const templateId = await newTemplate();
        await orphanReference(templateId, anHourAgo());
        const removal = await call(
          running,
          'delete',
          `/projects/${projectId}/templates/${templateId}`,
        );
        expect(removal.status).toBe(200);
      });

      it('keeps it within the grace period, naming the instance', async () => {
        const templateId = await newTemplate();
        const ref = await orphanReference(templateId);
        const removal = await call(
          running,
          'delete',
          `/projects/${projectId}/templates/${templateId}`,
        );
        expect(removal.status).toBe(422);
        expect(removal.body).toMatchObject({
          code: 'TEMPLATE.REFERENCED',
          details: {
            supplierTaskInstances: [
              {
                supplierProjectInstanceId: ref.supplierProjectInstanceId,
                supplierTaskInstanceId: ref.supplierTaskInstanceId,
              },
            ],
          },
        });
      });
    });

    it('goes to exactly one of 10 concurrent registrations; the others get 409 naming it', async () => {
      const code = `SUP-RACE-${randomUUID().slice(0, 8)}`;
      await orphanClaim(code, anHourAgo());
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => call(running, 'post', '/suppliers', { code, name: 'R' })),
      );
      const won = answers.filter((r) => r.status === 201);
      expect(won).toHaveLength(1);
      const winner = (won[0]!.body as { id: string }).id;
      const lost = answers.filter((r) => r.status !== 201);
      expect(lost.map((r) => r.status)).toEqual(Array(9).fill(409));
      for (const r of lost) expect(r.body).toMatchObject({ existing: { supplierId: winner } });
    });
  });
});
