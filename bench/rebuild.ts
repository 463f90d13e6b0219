/**
 * Full rebuild of supplier_tasks from a generated V1 history, on PostgreSQL and PGlite: import
 * the history, then run `supplier-tasks projections rebuild` as a user would (its own process,
 * the service's batch sizes), and report events/s, the process's RSS at each quarter of the
 * log (so "memory flat as the history grows" can be read off) and its peak, beside the ceiling
 * measured in the same run: the read model's final rows copied into bare tables (COPY on
 * PostgreSQL, INSERT … SELECT in PGlite). Then one pass over the log without and with the
 * upcast, the floor under any rebuild that reads the log through the event store port.
 *
 *   npm run bench:rebuild                      # BENCH_EVENTS=1000000 by default
 *   BENCH_EVENTS=200000 BENCH_BACKENDS=postgres npm run bench:rebuild
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { PgSqlClient } from '../src/eventstore/sql/pg-sql-client';
import { PgliteSqlClient } from '../src/eventstore/sql/pglite-sql-client';
import type { SqlClient } from '../src/eventstore/sql/sql-client';
import { SqlEventStore } from '../src/eventstore/sql/sql-event-store';
import { importLegacyFile } from '../src/legacy-import/legacy-import';
import { upcastStored } from '../upcasters';
import { createBenchDatabase } from './fresh-database';
import { writeV1History } from '../tools/v1-history';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',');

interface Result {
  backend: string;
  importPerSecond: number;
  rebuildPerSecond: number;
  rebuildSeconds: number;
  ceilingPerSecond: number;
  ceilingKind: string;
  /** Reading the whole log alone, then reading and upcasting it: the floor under any rebuild. */
  readPerSecond: number;
  readUpcastPerSecond: number;
  rssQuartersMiB: number[];
  peakRssMiB: number;
}

const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, (performance.now() - started) / 1000];
}

