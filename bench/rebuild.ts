/**
 * Full rebuild of supplier_tasks from a generated V1 history, on PostgreSQL and PGlite: import
 * the history, rebuild from position 0, report events/s and peak RSS (sampled across the rebuild,
 * so "memory flat as the history grows" can be read off the quarters), beside the ceiling
 * measured in the same run: the read model's final rows copied into bare tables (COPY on
 * PostgreSQL, INSERT … SELECT in PGlite). Then one pass over the log without and with the
 * upcast, the floor under any rebuild that reads the log through the event store port.
 *
 *   npm run bench:rebuild                      # BENCH_EVENTS=1000000 by default
 *   BENCH_EVENTS=200000 BENCH_BACKENDS=postgres npm run bench:rebuild
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
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
import { ProjectionAdmin } from '../src/projection-runner/projection-admin';
import { upcastStored } from '../upcasters';
import { writeV1History } from './generate-v1-history';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
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

async function bench(backend: string, history: string): Promise<Result> {
  const dbName = `bench_rebuild_${process.pid}`;
  let sql: SqlClient;
  let cleanup: () => Promise<void>;
  if (backend === 'postgres') {
    const admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    sql = new PgSqlClient(url.toString());
    cleanup = async () => {
      const c = new Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'bench-rebuild-'));
    sql = await PgliteSqlClient.open(dir);
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  const store = await SqlEventStore.open(sql);
  try {
    console.log(`[${backend}] importing ${EVENTS} events`);
    const [, importSeconds] = await timed(() => importLegacyFile(store, history));
    const admin = await ProjectionAdmin.open(store, sql);
    await admin.rebuild('supplier_tasks', 1, true);
    const head = Number(await store.headPosition());
    const quarters: number[] = [];
    let peak = 0;
    console.log(`[${backend}] rebuilding supplier_tasks v1 from position 0`);
    const [status, rebuildSeconds] = await timed(() =>
      admin.catchUp('supplier_tasks', 1, (position) => {
        const rss = process.memoryUsage().rss;
        peak = Math.max(peak, rss);
        if (Number(position) >= ((quarters.length + 1) * head) / 4) quarters.push(mib(rss));
      }),
    );
    if (status.status !== 'running')
      throw new Error(`rebuild ended ${status.status}: ${JSON.stringify(status.failure)}`);
    const [ceilingPerSecond, ceilingKind] = await ceiling(backend, sql, EVENTS);
    const [, readSeconds] = await timed(() => readLog(store, false));
    const [, readUpcastSeconds] = await timed(() => readLog(store, true));
    return {
      backend,
      importPerSecond: EVENTS / importSeconds,
      rebuildPerSecond: EVENTS / rebuildSeconds,
      rebuildSeconds,
      ceilingPerSecond,
      ceilingKind,
      readPerSecond: EVENTS / readSeconds,
      readUpcastPerSecond: EVENTS / readUpcastSeconds,
      rssQuartersMiB: quarters,
      peakRssMiB: mib(peak),
    };
  } finally {
    await store.close();
    await cleanup();
  }
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
  backend: string,
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
  if (backend === 'postgres') {
    const url = new URL(ADMIN_URL);
    url.pathname = `/bench_rebuild_${process.pid}`;
    const reader = new Client({ connectionString: url.toString() });
    const writer = new Client({ connectionString: url.toString() });
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
    const [generated, seconds] = await timed(() => writeV1History(history, EVENTS, 42));
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
