/**
 * Dashboard read latency over HTTP on loopback at a million supplier task instances.
 *
 *   npm run bench:dashboard
 *   BENCH_SUPPLIERS=2000 BENCH_BACKENDS=pglite npm run bench:dashboard
 *   BENCH_KEEP=1 BENCH_BACKENDS=postgres npm run bench:dashboard      (prints the kept database's URL)
 *   BENCH_READ_MODEL_URL=postgres://… BENCH_ROUTES=by=category npm run bench:dashboard
 *
 * Building takes minutes at this size, so while working on the queries a built PostgreSQL
 * database can be kept and measured again (BENCH_READ_MODEL_URL skips generation, import and
 * rebuild; BENCH_ROUTES keeps the routes containing one of its comma-separated parts). A kept
 * database has had the load run's commands applied: a second load run refuses the starts.
 *
 * Generates a V1 history of BENCH_SUPPLIERS (10,000) suppliers, each assigned to one of
 * BENCH_PROJECTS (100) projects of BENCH_TASKS (100) tasks, so suppliers × tasks instances; 30 %
 * completed, 20 % in progress, template due dates spread over 2025. It is imported and the newest
 * supplier_tasks version is built through the real rebuild path (ProjectionAdmin: rebuild from
 * position 0, catch up, switch). The service then runs in a child process (the load generator
 * would otherwise share its event loop) and every dashboard route is called for BENCH_SECONDS (5)
 * by BENCH_CONNECTIONS (4) keep-alive connections in a closed loop, exact percentiles from every
 * response (autocannon reports p97.5, not p95): at rest, then with BENCH_COMMAND_RATE (100)
 * commands/s flowing (notes, due-date overrides set and cleared, tasks started: the last three
 * move the counters). `GET /health` in the same run is the ceiling: the floor this machine,
 * client and HTTP stack put under any request. After the switch the bench runs VACUUM ANALYZE
 * on the new schema, as autovacuum does soon after a rebuild's inserts, so the plans see the
 * table sizes and index-only scans need not visit the heap.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectionDefinitions } from '../projections';
import { startApp } from '../src/app';
import { DEFAULT_PG_TIMEOUTS, PgSqlClient } from '../src/eventstore/sql/pg-sql-client';
import { PgliteSqlClient } from '../src/eventstore/sql/pglite-sql-client';
import { SqlEventStore } from '../src/eventstore/sql/sql-event-store';
import { importLegacyFile } from '../src/legacy-import/legacy-import';
import { LocalProjectionsApi } from '../src/projection-runner/local-projections-api';
import { ProjectionAdmin } from '../src/projection-runner/projection-admin';
import { createBenchDatabase } from './fresh-database';

const positiveInt = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
const SUPPLIERS = positiveInt(process.env.BENCH_SUPPLIERS, 10_000);
const PROJECTS = positiveInt(process.env.BENCH_PROJECTS, 100);
const TASKS = positiveInt(process.env.BENCH_TASKS, 100);
const SECONDS = positiveInt(process.env.BENCH_SECONDS, 5);
const CONNECTIONS = positiveInt(process.env.BENCH_CONNECTIONS, 4);
const COMMAND_RATE = positiveInt(process.env.BENCH_COMMAND_RATE, 100);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',');
const KEEP = process.env.BENCH_KEEP === '1';
const READ_MODEL_URL = process.env.BENCH_READ_MODEL_URL;
const ROUTE_FILTER = process.env.BENCH_ROUTES?.split(',');
const AS_OF = '2025-07-01';
const BENCH_API_KEY = 'st_bench-admin-key-0123456789abcdefghijklmnopq';

/** Ids of the generated world: any 8-4-4-4-12 hex is an id here, the kind in the first group. */
const id = (kind: number, n: number) =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const KIND = { event: 1, supplier: 2, project: 3, taskType: 4, section: 5, task: 6, template: 7 };
const SP_KIND = 8;
const INSTANCE_KIND = 9;
const supplierProjectOf = (s: number) => id(SP_KIND, s);
const instanceOf = (s: number, t: number) => id(INSTANCE_KIND, s * TASKS + t);

