/**
 * The auditor's reads on PostgreSQL, each figure beside a ceiling measured in the same run:
 * (a) the state of a supplier task instance as of a business time, in a 10,000-event stream
 *     (latency percentiles), beside a bare `readStream` of the same stream;
 * (b) the export of a 1,000,000-event log to a file (events/s, peak RSS of the exporting process),
 *     beside a bare `readAll` page loop that only counts the events.
 *
 *   npm run bench:audit                 # BENCH_EVENTS=1000000, BENCH_QUERIES=200
 *
 * The log is filled server-side (INSERT … SELECT generate_series: this measures reading, not
 * writing) in a fresh database, dropped at the end. Each export runs in its own child process,
 * so its peak RSS is its own.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { entityAsOf } from '../src/application/audit/entity-as-of';
import { exportLog } from '../src/application/audit/log-export';
import type { NewEvent } from '../src/eventstore/event';
import { PgSqlClient } from '../src/eventstore/sql/pg-sql-client';
import { SqlEventStore } from '../src/eventstore/sql/sql-event-store';
import { createBenchDatabase } from './fresh-database';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 200);
const STREAM_EVENTS = 10_000;
const SPI = '5d1b2f0e-0000-4000-8000-000000000001';
const INSTANCE = '5d1b2f0e-0000-4000-8000-000000000002';
const START = Date.parse('2025-01-01T00:00:00.000Z');

const uuid = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** The instance's stream: created, then status changes and notes a minute apart. */
function instanceStream(): NewEvent[] {
  const at = (i: number) => ({
    occurredAt: new Date(START + i * 60_000).toISOString(),
    actor: 'bench',
  });
  const ref = { supplierProjectInstanceId: SPI, supplierTaskInstanceId: INSTANCE };
  const events: NewEvent[] = [
    {
      eventId: uuid(1),
      type: 'SupplierProjectInstanceCreated',
      schemaVersion: 2,
      data: { supplierProjectInstanceId: SPI, supplierId: uuid(900_001), projectId: uuid(900_002) },
      metadata: at(0),
    },
    {
      eventId: uuid(2),
      type: 'SupplierTaskInstanceCreated',
      schemaVersion: 2,
      data: { ...ref, templateId: uuid(900_003), taskId: uuid(900_004) },
      metadata: at(1),
    },
  ];
  const statuses = ['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED'];
  for (let i = 2; i < STREAM_EVENTS; i++) {
    events.push(
      i % 2 === 0
        ? {
            eventId: uuid(i + 1),
            type: 'SupplierTaskStatusChanged',
            schemaVersion: 2,
            data: { ...ref, from: statuses[(i / 2) % 3]!, to: statuses[(i / 2 + 1) % 3]! },
            metadata: at(i),
          }
        : {
            eventId: uuid(i + 1),
            type: 'SupplierTaskNoteAdded',
            schemaVersion: 2,
            data: { ...ref, noteId: uuid(2_000_000 + i), text: `note ${i}`, author: 'bench' },
            metadata: at(i),
          },
    );
  }
  return events;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function fill(store: SqlEventStore, sql: PgSqlClient): Promise<void> {
  const stream = instanceStream();
  for (let i = 0; i < stream.length; i += 500) {
    await store.append(
      `supplierproject-${SPI}`,
      stream.slice(i, i + 500),
      i === 0 ? 'no_stream' : i - 1,
    );
  }
  const rest = EVENTS - STREAM_EVENTS;
  // One-event supplier streams of ~400-byte V1 events, in slices so no transaction is huge.
  for (let done = 0; done < rest; done += 100_000) {
    const count = Math.min(100_000, rest - done);
    await sql.exec(`
      INSERT INTO es_events (position, event_id, stream_id, revision, category, type, schema_version, data, metadata)
      SELECT nextval('es_position_seq'), gen_random_uuid(), 'supplier-' || u, 0, 'supplier', 'SupplierRegistered', NULL,
        json_build_object('supplierId', u, 'code', 'SUP-' || n, 'name', 'Supplier number ' || n || ' of the benchmark log, a name of ordinary length'),
        json_build_object('occurredAt', to_char((timestamptz '2025-02-01' + n * interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
          'actor', 'legacy-portal', 'correlationId', gen_random_uuid())
      FROM (SELECT n, gen_random_uuid() AS u FROM generate_series(${done + 1}, ${done + count}) AS n) s`);
  }
}

/** Child process: export (or only read) the log, report events, seconds and peak RSS. */
async function child(mode: 'export' | 'readAll', url: string, out: string): Promise<void> {
  const store = await SqlEventStore.open(new PgSqlClient(url));
  const started = performance.now();
  let events = 0;
  if (mode === 'export') {
    await pipeline(
      Readable.from(exportLog(store, {}, (p) => (events = p.read))),
      createWriteStream(out),
    );
  } else {
    for (let after = 0n; ;) {
      const page = await store.readAll({ after, maxCount: 1000 });
      events += page.length;
      if (page.length < 1000) break;
      after = page.at(-1)!.position;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  process.send!({ events, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024 });
}

async function runChild(mode: 'export' | 'readAll', url: string, out: string) {
  const proc = fork(__filename, [mode, url, out]);
  const [result] = (await once(proc, 'message')) as [
    { events: number; seconds: number; peakRssMb: number },
  ];
  await once(proc, 'exit');
  return result;
}

async function main(): Promise<void> {
  const db = await createBenchDatabase('bench_audit');
  const dir = mkdtempSync(join(tmpdir(), 'bench-audit-'));
  const sql = new PgSqlClient(db.url);
  const store = await SqlEventStore.open(sql);
  try {
    const filling = performance.now();
    await fill(store, sql);
    console.log(
      `filled ${EVENTS} events in ${((performance.now() - filling) / 1000).toFixed(1)} s`,
    );

    const asOf: number[] = [];
    const bare: number[] = [];
    for (let q = 0; q < QUERIES; q++) {
      // Spread over the stream's business times, deterministic.
      const at = START + ((q * 7919) % STREAM_EVENTS) * 60_000;
      let t = performance.now();
      const found = await entityAsOf(store, 'supplier-task-instance', INSTANCE, {
        by: 'business',
        at,
      });
      asOf.push(performance.now() - t);
      if (!found && at >= START + 60_000) throw new Error('the instance should exist then');
      t = performance.now();
      await store.readStream(`supplierproject-${SPI}`);
      bare.push(performance.now() - t);
    }
    asOf.sort((a, b) => a - b);
    bare.sort((a, b) => a - b);
    console.log(
      `\n(a) state as of a business time, ${STREAM_EVENTS}-event stream, ${QUERIES} queries`,
    );
    console.log('                         p50        p95        p99');
    for (const [label, xs] of [
      ['entityAsOf (instance)', asOf],
      ['ceiling: readStream', bare],
    ] as const) {
      console.log(
        `${label.padEnd(24)} ${ms(percentile(xs, 50)).padStart(9)}  ${ms(percentile(xs, 95)).padStart(9)}  ${ms(percentile(xs, 99)).padStart(9)}`,
      );
    }

    const out = join(dir, 'export.ndjson');
    const exported = await runChild('export', db.url, out);
    const ceiling = await runChild('readAll', db.url, out);
    console.log(`\n(b) the whole log, ${EVENTS} events (goal: peak RSS under 300 MB)`);
    console.log('                         events/s   peak RSS');
    for (const [label, r] of [
      ['export to a file', exported],
      ['ceiling: readAll loop', ceiling],
    ] as const) {
      console.log(
        `${label.padEnd(24)} ${Math.round(r.events / r.seconds)
          .toString()
          .padStart(
            9,
          )}   ${r.peakRssMb.toFixed(0).padStart(5)} MB   (${r.events} events, ${r.seconds.toFixed(1)} s)`,
      );
    }
    console.log(`export file: ${(statSync(out).size / 1e6).toFixed(0)} MB`);
  } finally {
    await store.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [mode, url, out] = process.argv.slice(2);
if (mode === 'export' || mode === 'readAll') void child(mode, url!, out!);
else
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
