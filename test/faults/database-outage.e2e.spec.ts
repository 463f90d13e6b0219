import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../support/postgres';
import { AUTHORIZATION, TEST_ADMIN_KEY } from '../support/test-keys';
import { TcpProxy } from './tcp-proxy';

const ROOT = join(__dirname, '..', '..');
const CUT_MS = 10_000;
// Far above the configured timeouts (1 s to connect, 3 s a statement): an answer later than
// this is a request that hung.
const HANG_MS = 15_000;

interface Answer {
  supplierId: string;
  status: number; // 0: no HTTP answer at all within HANG_MS
  retryAfter: string | null;
  phase: 'before' | 'cut' | 'after';
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(url: string): Promise<{ status: number; ms: number; body: unknown }> {
  const started = performance.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(HANG_MS) });
    return { status: res.status, ms: performance.now() - started, body: await res.json() };
  } catch {
    return { status: 0, ms: performance.now() - started, body: undefined };
  }
}

/** The service in its own process (so that a crash shows), on PostgreSQL through the proxy. */
function startService(databaseUrl: string, port: number, dataDir: string) {
  const service: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      EVENTSTORE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      SUPPLIER_TASKS_ADMIN_KEY: TEST_ADMIN_KEY,
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_QUERY_TIMEOUT_MS: '3000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  service.stdout!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  service.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  return { service, log };
}

async function until(what: string, ok: () => Promise<boolean>, log: string[]): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await ok()) return;
    await sleep(200);
  }
  throw new Error(`${what} did not happen:\n${log.join('')}`);
}

async function stop(service: ChildProcess): Promise<void> {
  if (service.exitCode !== null) return;
  const exited = new Promise((resolve) => service.once('exit', resolve));
  service.kill('SIGTERM');
  const timer = setTimeout(() => service.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

describe('a PostgreSQL outage', () => {
  let db: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let proxiedUrl: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'outage-'));

  beforeAll(async () => {
    db = await createTestDatabase('st_outage');
    const target = new URL(db.url);
    proxy = await TcpProxy.start(target.hostname, Number(target.port || 5432));
    const via = new URL(db.url);
    via.port = String(proxy.port);
    proxiedUrl = via.toString();
  });
  afterAll(async () => {
    await proxy.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is survived under load: 503 fast while cut, serving again after, every 2xx stored once', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { service, log } = startService(proxiedUrl, port, dataDir);
    try {
      await until('ready', async () => (await get(`${base}/ready`)).status === 200, log);

      let phase: Answer['phase'] = 'before';
      let loading = true;
      const answers: Answer[] = [];
      const worker = async () => {
        for (let i = 0; loading && i < 5_000; i++) {
          const supplierId = randomUUID();
          const answer: Answer = { supplierId, status: 0, retryAfter: null, phase };
          try {
            const res = await fetch(`${base}/suppliers`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...AUTHORIZATION },
              body: JSON.stringify({ supplierId, code: `F-${supplierId}`, name: 'Outage test' }),
              signal: AbortSignal.timeout(HANG_MS),
            });
            answer.status = res.status;
            answer.retryAfter = res.headers.get('retry-after');
            await res.arrayBuffer();
          } catch {
            // no HTTP answer: stays 0
          }
          answers.push(answer);
          if (answer.status !== 201) await sleep(20);
        }
      };
      const load = Promise.all([worker(), worker(), worker(), worker()]);

      await sleep(2_000);
      proxy.cutOff();
      phase = 'cut';
      const health: Array<{ status: number; ms: number }> = [];
      const readyDuring: number[] = [];
      const cutEnds = Date.now() + CUT_MS;
      while (Date.now() < cutEnds) {
        health.push(await get(`${base}/health`));
        if (readyDuring.length < 3 && Date.now() > cutEnds - CUT_MS / 2) {
          readyDuring.push((await get(`${base}/ready`)).status);
        }
        await sleep(100);
      }
      proxy.restore();
      phase = 'after';
      await until('ready again', async () => (await get(`${base}/ready`)).status === 200, log);
      await sleep(2_000);
      loading = false;
      await load;

      expect(service.exitCode).toBeNull();
      // Every request got an HTTP answer: 201, or 503 with Retry-After; none hung, none 500.
      expect(answers.filter((a) => a.status === 0)).toEqual([]);
      expect([...new Set(answers.map((a) => a.status))].sort()).toEqual([201, 503]);
      expect(answers.filter((a) => a.status === 503 && a.retryAfter === null)).toEqual([]);
      expect(answers.some((a) => a.phase === 'cut' && a.status === 503)).toBe(true);
      expect(answers.some((a) => a.phase === 'after' && a.status === 201)).toBe(true);
      // Liveness never asks the database.
      expect(health.length).toBeGreaterThan(10);
      expect(health.filter((h) => h.status !== 200)).toEqual([]);
      process.stdout.write(
        `outage: ${answers.length} commands (${answers.filter((a) => a.status === 503).length} 503), ` +
          `/health slowest during the cut ${Math.max(...health.map((h) => h.ms)).toFixed(1)} ms\n`,
      );
      expect(readyDuring.length).toBeGreaterThan(0);
      expect(readyDuring.every((s) => s === 503)).toBe(true);

      // Acknowledged: stored exactly once. Not acknowledged: stored at most once (a commit
      // whose answer was lost), never in part.
      const direct = new Client({ connectionString: db.url });
      await direct.connect();
      const { rows } = await direct.query<{ id: string; n: number }>(
        `SELECT data->>'supplierId' AS id, count(*)::int AS n FROM es_events
         WHERE type = 'SupplierRegistered' GROUP BY 1`,
      );
      const { rows: streams } = await direct.query<{ bad: number }>(
        `SELECT count(*)::int AS bad FROM (SELECT stream_id FROM es_events GROUP BY stream_id
         HAVING min(revision) <> 0 OR max(revision) <> count(*) - 1) s`,
      );
      await direct.end();
      const stored = new Map(rows.map((r) => [r.id, r.n]));
      const acked = answers.filter((a) => a.status === 201).map((a) => a.supplierId);
      expect(acked.filter((id) => stored.get(id) !== 1)).toEqual([]);
      expect(rows.filter((r) => r.n !== 1)).toEqual([]);
      expect(streams[0]!.bad).toBe(0);
    } finally {
      proxy.restore();
      await stop(service);
    }
  }, 120_000);

  it('started while the database is unreachable, waits and comes up when it is', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    proxy.cutOff();
    const { service, log } = startService(proxiedUrl, port, dataDir);
    try {
      await until('a logged retry', async () => /starting again in \d+ ms/.test(log.join('')), log);
      expect(service.exitCode).toBeNull();
      proxy.restore();
      await until('ready', async () => (await get(`${base}/ready`)).status === 200, log);
      const res = await fetch(`${base}/suppliers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...AUTHORIZATION },
        body: JSON.stringify({ code: 'LATE', name: 'Started before the database' }),
      });
      expect(res.status).toBe(201);
    } finally {
      proxy.restore();
      await stop(service);
    }
  }, 120_000);
});