async function writeHistory(path: string): Promise<number> {
  const out = createWriteStream(path);
  let events = 0;
  let minute = 0;
  const write = async (streamId: string, type: string, data: Record<string, unknown>) => {
    const occurredAt = new Date(Date.UTC(2025, 0, 1) + minute++ * 1000).toISOString();
    const line = {
      streamId,
      eventId: id(KIND.event, events++),
      type,
      data,
      metadata: { occurredAt, actor: 'bench' },
    };
    if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
  };
  const taskTypeId = id(KIND.taskType, 0);
  const typeStream = `tasktype-${taskTypeId}`;
  await write(typeStream, 'TaskTypeCreated', { taskTypeId, name: 'Part Approval' });
  for (const [n, code] of ['PA2', 'PA3'].entries())
    await write(typeStream, 'MilestoneCreated', {
      taskTypeId,
      milestoneId: id(KIND.section, n),
      code,
      name: `${code} section`,
      sortOrder: n + 1,
    });
  for (let t = 0; t < TASKS; t++)
    await write(typeStream, 'TaskCreated', {
      taskTypeId,
      milestoneId: id(KIND.section, t % 2),
      taskId: id(KIND.task, t),
      title: `Task ${t}`,
      sortOrder: t,
    });
  for (let p = 0; p < PROJECTS; p++) {
    const projectId = id(KIND.project, p);
    const stream = `project-${projectId}`;
    await write(stream, 'ProjectCreated', { projectId, code: `PRJ-${p}`, name: `Project ${p}` });
    for (let t = 0; t < TASKS; t++) {
      const day = (p * 7 + t * 3) % 365;
      await write(stream, 'ProjectMilestoneTaskCreated', {
        projectId,
        projectMilestoneTaskId: id(KIND.template, p * TASKS + t),
        milestoneId: id(KIND.section, t % 2),
        taskId: id(KIND.task, t),
        dueDate: new Date(Date.UTC(2025, 0, 1 + day)).toISOString().slice(0, 10),
      });
    }
  }
  for (let s = 0; s < SUPPLIERS; s++) {
    const supplierId = id(KIND.supplier, s);
    await write(`supplier-${supplierId}`, 'SupplierRegistered', {
      supplierId,
      code: `SUP-${String(s).padStart(5, '0')}`,
      name: `Supplier ${s}`,
    });
    const p = s % PROJECTS;
    const supplierProjectInstanceId = supplierProjectOf(s);
    const stream = `supplierproject-${supplierProjectInstanceId}`;
    await write(stream, 'SupplierProjectInstanceCreated', {
      supplierProjectInstanceId,
      supplierId,
      projectId: id(KIND.project, p),
    });
    for (let t = 0; t < TASKS; t++)
      await write(stream, 'SupplierTaskInstanceCreated', {
        supplierProjectInstanceId,
        supplierTaskInstanceId: instanceOf(s, t),
        projectMilestoneTaskId: id(KIND.template, p * TASKS + t),
      });
    for (let t = 0; t < TASKS; t++) {
      const share = (t * 7 + s) % 10;
      // V1 history moved straight to COMPLETED too: one event per changed instance.
      if (share < 5)
        await write(stream, 'SupplierTaskStatusChanged', {
          supplierProjectInstanceId,
          supplierTaskInstanceId: instanceOf(s, t),
          from: 'NOT_STARTED',
          to: share < 3 ? 'COMPLETED' : 'IN_PROGRESS',
        });
    }
  }
  out.end();
  await once(out, 'finish');
  return events;
}

interface Target {
  env: Record<string, string>;
  open(): Promise<PgSqlClient | PgliteSqlClient>;
  cleanup(): Promise<void>;
}

