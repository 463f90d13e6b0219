/**
 * The claims backfill on a generated V1 history, on PostgreSQL and PGlite: import it (no claims),
 * then time the backfill that gives every supplier, project, assignment and instance its claim,
 * and a second run that finds nothing to do (what every later start pays), beside the floor
 * measured in the same run: one pass over the same part of the log, read and upcast, which any
 * backfill must make.
 *
 *   npm run bench:claims     # BENCH_EVENTS=200000 by default (builds, then dist/bench/claims-backfill.js)
 *   BENCH_EVENTS=50000 BENCH_BACKENDS=postgres node dist/bench/claims-backfill.js
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { backfillClaims } from '../src/application/claims-backfill';
import { CommandExecutor } from '../src/application/command-executor';
import { PgSqlClient } from '../src/eventstore/sql/pg-sql-client';
import { PgliteSqlClient } from '../src/eventstore/sql/pglite-sql-client';
import type { SqlClient } from '../src/eventstore/sql/sql-client';
import { SqlEventStore } from '../src/eventstore/sql/sql-event-store';
import { importLegacyFile } from '../src/legacy-import/legacy-import';
import { upcastStored } from '../upcasters';
import { writeV1History } from '../tools/v1-history';
import { createBenchDatabase } from './fresh-database';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000);
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'postgres,pglite').split(',');
/** What the backfill reads: the categories of the events that claim, and of the claims. */
const CATEGORIES = [
  'supplier',
  'project',
  'supplierproject',
  'suppliercode',
  'projectcode',
  'supplierassignment',
  'templatereferences',
];

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await fn();
  return [value, (performance.now() - started) / 1000];
}

async function openTarget(
  backend: string,
): Promise<{ open: () => Promise<SqlClient>; cleanup: () => Promise<void> }> {
  if (backend === 'postgres') {
    const { url, drop } = await createBenchDatabase('bench_claims');
    return { open: async () => new PgSqlClient(url), cleanup: drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-claims-'));
  return {
    open: () => PgliteSqlClient.open(join(dir, 'pglite')),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One pass over what the backfill reads, upcast: the floor under it. */
async function readPass(store: SqlEventStore): Promise<number> {
  let after = 0n;
  let events = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 2000, categories: CATEGORIES });
    if (page.length === 0) return events;
    events += page.flatMap(upcastStored).length;
    after = page.at(-1)!.position;
  }
}

async function bench(backend: string, history: string) {
  const target = await openTarget(backend);
  const store = await SqlEventStore.open(await target.open());
  try {
    await importLegacyFile(store, history);
    const [readEvents, floorSeconds] = await timed(() => readPass(store));
    const [first, firstSeconds] = await timed(() =>
      backfillClaims(new CommandExecutor(store), store),
    );
    const [second, secondSeconds] = await timed(() =>
      backfillClaims(new CommandExecutor(store), store),
    );
    return {
      backend,
      readEvents,
      floorSeconds,
      claimingEvents: first.events,
      written: first.written,
      unclaimed: first.unclaimed.length,
      firstSeconds,
      secondWritten: second.written,
      secondSeconds,
    };
  } finally {
    await store.close();
    await target.cleanup();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-claims-history-'));
  try {
    const history = join(dir, 'history.ndjson');
    const generated = await writeV1History(history, { events: EVENTS, seed: 42 });
    console.log(`generated ${generated.events} V1 events in ${generated.streams} streams`);
    console.log(
      'backend  | events that claim | claims written | duplicates | backfill s (claims/s) | floor: read + upcast s | second run s (written)',
    );
    for (const backend of BACKENDS) {
      const r = await bench(backend, history);
      console.log(
        [
          r.backend.padEnd(8),
          String(r.claimingEvents).padStart(17),
          String(r.written).padStart(14),
          String(r.unclaimed).padStart(10),
          `${r.firstSeconds.toFixed(2)} (${Math.round(r.written / r.firstSeconds)})`.padStart(21),
          `${r.floorSeconds.toFixed(2)} (${r.readEvents} events)`.padStart(22),
          `${r.secondSeconds.toFixed(2)} (${r.secondWritten})`.padStart(22),
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
