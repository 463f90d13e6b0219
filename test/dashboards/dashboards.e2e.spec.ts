import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { LocalProjectionsApi } from '../../src/projection-runner/local-projections-api';
import type { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import { runMigration } from '../../src/projection-runner/projections-api';
import { PROJECTION_ADMIN } from '../../src/tokens';
import { HTTP_BACKENDS, type TestApp } from '../http/support/http-app';
import { SEED_FILE, seedLines } from '../support/seed';
import { byHand, seedInstancesByHand } from './seed-hand-count';

const quiet = { step: () => undefined, progress: () => undefined };
const AS_OF = '2025-07-01';
const PROJECT = '042120be-d427-586a-8668-16bf75507aa5';
const SUPPLIER_PROJECT = 'b17716e5-e881-509a-9caf-9dfb9dbad646';
const IN_PROGRESS_TASK = 'babe1f08-fe7b-5278-a91a-29a067635ed4';

/** Polls until `check` passes (or its last failure after `ms`): the read model follows the log. */
async function eventually(check: () => Promise<void>, ms = 1000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

describe.each(HTTP_BACKENDS)('dashboards on %s, seed history migrated', (_name, start) => {
  let api: TestApp;
  const get = async (path: string) => {
    const response = await api.call('GET', path);
    return { status: response.status, body: response.body as Record<string, unknown> };
  };
  const ids = (body: Record<string, unknown>) =>
    (body.items as Array<{ id: string }>).map((i) => i.id);

  beforeAll(async () => {
    api = await start();
  });
  afterAll(async () => {
    await api.close();
  });

  describe('after import and migration', () => {
    beforeAll(async () => {
      const { infra, app } = api.running;
      await importLegacyFile(infra.eventStore, SEED_FILE);
      const admin = app.get<ProjectionAdmin>(PROJECTION_ADMIN);
      await runMigration(new LocalProjectionsApi(admin), quiet);
      // The versions that went live on the empty log follow the import in the service's loop.
      for (let i = 0; i < 300; i++) {
        const lag = await get('/dashboards/lag');
        if (lag.status === 200 && String(lag.body.lag) === '0') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

    it('the project shows 4 tasks, 2 completed', async () => {
      const { status, body } = await get(`/dashboards/progress?by=project&asOf=${AS_OF}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ asOf: AS_OF, by: 'project', dueSoonDays: 14 });
      expect(body.rows).toEqual([
        {
          key: PROJECT,
          label: 'MY2026 Brake Caliper',
          total: 4,
          notStarted: 1,
          inProgress: 1,
          completed: 2,
          overdue: 0,
          dueSoon: 0,
        },
      ]);
    });

    it('the PA2 section: 2 of 2 completed; PA3 none', async () => {
      const { body } = await get(
        `/dashboards/progress?by=section&projectId=${PROJECT}&asOf=${AS_OF}`,
      );
      const rows = body.rows as Array<{ label: string; total: number; completed: number }>;
      expect(rows.map((r) => [r.label, r.total, r.completed])).toEqual([
        ['PA2 - Initial Samples', 2, 2],
        ['PA3 - Production Approval', 2, 0],
      ]);
    });

    it.each([
      [AS_OF, 14],
      [AS_OF, 60],
      ['2025-09-01', 30],
      ['2025-10-01', 0],
    ])(
      'overdue and due-soon lists as of %s (%i days) equal a hand count of the file',
      async (asOf, days) => {
        const until = new Date(Date.parse(`${asOf}T00:00:00Z`) + days * 86_400_000)
          .toISOString()
          .slice(0, 10);
        const expected = byHand(asOf, until);
        const query = `asOf=${asOf}&dueSoonDays=${days}`;
        expect(ids((await get(`/dashboards/instances?state=overdue&${query}`)).body)).toEqual(
          expected.overdue,
        );
        expect(ids((await get(`/dashboards/instances?state=due-soon&${query}`)).body)).toEqual(
          expected.dueSoon,
        );
        const progress = await get(`/dashboards/progress?by=supplier&${query}`);
        expect(progress.body.rows).toMatchObject([
          { overdue: expected.overdue.length, dueSoon: expected.dueSoon.length },
        ]);
      },
    );

    it('counts open instances per due week, the overdue ones apart, as a hand count of the file', async () => {
      // Mondays by hand: 1970-01-05 was one.
      const monday = (date: string) => {
        const days = Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
        return new Date((days - ((((days - 4) % 7) + 7) % 7)) * 86_400_000)
          .toISOString()
          .slice(0, 10);
      };
      const weeks = new Map<string, { week: string; overdue: number; notYetDue: number }>();
      for (const i of seedInstancesByHand().filter((x) => x.status !== 'COMPLETED')) {
        const week = weeks.get(monday(i.dueDate)) ?? {
          week: monday(i.dueDate),
          overdue: 0,
          notYetDue: 0,
        };
        if (i.dueDate < '2025-09-01') week.overdue += 1;
        else week.notYetDue += 1;
        weeks.set(week.week, week);
      }
      const { status, body } = await get('/dashboards/due-weeks?asOf=2025-09-01');
      expect(status).toBe(200);
      expect(body).toEqual({
        asOf: '2025-09-01',
        weeks: [...weeks.values()].sort((a, b) => a.week.localeCompare(b.week)),
        withoutDueDate: 0,
      });
      expect(
        (await get(`/dashboards/due-weeks?projectId=${PROJECT}&asOf=2025-09-01`)).body,
      ).toEqual(body);
      const refused = await get('/dashboards/due-weeks?dueSoonDays=3');
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('dueSoonDays');
    });

    it('pages progress rows with limit and cursor, and names a bad limit', async () => {
      const first = await get(`/dashboards/progress?by=section&limit=1&asOf=${AS_OF}`);
      expect((first.body.rows as Array<{ label: string }>).map((r) => r.label)).toEqual([
        'PA2 - Initial Samples',
      ]);
      const next = await get(
        `/dashboards/progress?by=section&limit=1&cursor=${String(first.body.nextCursor)}&asOf=${AS_OF}`,
      );
      expect((next.body.rows as Array<{ label: string }>).map((r) => r.label)).toEqual([
        'PA3 - Production Approval',
      ]);
      expect(next.body.nextCursor).toBeNull();
      const refused = await get('/dashboards/progress?by=supplier&limit=1001');
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('limit');
    });

    it('pages every instance in (due date, id) order with a cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '' : `&cursor=${cursor}`;
        const { body } = await get(`/dashboards/instances?state=all&limit=3${query}`);
        seen.push(...ids(body));
        cursor = body.nextCursor as string | null;
      } while (cursor !== null);
      const all = seedInstancesByHand().sort(
        (a, b) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id),
      );
      expect(seen).toEqual(all.map((i) => i.id));
    });

    it('lists suppliers, projects and the task type tree; an instance with notes and history', async () => {
      const suppliers = await get('/suppliers');
      expect(suppliers.body).toEqual({
        items: [
          {
            id: 'e3bf3bdb-53ad-5ed2-b8e6-9df6697119ee',
            code: 'SUP-0001',
            name: 'Acme Castings GmbH',
          },
        ],
        nextCursor: null,
      });
      expect(ids((await get('/projects')).body)).toEqual([PROJECT]);
      const types = (await get('/task-types')).body.items as Array<{
        sections: Array<{ code: string; tasks: unknown[] }>;
      }>;
      expect(types[0]!.sections.map((s) => [s.code, s.tasks.length])).toEqual([
        ['PA2', 2],
        ['PA3', 2],
      ]);
      const detail = await get(`/supplier-task-instances/${IN_PROGRESS_TASK}`);
      expect(detail.body).toMatchObject({
        id: IN_PROGRESS_TASK,
        status: 'IN_PROGRESS',
        dueDate: '2025-08-29',
        notes: [{ text: 'Trial booked for week 34; waiting on tooling release.' }],
        statusHistory: [{ from: 'NOT_STARTED', to: 'IN_PROGRESS' }],
      });
      expect(
        (await get('/supplier-task-instances/00000000-0000-4000-8000-000000000000')).status,
      ).toBe(404);
    });

    it('names the bad parameter and why (400), never a 500', async () => {
      for (const [query, field] of [
        ['by=week', 'by'],
        ['by=project&asOf=2025-13-01', 'asOf'],
        ['by=project&dueSoonDays=-1', 'dueSoonDays'],
        ['by=project&supplierId=x', 'supplierId'],
        ['by=project&colour=red', 'colour'],
      ] as const) {
        const { status, body } = await get(`/dashboards/progress?${query}`);
        expect([status, (body.issues as Array<{ field: string; in: string }>)[0]]).toEqual([
          400,
          expect.objectContaining({ field, in: 'query' }),
        ]);
      }
      for (const [query, field] of [
        ['limit=501', 'limit'],
        ['cursor=nonsense', 'cursor'],
        ['state=late', 'state'],
        ['status=DONE', 'status'],
      ] as const) {
        const { status, body } = await get(`/dashboards/instances?${query}`);
        expect([status, (body.issues as Array<{ field: string }>)[0]?.field]).toEqual([400, field]);
      }
    });

    it('reflects a command within a second, and says how far it is behind the log', async () => {
      const complete = await api.call(
        'POST',
        `/supplier-projects/${SUPPLIER_PROJECT}/tasks/${IN_PROGRESS_TASK}/complete`,
      );
      expect(complete.status).toBe(200);
      await eventually(async () => {
        const { body } = await get(`/dashboards/progress?by=project&asOf=${AS_OF}`);
        expect(body.rows).toMatchObject([{ completed: 3, inProgress: 0 }]);
      });
      await eventually(async () => {
        const lag = await get('/dashboards/lag');
        expect(lag.body).toMatchObject({ name: 'supplier_tasks', lag: '0' });
        expect(lag.body.position).toBe(String(seedLines().length + 1));
      });
    });
  });
});
