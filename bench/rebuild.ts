/**
 * Full rebuild of supplier_tasks from a generated V1 history, on PostgreSQL and PGlite: import
 * the history, rebuild from position 0, report events/s and peak RSS (sampled across the rebuild,
 * so "memory flat as the history grows" can be read off the quarters), beside the ceiling
 * measured in the same run: COPY (PostgreSQL) or 500-row INSERTs (PGlite) of the same number of
 * rows into a bare table.
 *
 *   npm run bench:rebuild                      # BENCH_EVENTS=1000000 by default
 *   BENCH_EVENTS=200000 BENCH_BACKENDS=postgres npm run bench:rebuild
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PgSqlClient } from '../src/eventstore/sql/pg-sql-client';
import { PgliteSqlClient } from '../src/eventstore/sql/pglite-sql-client';
import type { SqlClient } from '../src/eventstore/sql/sql-client';
import { SqlEventStore } from '../src/eventstore/sql/sql-event-store';
import { importLegacyFile } from '../src/legacy-import/legacy-import';
import { ProjectionAdmin } from '../src/projection-runner/projection-admin';
import { writeV1History } from './generate-v1-history';

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',');
// A row about as wide as a task instance or status-history row of the read model.
const BARE_ROW = (i: number) =>
  `${i}\t${String(i).padStart(36, '0')}\t${String(i % 977).padStart(36, '0')}\tIN_PROGRESS\t2025-09-30\t2025-05-05T08:10:00.000Z\n`;

interface Result {
  backend: string;
  importPerSecond: number;
  rebuildPerSecond: number;
  rebuildSeconds: number;
  ceilingPerSecond: number;
  ceilingKind: string;
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
    return {
      backend,
      importPerSecond: EVENTS / importSeconds,
      rebuildPerSecond: EVENTS / rebuildSeconds,
      rebuildSeconds,
      ceilingPerSecond,
      ceilingKind,
      rssQuartersMiB: quarters,
      peakRssMiB: mib(peak),
    };
  } finally {
    await store.close();
    await cleanup();
  }
}

/** Rows per second of the plainest bulk write of `rows` rows into a bare table. */
async function ceiling(backend: string, sql: SqlClient, rows: number): Promise<[number, string]> {
  await sql.exec(
    'CREATE TABLE bench_bare (n bigint PRIMARY KEY, a text, b text, status text, due text, at text)',
  );
  if (backend === 'postgres' && sql instanceof PgSqlClient) {
    const url = new URL(ADMIN_URL);
    url.pathname = `/bench_rebuild_${process.pid}`;
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    const [, seconds] = await timed(async () => {
      const chunks = function* () {
        for (let i = 0; i < rows; i += 5000) {
          let chunk = '';
          for (let k = i; k < Math.min(i + 5000, rows); k++) chunk += BARE_ROW(k);
          yield chunk;
        }
      };
      await pipeline(Readable.from(chunks()), client.query(copyFrom('COPY bench_bare FROM STDIN')));
    });
    await client.end();
    return [rows / seconds, 'COPY'];
  }
  const [, seconds] = await timed(async () => {
    for (let i = 0; i < rows; i += 500) {
      const values: string[] = [];
      const params: unknown[] = [];
      for (let k = i; k < Math.min(i + 500, rows); k++) {
        const [n, a, b, status, due, at] = BARE_ROW(k).trimEnd().split('\t');
        const base = params.length;
        params.push(n, a, b, status, due, at);
        values.push(
          `($${base + 1}::bigint, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}, $${base + 6})`,
        );
      }
      await sql.query(`INSERT INTO bench_bare VALUES ${values.join(', ')}`, params);
    }
  });
  return [rows / seconds, '500-row INSERT'];
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
    console.log(
      'backend   | events    | import ev/s | rebuild ev/s | rebuild s | ceiling rows/s (kind)     | ratio | RSS MiB by quarter (peak)',
    );
    for (const r of results) {
      console.log(
        [
          r.backend.padEnd(9),
          String(EVENTS).padEnd(9),
          Math.round(r.importPerSecond).toString().padStart(11),
          Math.round(r.rebuildPerSecond).toString().padStart(12),
          r.rebuildSeconds.toFixed(1).padStart(9),
          `${Math.round(r.ceilingPerSecond)} (${r.ceilingKind})`.padEnd(25),
          `${((100 * r.rebuildPerSecond) / r.ceilingPerSecond).toFixed(1)}%`.padStart(5),
          `${r.rssQuartersMiB.join(' / ')} (${r.peakRssMiB})`,
        ].join(' | '),
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
