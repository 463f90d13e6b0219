/**
 * Command latency and throughput over HTTP on loopback, on PGlite and on PostgreSQL.
 *
 *   npm run bench:commands
 *   BENCH_BACKENDS=postgres BENCH_IDEMPOTENCY=0 BENCH_SECONDS=8 npm run bench:commands
 *
 * Each back-end's service runs in a child process (the load generator would otherwise share its
 * event loop). The load alternates two commands: register a new supplier (a new stream) and
 * rename one of 100 registered suppliers (a growing stream), each with a fresh Idempotency-Key as
 * a retrying client sends (BENCH_IDEMPOTENCY=0: none). Three runs per back-end, BENCH_SECONDS (15)
 * each after a short warm-up: a fixed rate (BENCH_RATE, 200 commands/s) as an open loop, one
 * command every 1/rate s with latency counted from when it was due; and saturation, autocannon's
 * closed loop on BENCH_CONNECTIONS (16) connections; between them `GET /health` at the same fixed
 * rate, the floor this machine, client and HTTP stack put under any request. Percentiles are
 * exact, from every response. Beside each run the service reports what it saw itself: each
 * request's time from arrival to last byte sent, its event loop's delay, and its CPU time per
 * request (on a shared machine the steadiest of the figures).
 * PostgreSQL gets a fresh database (dropped at the end) on BENCH_POSTGRES_URL or
 * TEST_POSTGRES_URL or the local server; PGlite a temporary folder (removed at the end).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Agent, request, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { startApp } from '../src/app';
import { createBenchDatabase } from './fresh-database';

const RATE = positiveInt(process.env.BENCH_RATE, 200);
const SECONDS = positiveInt(process.env.BENCH_SECONDS, 15);
const CONNECTIONS = positiveInt(process.env.BENCH_CONNECTIONS, 16);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'pglite,postgres').split(',');
/** BENCH_IDEMPOTENCY=0 sends no Idempotency-Key: the cost of the key is the difference. */
const WITH_KEYS = process.env.BENCH_IDEMPOTENCY !== '0';
const WARM_UP_SECONDS = 3;
/** The admin key the benched service is started with; every request sends it. */
const BENCH_API_KEY = 'st_bench-admin-key-0123456789abcdefghijklmnopq';
const AUTHORIZATION = `Bearer ${BENCH_API_KEY}`;
const SUPPLIERS = 100;

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

interface Row {
  backend: string;
  run: string;
  commands: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  failed: number;
  /** Inside the service, from request to response sent, and its event loop's delay. */
  service: ServiceFigures;
}

interface ServiceFigures {
  p50: number;
  p99: number;
  max: number;
  loopDelayP99: number;
  loopDelayMax: number;
  /** The service process's CPU time (user + system) over the run, per request served. */
  cpuMsPerRequest: number;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function post(url: string, path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: AUTHORIZATION },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

interface CommandCall {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** The load: register a new supplier, then rename a registered one, and so on. */
function commandMix(suppliers: string[]): () => CommandCall {
  let sent = 0;
  return () => {
    sent += 1;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      authorization: AUTHORIZATION,
    };
    if (WITH_KEYS) headers['idempotency-key'] = randomUUID();
    return sent % 2 === 1
      ? {
          method: 'POST',
          path: '/suppliers',
          headers,
          // Codes are unique, so each registration claims a code of its own.
          body: JSON.stringify({ code: `BENCH-${randomUUID()}`, name: 'Bench' }),
        }
      : {
          method: 'PUT',
          path: `/suppliers/${suppliers[sent % suppliers.length]}/name`,
          headers,
          body: JSON.stringify({ name: `Renamed ${sent}` }),
        };
  };
}

/** One indexed read of the log's head over the same HTTP stack: what a request costs at least. */
const HEALTH_CHECK: CommandCall = { method: 'GET', path: '/health', headers: {}, body: '' };

type Stats = Omit<Row, 'backend' | 'run' | 'service'>;

const statsOf = (latencies: number[], seconds: number, failed: number): Stats => {
  latencies.sort((a, b) => a - b);
  return {
    commands: latencies.length,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? NaN,
    failed,
  };
};

function send(agent: Agent, url: URL, call: CommandCall): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: call.method,
        path: call.path,
        headers: call.headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(call.body);
  });
}

/**
 * Open loop at a fixed rate, one command every 1/rate s. Latency counts from the time a command
 * was due, not from when it left, so a stall is not hidden by the commands it delayed.
 */