/** Where a back-end's data lives, for this process and for the CLI's environment. */
interface Target {
  /** The PostgreSQL database's URL; none for PGlite. */
  url?: string;
  open(): Promise<SqlClient>;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

async function targetOf(backend: string): Promise<Target> {
  if (backend === 'postgres') {
    const { url, drop } = await createBenchDatabase('bench_rebuild');
    return {
      url,
      open: async () => new PgSqlClient(url),
      env: { DATABASE_URL: url },
      cleanup: drop,
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-rebuild-'));
  return {
    // The layout the service and the CLI use for DATA_DIR.
    open: () => PgliteSqlClient.open(join(dir, 'pglite')),
    env: { DATA_DIR: dir, DATABASE_URL: '' },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function bench(backend: string, history: string): Promise<Result> {
  const target = await targetOf(backend);
  try {
    let store = await SqlEventStore.open(await target.open());
    console.log(`[${backend}] importing ${EVENTS} events`);
    const [, importSeconds] = await timed(() => importLegacyFile(store, history));
    // PGlite allows one process per folder, and the rebuild runs as a user would run it.
    await store.close();
    console.log(`[${backend}] supplier-tasks projections rebuild supplier_tasks --version 1`);
    const rebuild = await rebuildWithCli(target.env);
    store = await SqlEventStore.open(await target.open());
    try {
      const [ceilingPerSecond, ceilingKind] = await ceiling(target, store.sql, EVENTS);
      const [, readSeconds] = await timed(() => readLog(store, false));
      const [, readUpcastSeconds] = await timed(() => readLog(store, true));
      return {
        backend,
        importPerSecond: EVENTS / importSeconds,
        rebuildPerSecond: EVENTS / rebuild.seconds,
        rebuildSeconds: rebuild.seconds,
        ceilingPerSecond,
        ceilingKind,
        readPerSecond: EVENTS / readSeconds,
        readUpcastPerSecond: EVENTS / readUpcastSeconds,
        rssQuartersMiB: rebuild.rssQuartersMiB,
        peakRssMiB: rebuild.peakRssMiB,
      };
    } finally {
      await store.close();
    }
  } finally {
    await target.cleanup();
  }
}

/**
 * Runs the rebuild as its own CLI process, timed from spawn to exit, so that its memory is the
 * rebuild's alone: RSS is read from /proc at each progress line (one every 2 s, with the
 * position) and the peak is the kernel's high-water mark (VmHWM).
 */
async function rebuildWithCli(
  env: Record<string, string>,
): Promise<{ seconds: number; rssQuartersMiB: number[]; peakRssMiB: number }> {
  const cli = join(__dirname, '..', 'src', 'cli', 'main.js');
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [cli, 'projections', 'rebuild', 'supplier_tasks', '--version', '1'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const memory = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = (field: string) =>
        Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
      return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 };
    } catch {
      return { rss: 0, peak: 0 }; // exited between two readings
    }
  };
  let peak = 0;
  const watch = setInterval(() => (peak = Math.max(peak, memory().peak)), 100);
  const samples: Array<{ done: number; total: number; rss: number }> = [];
  const errors: string[] = [];
  const lines = createInterface({ input: child.stderr });
  lines.on('line', (line) => {
    const progress = /: (\d+)\/(\d+) events/.exec(line);
    if (progress) samples.push({ done: +progress[1]!, total: +progress[2]!, rss: memory().rss });
    else errors.push(line);
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  clearInterval(watch);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`the rebuild exited with ${code}:\n${errors.join('\n')}`);
  const total = samples.at(-1)?.total ?? 0;
  const rssQuartersMiB = [1, 2, 3, 4].map((q) =>
    mib((samples.find((s) => s.done >= (q * total) / 4) ?? samples.at(-1))?.rss ?? 0),
  );
  return { seconds, rssQuartersMiB, peakRssMiB: mib(peak) };
}

/** One pass over the log in pages of 5,000 (as the rebuild above), upcasting if asked. */
async function readLog(store: SqlEventStore, upcast: boolean): Promise<void> {
  const maxCount = 5000;
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, maxCount });
    if (page.length === 0) return;
    if (upcast) for (const event of page) upcastStored(event);
    after = page.at(-1)!.position;
  }
}

/**
 * The ceiling: the rows the rebuild ended with, every table of supplier_tasks_v1, written again
 * the plainest bulk way into bare tables (no index, no key): COPY out and COPY in on PostgreSQL,
 * INSERT … SELECT inside PGlite. Expressed as events/s: the history's events over that time.
 */
async function ceiling(
  target: Target,
  sql: SqlClient,
  events: number,
): Promise<[number, string, number]> {
  const tables = (
    await sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'supplier_tasks_v1' AND table_type = 'BASE TABLE'`,
    )
  ).map((t) => t.table_name);
  await sql.exec('CREATE SCHEMA bench_bare');
  for (const t of tables)
    await sql.exec(`CREATE TABLE bench_bare.${t} (LIKE supplier_tasks_v1.${t})`);
  const [{ rows }] = (await sql.query<{ rows: number }>(
    `SELECT (${tables.map((t) => `(SELECT count(*) FROM supplier_tasks_v1.${t})`).join(' + ')})::int AS rows`,
  )) as [{ rows: number }];
  if (target.url) {
    const reader = new Client({ connectionString: target.url });
    const writer = new Client({ connectionString: target.url });
    await Promise.all([reader.connect(), writer.connect()]);
    const [, seconds] = await timed(async () => {
      for (const t of tables) {
        await pipeline(
          reader.query(copyTo(`COPY supplier_tasks_v1.${t} TO STDOUT`)),
          writer.query(copyFrom(`COPY bench_bare.${t} FROM STDIN`)),
        );
      }
    });
    await Promise.all([reader.end(), writer.end()]);
    return [events / seconds, `COPY of ${rows} rows`, rows];
  }
  const [, seconds] = await timed(async () => {
    for (const t of tables)
      await sql.exec(`INSERT INTO bench_bare.${t} SELECT * FROM supplier_tasks_v1.${t}`);
  });
  return [events / seconds, `INSERT…SELECT of ${rows} rows`, rows];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-history-'));
  const history = join(dir, 'history.ndjson');
  try {
    const [generated, seconds] = await timed(() =>
      writeV1History(history, { events: EVENTS, seed: 42 }),
    );
    console.log(
      `generated ${generated.events} V1 events in ${generated.streams} streams (${seconds.toFixed(1)} s)`,
    );
    const results: Result[] = [];
    for (const backend of BACKENDS) results.push(await bench(backend, history));
    console.log('\nfull rebuild of supplier_tasks v1 from position 0');
    const percent = (r: Result, perSecond: number) =>
      `${((100 * perSecond) / r.ceilingPerSecond).toFixed(1)}%`;
    console.log(
      'backend   | events    | import ev/s | rebuild ev/s | rebuild s | ceiling ev/s (kind)                   | ratio | RSS MiB by quarter (peak)',
    );
    for (const r of results) {
      console.log(
        [
          r.backend.padEnd(9),
          String(EVENTS).padEnd(9),
          Math.round(r.importPerSecond).toString().padStart(11),
          Math.round(r.rebuildPerSecond).toString().padStart(12),
          r.rebuildSeconds.toFixed(1).padStart(9),
          `${Math.round(r.ceilingPerSecond)} (${r.ceilingKind})`.padEnd(37),
          percent(r, r.rebuildPerSecond).padStart(5),
          `${r.rssQuartersMiB.join(' / ')} (${r.peakRssMiB})`,
        ].join(' | '),
      );
    }
    console.log(
      '\nthe floor under any rebuild: one pass over the log, without and with the upcast',
    );
    for (const r of results) {
      console.log(
        `${r.backend.padEnd(9)} | read ${Math.round(r.readPerSecond)} ev/s (${percent(r, r.readPerSecond)} of the ceiling)` +
          ` | read + upcast ${Math.round(r.readUpcastPerSecond)} ev/s (${percent(r, r.readUpcastPerSecond)})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