async function targetOf(backend: string): Promise<Target> {
  if (backend === 'postgres') {
    const { url, drop } = await createBenchDatabase('bench_dashboard');
    return {
      env: { BENCH_DATABASE_URL: url },
      // The building side alone: VACUUM of a million rows may take longer than a request may.
      open: async () => new PgSqlClient(url, 10, { ...DEFAULT_PG_TIMEOUTS, queryMs: 600_000 }),
      cleanup: KEEP ? async () => console.log(`[postgres] kept ${url}`) : drop,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-'));
  return {
    env: { BENCH_DATA_DIR: dir },
    open: () => PgliteSqlClient.open(join(dir, 'pglite')),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Import, then rebuild the newest supplier_tasks version from position 0 and switch to it. */
async function buildReadModel(target: Target, history: string) {
  const sql = await target.open();
  const store = await SqlEventStore.open(sql);
  try {
    let started = performance.now();
    const imported = await importLegacyFile(store, history);
    const importSeconds = (performance.now() - started) / 1000;
    const admin = await ProjectionAdmin.open(store, sql, projectionDefinitions);
    const api = new LocalProjectionsApi(admin);
    const version = admin.latestVersion('supplier_tasks');
    started = performance.now();
    await api.rebuild('supplier_tasks', version, false);
    const status = await api.waitCaughtUp('supplier_tasks', version, (s) =>
      process.stderr.write(
        `\r  rebuild supplier_tasks v${version}: ${s.position}/${s.headPosition}`,
      ),
    );
    process.stderr.write('\n');
    if (status.status === 'failed') throw new Error(`rebuild failed: ${status.failure?.error}`);
    const rebuildSeconds = (performance.now() - started) / 1000;
    // No legacy_v1 baseline here: the bench measures reads, so the switch is forced.
    await api.switchTo('supplier_tasks', version, true);
    await vacuumAnalyze(sql, `supplier_tasks_v${version}`);
    await admin.runner.stop();
    return { imported, importSeconds, rebuildSeconds, version };
  } finally {
    await store.close();
  }
}

async function vacuumAnalyze(sql: PgSqlClient | PgliteSqlClient, schema: string) {
  const tables = await sql.query<{ name: string }>(
    'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1',
    [schema],
  );
  for (const { name } of tables) await sql.query(`VACUUM ANALYZE "${schema}"."${name}"`);
}

interface Stats {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  failed: number;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

function call(agent: Agent, url: URL, method: string, path: string, body?: string) {
  return new Promise<number>((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          authorization: `Bearer ${BENCH_API_KEY}`,
          ...(body && { 'content-type': 'application/json' }),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** CONNECTIONS closed loops on one path for SECONDS: every latency kept. */
async function measure(url: URL, path: string): Promise<Stats> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies: number[] = [];
  let failed = 0;
  const until = performance.now() + SECONDS * 1000;
  const loop = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const status = await call(agent, url, 'GET', path).catch(() => 0);
      latencies.push(performance.now() - started);
      if (status !== 200) failed += 1;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    failed,
  };
}

/** An open loop of note commands at COMMAND_RATE until stopped; counts what failed. */
function commandsFlowing(url: URL) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let running = true;
  let sent = 0;
  let failed = 0;
  const started = new Set<string>();
  /** Failures by method, path's last segment and status, so a refused kind of command shows. */
  const failures = new Map<string, number>();
  const fail = (what: string) => {
    failed += 1;
    failures.set(what, (failures.get(what) ?? 0) + 1);
  };
  const inFlight = new Set<Promise<unknown>>();
  const done = (async () => {
    const start = performance.now();
    for (let i = 0; running; i++) {
      const wait = start + (i * 1000) / COMMAND_RATE - performance.now();
      if (wait > 0) await sleep(wait);
      const s = (i * 7919) % SUPPLIERS;
      const t = (i * 31) % TASKS;
      const task = `/supplier-projects/${supplierProjectOf(s)}/tasks/${instanceOf(s, t)}`;
      // The history left these instances NOT_STARTED (see writeHistory): each is started once.
      const startable = (t * 7 + s) % 10 >= 5 && !started.has(task);
      const note = ['POST', `${task}/notes`, { text: `note ${i}`, author: 'bench' }] as const;
      const [method, path, body] = (
        [
          note,
          ['PUT', `${task}/due-date-override`, { dueDate: `2025-0${1 + (i % 9)}-15` }],
          startable ? ['POST', `${task}/start`, {}] : note,
          ['DELETE', `${task}/due-date-override`, undefined],
        ] satisfies Array<readonly [string, string, object | undefined]>
      )[i % 4]!;
      if (method === 'POST' && path.endsWith('/start')) started.add(task);
      const p = call(agent, url, method, path, body && JSON.stringify(body))
        .then((status) => {
          if (status >= 300) fail(`${method} …/${path.split('/').at(-1)} ${status}`);
        })
        .catch((error: { code?: string }) =>
          fail(`${method} …/${path.split('/').at(-1)} no answer (${error.code ?? String(error)})`),
        )
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      sent += 1;
    }
  })();
  return async () => {
    running = false;
    await done;
    await Promise.all(inFlight);
    agent.destroy();
    return { sent, failed, failures };
  };
}

const PROJECT = id(KIND.project, 1);
const SECTION = id(KIND.section, 1);
/** A cursor deep into a list: after the instances due by mid-2025 (the keyset, as the API makes it). */
const DEEP = Buffer.from(JSON.stringify({ k: '2025-06-30', id: id(INSTANCE_KIND, 0) })).toString(
  'base64url',
);
const KEY_CURSOR = Buffer.from(JSON.stringify({ k: null, id: id(KIND.supplier, 5000) })).toString(
  'base64url',
);
const ALL_ROUTES = [
  '/health',
  ...['project', 'supplier', 'section', 'category', 'supplier-project'].map(
    (by) => `/dashboards/progress?by=${by}&asOf=${AS_OF}`,
  ),
  `/dashboards/progress?by=supplier&cursor=${KEY_CURSOR}&asOf=${AS_OF}`,
  `/dashboards/progress?by=section&projectId=${PROJECT}&asOf=${AS_OF}`,
  `/dashboards/progress?by=supplier&projectId=${PROJECT}&asOf=${AS_OF}`,
  `/dashboards/progress?by=supplier&sectionId=${SECTION}&asOf=${AS_OF}`,
  `/dashboards/progress?by=project&category=PART_APPROVAL&asOf=${AS_OF}`,
  `/dashboards/progress?by=project&supplierId=${id(KIND.supplier, 1)}&asOf=${AS_OF}`,
  `/dashboards/instances?state=all&asOf=${AS_OF}`,
  `/dashboards/instances?state=all&cursor=${DEEP}&asOf=${AS_OF}`,
  `/dashboards/instances?state=overdue&asOf=${AS_OF}`,
  `/dashboards/instances?state=due-soon&asOf=${AS_OF}`,
  `/dashboards/instances?state=completed&projectId=${PROJECT}&asOf=${AS_OF}`,
  `/dashboards/instances?state=overdue&sectionId=${SECTION}&status=IN_PROGRESS&asOf=${AS_OF}`,
  `/dashboards/instances?state=active&supplierId=${id(KIND.supplier, 1)}&asOf=${AS_OF}`,
  `/dashboards/due-weeks?asOf=${AS_OF}`,
  `/dashboards/due-weeks?projectId=${PROJECT}&asOf=${AS_OF}`,
  '/suppliers',
  '/projects',
  '/task-types',
  `/supplier-task-instances/${instanceOf(1, 1)}`,
  '/dashboards/lag',
];
const ROUTES = ALL_ROUTES.filter(
  (route) =>
    route === '/health' || !ROUTE_FILTER || ROUTE_FILTER.some((part) => route.includes(part)),
);

async function benchBackend(backend: string, history: string) {
  const target = await targetOf(backend);
  try {
    console.log(`[${backend}] import and rebuild`);
    const built = await buildReadModel(target, history);
    console.log(
      `[${backend}] ${built.imported.written} events imported in ${built.importSeconds.toFixed(0)} s, supplier_tasks v${built.version} rebuilt in ${built.rebuildSeconds.toFixed(0)} s`,
    );
    await measureService(backend, target.env);
  } finally {
    await target.cleanup();
  }
}

/** Every route against the service in a child process, at rest and with commands flowing. */
async function measureService(backend: string, env: Record<string, string>) {
  const child = fork(__filename, ['serve'], { env: { ...process.env, ...env }, stdio: 'inherit' });
  const [{ url }] = (await once(child, 'message')) as [{ url: string }];
  try {
    const base = new URL(url);
    const rows: Array<{ route: string; rest: Stats; load: Stats }> = [];
    for (const route of ROUTES) await measure(base, route); // warm-up, plans cached
    const atRest = new Map<string, Stats>();
    for (const route of ROUTES) atRest.set(route, await measure(base, route));
    const stop = commandsFlowing(base);
    for (const route of ROUTES)
      rows.push({ route, rest: atRest.get(route)!, load: await measure(base, route) });
    const commands = await stop();
    print(backend, rows, commands);
  } finally {
    await stopChild(child);
  }
}

async function stopChild(child: ChildProcess) {
  child.kill('SIGTERM');
  await once(child, 'exit');
}

const ms = (n: number) => n.toFixed(1).padStart(7);

function print(
  backend: string,
  rows: Array<{ route: string; rest: Stats; load: Stats }>,
  commands: { sent: number; failed: number; failures: Map<string, number> },
) {
  console.log(
    `\n${backend}: ${SUPPLIERS * TASKS} instances (${SUPPLIERS} suppliers × ${TASKS} tasks, ${PROJECTS} projects), ${CONNECTIONS} connections, ${SECONDS} s per route; latency in ms`,
  );
  console.log(
    `${'route'.padEnd(100)}  rest p50    p95    p99 |  load p50    p95    p99 | req (rest/load) failed`,
  );
  for (const { route, rest, load } of rows)
    console.log(
      `${route.padEnd(100)} ${ms(rest.p50)}${ms(rest.p95)}${ms(rest.p99)} | ${ms(load.p50)}${ms(load.p95)}${ms(load.p99)} | ${rest.requests}/${load.requests} ${rest.failed + load.failed}`,
    );
  console.log(
    `commands during the load runs: ${commands.sent} sent at ${COMMAND_RATE}/s, ${commands.failed} failed${
      commands.failed > 0
        ? ` (${[...commands.failures].map(([k, n]) => `${k}: ${n}`).join(', ')})`
        : ''
    }`,
  );
}

async function main() {
  if (READ_MODEL_URL) return measureService('postgres', { BENCH_DATABASE_URL: READ_MODEL_URL });
  const dir = mkdtempSync(join(tmpdir(), 'bench-dashboard-history-'));
  try {
    const history = join(dir, 'history.ndjson');
    const events = await writeHistory(history);
    console.log(`generated ${events} V1 events (${SUPPLIERS * TASKS} supplier task instances)`);
    for (const backend of BACKENDS) await benchBackend(backend, history);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The child: the service alone in its process. */
async function serve() {
  const running = await startApp(
    {
      dataDir: process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'bench-serve-')),
      databaseUrl: process.env.BENCH_DATABASE_URL,
      eventStoreUrl: undefined,
      port: 0,
      host: '127.0.0.1',
      adminKey: BENCH_API_KEY,
      // The bench measures the service, not its rate limit.
      rateLimitPerMinute: 10_000_000,
    },
    { logger: false },
  );
  process.send?.({ url: running.url });
  process.once('SIGTERM', () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

(process.argv[2] === 'serve' ? serve() : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