async function fixedRate(url: string, next: () => CommandCall, seconds: number, rate: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(url);
  const latencies: number[] = [];
  let failed = 0;
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < seconds * rate; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(
      send(agent, target, next()).then(
        (status) => {
          latencies.push(performance.now() - due);
          if (status >= 300) failed += 1;
        },
        () => {
          failed += 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return statsOf(latencies, (performance.now() - start) / 1000, failed);
}

/** Closed loop with autocannon: CONNECTIONS connections, each sending as soon as answered. */
async function saturation(url: string, next: () => CommandCall, seconds: number) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [{ setupRequest: (req) => ({ ...req, ...next() }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  return statsOf(latencies, seconds, result.non2xx + result.errors + result.timeouts);
}

async function benchBackend(backend: string, env: Record<string, string>): Promise<Row[]> {
  const child: ChildProcess = fork(__filename, ['serve'], {
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  try {
    const ready = once(child, 'message') as Promise<[{ url: string }]>;
    const died = once(child, 'exit').then(([code]) => {
      throw new Error(`the ${backend} service exited with ${String(code)} before it listened`);
    });
    const [{ url }] = await Promise.race([ready, died]);
    const suppliers: string[] = [];
    for (let i = 0; i < SUPPLIERS; i++) {
      suppliers.push((await post(url, '/suppliers', { code: `S${i}`, name: `Supplier ${i}` })).id);
    }
    const next = commandMix(suppliers);
    await saturation(url, next, WARM_UP_SECONDS);
    const measured = async <T>(run: () => Promise<T>): Promise<T & { service: ServiceFigures }> => {
      await ask(child, 'reset');
      const figures = await run();
      return { ...figures, service: await ask<ServiceFigures>(child, 'report') };
    };
    const fixed = await measured(() => fixedRate(url, next, SECONDS, RATE));
    // The floor under the command figures: the same client, service and rate, one small read.
    const health = await measured(() => fixedRate(url, () => HEALTH_CHECK, SECONDS, RATE));
    const saturated = await measured(() => saturation(url, next, SECONDS));
    return [
      { backend, run: `${RATE}/s fixed`, ...fixed },
      { backend, run: `saturation (${CONNECTIONS} conn)`, ...saturated },
      { backend, run: `${RATE}/s GET /health`, ...health },
    ];
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/** Sends the service child a request and waits for its answer. */
async function ask<T = unknown>(child: ChildProcess, message: string): Promise<T> {
  const answer = once(child, 'message') as Promise<[T]>;
  child.send(message);
  return (await answer)[0];
}

/** A database of its own on the PostgreSQL server, dropped afterwards whatever happens. */
async function withFreshDatabase<T>(run: (url: string) => Promise<T>): Promise<T> {
  const { url, drop } = await createBenchDatabase('bench_commands');
  try {
    return await run(url);
  } finally {
    await drop();
  }
}

function printTable(rows: Row[]): void {
  const header = [
    'back-end',
    'run',
    'commands',
    'cmd/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'failed',
    'in service p50/p99/max ms',
    'loop delay p99/max ms',
    'CPU ms/req',
  ];
  const cells = rows.map((r) => [
    r.backend,
    r.run,
    String(r.commands),
    r.perSecond.toFixed(0),
    r.p50.toFixed(2),
    r.p95.toFixed(2),
    r.p99.toFixed(2),
    r.max.toFixed(1),
    String(r.failed),
    [r.service.p50, r.service.p99, r.service.max].map((v) => v.toFixed(2)).join(' / '),
    `${r.service.loopDelayP99.toFixed(1)} / ${r.service.loopDelayMax.toFixed(1)}`,
    r.service.cpuMsPerRequest.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]?.length ?? 0)));
  const line = (c: string[]) =>
    c
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  console.log(line(header));
  for (const c of cells) console.log(line(c));
}

async function main(): Promise<void> {
  console.log(
    `commands over HTTP on loopback: ${cpus().length} cpus, ${SECONDS}s per run, mixed register/rename, ${WITH_KEYS ? 'with' : 'without'} Idempotency-Key`,
  );
  const rows: Row[] = [];
  if (BACKENDS.includes('pglite')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-commands-'));
    try {
      rows.push(...(await benchBackend('PGlite', { BENCH_DATA_DIR: dataDir })));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (BACKENDS.includes('postgres')) {
    rows.push(
      ...(await withFreshDatabase((url) =>
        benchBackend('PostgreSQL', { BENCH_DATABASE_URL: url }),
      )),
    );
  }
  printTable(rows);
}

/** The child: the service alone in its process, on the back-end its parent chose. */
async function serve(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const running = await startApp(
    {
      dataDir: process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'bench-serve-')),
      databaseUrl,
      eventStoreUrl: undefined,
      port: 0,
      host: '127.0.0.1',
      adminKey: BENCH_API_KEY,
      // The bench measures the service, not its rate limit.
      rateLimitPerMinute: 10_000_000,
    },
    { logger: false },
  );
  // What the service itself sees, to tell its own delays from the client's and the kernel's:
  // each request's time from its arrival to its last byte sent, and the event loop's delay.
  let inService: number[] = [];
  let cpuAtReset = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  (running.app.getHttpServer() as Server).prependListener('request', (_req, res) => {
    const arrived = performance.now();
    res.once('finish', () => inService.push(performance.now() - arrived));
  });
  process.on('message', (message) => {
    if (message === 'reset') {
      inService = [];
      cpuAtReset = process.cpuUsage();
      loopDelay.reset();
      loopDelay.enable();
      process.send?.('ready');
    } else if (message === 'report') {
      loopDelay.disable();
      const cpu = process.cpuUsage(cpuAtReset);
      inService.sort((a, b) => a - b);
      const figures: ServiceFigures = {
        p50: percentile(inService, 50),
        p99: percentile(inService, 99),
        max: inService.at(-1) ?? NaN,
        loopDelayP99: loopDelay.percentile(99) / 1e6,
        loopDelayMax: loopDelay.max / 1e6,
        cpuMsPerRequest: (cpu.user + cpu.system) / 1000 / inService.length,
      };
      process.send?.(figures);
    }
  });
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
