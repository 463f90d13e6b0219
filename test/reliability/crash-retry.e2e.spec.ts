import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Client } from 'pg';
import { PgliteSqlClient } from '../../src/eventstore/sql/pglite-sql-client';
import { createTestDatabase } from '../support/postgres';
import { startService, type ServiceProcess } from './support/service-process';
import { AUTHORIZATION } from '../support/test-keys';

/**
 * Keyed commands under load while the service is killed with SIGKILL at random moments, then
 * restarted; every request is retried with its key until it is answered, and once more at the
 * end. Each request's key is also its X-Request-Id, so its events carry it as causationId and
 * the log tells how many times a request was written.
 */
const REQUESTS = 480;
const KILLS = 3;
const WORKERS = 6;
/** A retry of a request whose claim is still held answers 409 IN_PROGRESS: try again this long. */
const PATIENCE_MS = 120_000;

type Method = 'POST' | 'PUT';
interface Keyed {
  key: string;
  method: Method;
  path: string;
  body: Record<string, unknown>;
}
interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function send(url: string, r: Keyed): Promise<Answer> {
  const res = await fetch(`${url}${r.path}`, {
    method: r.method,
    headers: {
      'content-type': 'application/json',
      ...AUTHORIZATION,
      'idempotency-key': r.key,
      'x-request-id': r.key,
    },
    body: JSON.stringify(r.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** An answer that a retry cannot change: anything but "still in progress" and server errors. */
const isFinal = (a: Answer) =>
  a.status < 500 && !(a.status === 409 && a.body.code === 'IDEMPOTENCY.IN_PROGRESS');

interface World {
  supplierIds: string[];
  projectId: string;
  spiId: string;
  taskInstanceIds: string[];
}

async function buildWorld(url: string): Promise<World> {
  let n = 0;
  const created = async (path: string, body: Record<string, unknown>): Promise<string> => {
    const a = await send(url, { key: `world-${(n += 1)}`, method: 'POST', path, body });
    if (a.status !== 201) throw new Error(`POST ${path}: ${a.status} ${JSON.stringify(a.body)}`);
    return a.body.id as string;
  };
  const supplierIds: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    supplierIds.push(await created('/suppliers', { code: `W-${i}`, name: `World ${i}` }));
  }
  const projectId = await created('/projects', { code: 'WP', name: 'World project' });
  const taskTypeId = await created('/task-types', { name: 'Approval', category: 'PART_APPROVAL' });
  const sectionId = await created(`/task-types/${taskTypeId}/sections`, {
    code: 'PA2',
    name: 'PA2',
    sortOrder: 1,
  });
  const templateIds: string[] = [];
  for (const title of ['Report', 'Certificates']) {
    const taskId = await created(`/task-types/${taskTypeId}/tasks`, {
      sectionId,
      title,
      sortOrder: templateIds.length + 1,
    });
    templateIds.push(
      await created(`/projects/${projectId}/templates`, {
        taskTypeId,
        taskId,
        dueDate: '2027-01-31',
      }),
    );
  }
  const spiId = await created('/supplier-projects', { supplierId: supplierIds[0], projectId });
  const taskInstanceIds: string[] = [];
  for (const templateId of templateIds) {
    taskInstanceIds.push(await created(`/supplier-projects/${spiId}/tasks`, { templateId }));
  }
  return { supplierIds, projectId, spiId, taskInstanceIds };
}

/** Mixed commands, each writing exactly one event: creates with generated ids, renames, notes. */
function load(world: World, random: () => number): Keyed[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  return Array.from({ length: REQUESTS }, (_, i): Keyed => {
    const key = `load-${i}-${Math.floor(random() * 1e9)}`;
    switch (i % 5) {
      case 0:
        return {
          key,
          method: 'POST',
          path: '/suppliers',
          body: { code: `S-${i}`, name: `S ${i}` },
        };
      case 1:
        return { key, method: 'POST', path: '/projects', body: { code: `P-${i}`, name: `P ${i}` } };
      case 2:
        return {
          key,
          method: 'PUT',
          path: `/suppliers/${pick(world.supplierIds)}/name`,
          body: { name: `Renamed ${i}` },
        };
      case 3:
        return {
          key,
          method: 'POST',
          path: `/supplier-projects/${world.spiId}/tasks/${pick(world.taskInstanceIds)}/notes`,
          body: { text: `note ${i}`, author: 'crash-test' },
        };
      default:
        return {
          key,
          method: 'POST',
          path: '/supplier-projects',
          body: { supplierId: pick(world.supplierIds), projectId: world.projectId },
        };
    }
  });
}

/** Sends requests from `queue` with WORKERS at a time until it is empty or the service dies. */
async function drive(url: string, queue: Keyed[], answers: Map<string, Answer>): Promise<void> {
  let dead = false;
  const worker = async () => {
    for (;;) {
      if (dead) return;
      const r = queue.shift();
      if (r === undefined) return;
      const answer = await send(url, r).catch(() => undefined);
      if (answer === undefined) dead = true;
      if (answer !== undefined && isFinal(answer)) {
        if (!answers.has(r.key)) answers.set(r.key, answer);
      } else queue.push(r); // unanswered: retried with its key later
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
}

const BACKENDS: Array<
  [
    string,
    () => Promise<{
      env: Record<string, string>;
      eventsPerKey: () => Promise<Map<string, number>>;
      drop: () => Promise<void>;
    }>,
  ]
> = [
  [
    'PGlite folder',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'crash-retry-'));
      return {
        env: { DATA_DIR: dataDir, DATABASE_URL: '' },
        eventsPerKey: async () => {
          const sql = await PgliteSqlClient.open(join(dataDir, 'pglite'));
          try {
            return countByKey(await sql.query(COUNT_BY_KEY));
          } finally {
            await sql.close();
          }
        },
        drop: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const db = await createTestDatabase();
      return {
        env: { DATABASE_URL: db.url },
        eventsPerKey: async () => {
          const pg = new Client({ connectionString: db.url });
          await pg.connect();
          try {
            return countByKey((await pg.query(COUNT_BY_KEY)).rows);
          } finally {
            await pg.end();
          }
        },
        drop: db.drop,
      };
    },
  ],
];

const COUNT_BY_KEY = `SELECT metadata->>'causationId' AS key, count(*)::int AS n
  FROM es_events GROUP BY 1`;
const countByKey = (rows: Array<{ key: string; n: number }>) =>
  new Map(rows.map((row) => [row.key, Number(row.n)]));

describe.each(BACKENDS)('keyed commands, SIGKILL and restart, retries (%s)', (_name, open) => {
  it('writes every key at most once and answers every retry as the first time', async () => {
    const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
    const random = rng(seed);
    const backend = await open();
    let service: ServiceProcess | undefined;
    try {
      service = await startService(backend.env);
      const world = await buildWorld(service.url);
      const requests = load(world, random);
      const queue = [...requests];
      const answers = new Map<string, Answer>();
      for (let kill = 0; kill < KILLS; kill += 1) {
        const running = drive(service.url, queue, answers);
        await new Promise((resolve) => setTimeout(resolve, 200 + Math.floor(random() * 800)));
        service.child.kill('SIGKILL');
        expect(await service.exited).toBeNull();
        await running;
        service = await startService(backend.env);
      }
      const started = Date.now();
      while (queue.length > 0 && Date.now() - started < PATIENCE_MS) {
        await drive(service.url, queue, answers);
        if (queue.length > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const settledAfterMs = Date.now() - started;
      expect(queue.map((r) => r.key)).toEqual([]);

      // Every request once more with its key: the answer it got the first time.
      const replays = new Map<string, Answer>();
      await drive(service.url, [...requests], replays);
      const changed = requests.filter((r) => {
        const first = answers.get(r.key)!;
        if (first.status >= 300) return false;
        // Compared as values: the stored response is JSONB, which orders keys its own way.
        return !isDeepStrictEqual(replays.get(r.key), first);
      });
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      service = undefined;

      const perKey = await backend.eventsPerKey();
      const duplicated = requests.filter((r) => (perKey.get(r.key) ?? 0) > 1).map((r) => r.key);
      const acknowledged = requests.filter((r) => answers.get(r.key)!.status < 300);
      const unwritten = acknowledged.filter((r) => (perKey.get(r.key) ?? 0) !== 1);
      process.stdout.write(
        `CRASH_SEED=${seed} ${_name}: ${duplicated.length} keys written twice, ` +
          `${changed.length} 2xx answers changed on retry, ${acknowledged.length}/${REQUESTS} 2xx, ` +
          `all answered ${settledAfterMs} ms after the last restart\n`,
      );
      expect({ seed, duplicated, changed: changed.map((r) => r.key) }).toEqual({
        seed,
        duplicated: [],
        changed: [],
      });
      expect(unwritten.map((r) => r.key)).toEqual([]);
      for (const r of acknowledged) {
        expect((answers.get(r.key)!.body.eventIds as string[]).length).toBe(1);
      }
    } finally {
      if (service) {
        service.child.kill('SIGKILL');
        await service.exited;
      }
      await backend.drop();
    }
  }, 600_000);
});
