/**
 * Append and import throughput of SqlEventStore on PostgreSQL and PGlite, each figure beside the
 * ceilings of the same rows written the plain ways, measured in the same run into a bare table
 * (primary key only): 500-row multi-row INSERT ... VALUES, 500-row INSERT ... SELECT FROM
 * unnest(arrays), and on PostgreSQL one COPY.
 *
 * Scenarios: (a) 100-event appends to one stream, (b) one-event appends to many streams, one at
 * a time, (c) 8 concurrent writers appending 10-event batches to their own streams, (d) 8
 * concurrent writers each making 1,000 one-event appends (expected revision `any`, round-robin
 * over 10 streams of their own) beside 8 connections of bare one-row autocommit INSERTs, (e)
 * import of a generated V1 history (tools/v1-history/) with importLegacyFile and its default
 * batch.
 *
 * Each append scenario runs BENCH_ROUNDS times (3), each round's figure followed at once by its
 * ceilings, and reports the median of the rounds' ratios: on a machine shared with other work
 * the disk's flush time moves from second to second, and a ratio of neighbours moves least.
 * Scenarios (b) and (d) also count the NOTIFYs the store sent, and (d) samples what the
 * server's backends waited for.
 *
 *   npm run bench:append                  # BENCH_EVENTS=200000 by default (import size)
 *   BENCH_EVENTS=1000000 npm run bench:append
 *   BENCH_SCENARIOS=single,writers BENCH_BACKENDS=postgres npm run bench:append
 *
 * Each back-end runs in its own child process, so that its peak RSS is its own (PGlite's
 * database lives in the process's memory; a PostgreSQL server's does not). PostgreSQL gets a
 * fresh database (dropped at the end) on BENCH_POSTGRES_URL or TEST_POSTGRES_URL or the local
 * server; PGlite a temporary folder (removed at the end). Results: a table on stdout and
 * bench/results/append-<date>.json.
 */
import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { NewEvent } from '../src/eventstore/event';
import { categoryOf } from '../src/eventstore/event-store.port';
import { PgSqlClient } from '../src/eventstore/sql/pg-sql-client';
import { PgliteSqlClient } from '../src/eventstore/sql/pglite-sql-client';
import type { SqlClient } from '../src/eventstore/sql/sql-client';
import { NOTIFY_CHANNEL } from '../src/eventstore/sql/event-store.schema';
import { SqlEventStore } from '../src/eventstore/sql/sql-event-store';
import { importLegacyFile } from '../src/legacy-import/legacy-import';
import { createBenchDatabase } from './fresh-database';
import { generateV1History, writeV1History } from '../tools/v1-history';

const IMPORT_EVENTS = positiveInt(process.env.BENCH_EVENTS, 200_000);
const SEED = positiveInt(process.env.BENCH_SEED, 42);

// Sized so that the whole run stays within a few minutes on 2 cores.
const BATCH_APPENDS = 200; // (a) x 100 events, one stream
const BATCH_SIZE = 100;
const SINGLE_APPENDS = 2_000; // (b) one event per append
const SINGLE_STREAMS = 500;
const WRITERS = 8; // (c)
const WRITER_APPENDS = 150;
const WRITER_BATCH = 10;
const WRITER_STREAMS = 20; // per writer
const SINGLE_WRITERS = 8; // (d)
const SINGLE_WRITER_APPENDS = 1_000;
const SINGLE_WRITER_STREAMS = 10; // per writer
const CEILING_ROWS_PER_INSERT = 500;
/** Each append scenario runs this many times, each run followed by its ceilings (the import once). */
const ROUNDS = positiveInt(process.env.BENCH_ROUNDS, 3);

type BackendName = 'postgres' | 'pglite';

const SCENARIOS = ['batch', 'single', 'concurrent', 'writers', 'import'] as const;
type ScenarioName = (typeof SCENARIOS)[number];
const SELECTED = listOf(process.env.BENCH_SCENARIOS, SCENARIOS);
const BACKENDS = listOf(process.env.BENCH_BACKENDS, ['postgres', 'pglite'] as const);

interface Rate {
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * A ceiling is measured right after each round's figure, so that a figure and its ceiling meet
 * the same machine: other work on it moves both, and their ratio less. `runs`: per round.
 */
interface Ceiling extends Rate {
  runs: number[];
}

type CeilingName = 'insert500' | 'unnest500' | 'copy' | 'insert1x8';

interface Measurement extends Rate {
  backend: BackendName;
  scenario: string;
  label: string;
  /** Peak RSS of the back-end's process while the figure ran (MiB). */
  peakRssMiB: number;
  /** insert500: 500-row multi-row INSERT; unnest500: 500 rows per INSERT ... SELECT FROM
   * unnest (the statement shape SqlEventStore uses); copy: one COPY (PostgreSQL only);
   * insert1x8: one-row autocommit INSERTs from 8 connections at once (scenario writers). */
  ceilings: Partial<Record<CeilingName, Ceiling>>;
  /** figure / ceiling: the median of the rounds' ratios (events/s and ceilings: medians too). */
  ratios: Partial<Record<CeilingName, number>>;
  notes?: Record<string, number | string>;
  rounds: Round[];
}

/** What one round of a scenario measures. */
type RoundMeasurement = Omit<Measurement, 'rounds'>;

/** One run of a scenario and of its ceilings, as measured. */
interface Round {
  eventsPerSecond: number;
  ceilings: Partial<Record<CeilingName, number>>;
  notes?: Record<string, number | string>;
}

interface ChildResult {
  backend: BackendName;
  serverVersion: string;
  measurements: Measurement[];
  maxRssMiB: number;
}

/** One row as the store writes it and as the ceilings write it (payloads already JSON). */
interface Row {
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

// ---------------------------------------------------------------------------------------------
// The parent: generates the history once, runs each back-end in a child, prints the table.

async function runAll(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-append-'));
  try {
    const file = join(dir, 'history.ndjson');
    const started = performance.now();
    const generated = SELECTED.includes('import')
      ? await writeV1History(file, { events: IMPORT_EVENTS, seed: SEED })
      : { events: 0, streams: 0 };
    const generateSeconds = (performance.now() - started) / 1000;
    console.log(
      `generated ${generated.events} V1 events in ${generated.streams} streams in ` +
        `${generateSeconds.toFixed(1)} s (${Math.round(generated.events / generateSeconds)} events/s)`,
    );
    const loadBefore = loadavg();
    const results: ChildResult[] = [];
    for (const backend of BACKENDS) results.push(await runChild(backend, file));
    const load = { before: loadBefore, after: loadavg() };
    printTable(results);
    // Other work on the machine moves every figure; the ceilings, measured alongside, less so.
    console.log(
      `load average (1, 5, 15 min) before ${load.before.map((l) => l.toFixed(1)).join(' ')}, ` +
        `after ${load.after.map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} CPUs`,
    );
    const path = await writeResults(results, { generateSeconds, ...generated }, load);
    console.log(`\nresults: ${path}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runChild(backend: BackendName, file: string): Promise<ChildResult> {
  const child = fork(__filename, ['--child', backend, file], { stdio: 'inherit' });
  let result: ChildResult | undefined;
  child.on('message', (message) => (result = message as ChildResult));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0 || !result) throw new Error(`the ${backend} benchmark failed (exit ${code})`);
  return result;
}

function printTable(results: ChildResult[]): void {
  const header = [
    'backend',
    'scenario',
    'events',
    'seconds',
    'events/s',
    'INSERT500/s',
    '%INSERT',
    'UNNEST500/s',
    '%UNNEST',
    'COPY/s',
    '%COPY',
    'INSERT1x8/s',
    '%INSERT1x8',
    'peak RSS MiB',
  ];
  const rows = results.flatMap((r) =>
    r.measurements.map((m) => [
      m.backend,
      m.label,
      String(m.events),
      m.seconds.toFixed(2),
      fmt(m.eventsPerSecond),
      ...(['insert500', 'unnest500', 'copy', 'insert1x8'] as const).flatMap((name) => {
        const ceiling = m.ceilings[name];
        const ratio = m.ratios[name];
        return ceiling && ratio !== undefined
          ? [fmt(ceiling.eventsPerSecond), pct(ratio)]
          : ['-', '-'];
      }),
      m.peakRssMiB.toFixed(0),
    ]),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log('');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
  console.log('');
  for (const r of results) {
    console.log(`${r.backend}: ${r.serverVersion}; process max RSS ${r.maxRssMiB.toFixed(0)} MiB`);
    for (const m of r.measurements) {
      console.log(`  ${m.label}:`);
      m.rounds.forEach((round, i) => {
        const ceilings = Object.entries(round.ceilings).map(
          ([name, value]) => `${name} ${fmt(value)} (${pct(round.eventsPerSecond / value)})`,
        );
        const notes = Object.entries(round.notes ?? {}).map(([k, v]) => `${k}=${v}`);
        console.log(
          `    round ${i + 1}: ${fmt(round.eventsPerSecond)} events/s; ` +
            [...ceilings, ...notes].join(', '),
        );
      });
    }
  }
  console.log(
    `% = figure / ceiling. Ceilings write the same rows (same columns, same JSON payloads) into a\n` +
      `bare table with only a primary key, one connection, right after each round's figure\n` +
      `(${ROUNDS} rounds; the table shows medians, the ratio is the median of the rounds'):\n` +
      `INSERT500 = INSERT ... VALUES, 500 rows per autocommit statement; UNNEST500 = INSERT ...\n` +
      `SELECT FROM unnest($1::bigint[], ...) of column arrays, 500 rows per autocommit statement;\n` +
      `COPY = one COPY FROM STDIN (pg-copy-streams), PostgreSQL only; INSERT1x8 = one-row\n` +
      `autocommit INSERTs from ${SINGLE_WRITERS} connections at once (PGlite: one connection).\n` +
      "peak RSS: the back-end's child process during the figure (PGlite's database is inside it;\n" +
      "PostgreSQL's server is not).",
  );
}

async function writeResults(
  results: ChildResult[],
  generated: { generateSeconds: number; events: number; streams: number },
  load: { before: number[]; after: number[] },
): Promise<string> {
  const now = new Date();
  const dir = join(__dirname, '..', '..', 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `append-${now.toISOString().slice(0, 10)}.json`);
  const report = {
    at: now.toISOString(),
    commit: gitCommit(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAverage: load,
    importEvents: IMPORT_EVENTS,
    seed: SEED,
    history: generated,
    scenarios: {
      batch: { appends: BATCH_APPENDS, eventsPerAppend: BATCH_SIZE, streams: 1 },
      single: { appends: SINGLE_APPENDS, eventsPerAppend: 1, streams: SINGLE_STREAMS },
      concurrent: {
        writers: WRITERS,
        appendsPerWriter: WRITER_APPENDS,
        eventsPerAppend: WRITER_BATCH,
        streamsPerWriter: WRITER_STREAMS,
      },
      writers: {
        writers: SINGLE_WRITERS,
        appendsPerWriter: SINGLE_WRITER_APPENDS,
        eventsPerAppend: 1,
        streamsPerWriter: SINGLE_WRITER_STREAMS,
        expectedRevision: 'any',
      },
      ceilingRowsPerInsert: CEILING_ROWS_PER_INSERT,
      rounds: ROUNDS,
    },
    results,
  };
  writeFileSync(path, await asPrettierFormats(JSON.stringify(report, null, 2), path));
  return path;
}

/** `npm run lint` checks every file with prettier, so a results file to commit must pass it. */
async function asPrettierFormats(json: string, path: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(path)) ?? {};
    return await prettier.format(json, { ...options, filepath: path });
  } catch {
    return json + '\n';
  }
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------
// A child: one back-end, every scenario, each figure followed by its ceilings.

interface Backend {
  name: BackendName;
  sql: SqlClient;
  store: SqlEventStore;
  /** PostgreSQL only: a plain connection for COPY. */
  url?: string;
  dispose(): Promise<void>;
}

async function runBackend(name: BackendName, historyFile: string): Promise<ChildResult> {
  const backend = name === 'postgres' ? await openPostgres() : await openPglite();
  try {
    const [{ version }] = (await backend.sql.query<{ version: string }>(
      'SELECT version() AS version',
    )) as [{ version: string }];
    await backend.sql.exec(BARE_TABLE);
    const measurements: Measurement[] = [];
    const pool = eventPool(
      Math.max(
        BATCH_APPENDS * BATCH_SIZE,
        SINGLE_APPENDS,
        WRITERS * WRITER_APPENDS * WRITER_BATCH,
        SINGLE_WRITERS * SINGLE_WRITER_APPENDS,
      ),
    );
    const scenarios: Record<ScenarioName, () => Promise<RoundMeasurement>> = {
      batch: () => batchScenario(backend, pool),
      single: () => singleScenario(backend, pool),
      concurrent: () => concurrentScenario(backend, pool),
      writers: () => writersScenario(backend, pool),
      import: () => importScenario(backend, historyFile),
    };
    for (const scenario of SELECTED) {
      const rounds: RoundMeasurement[] = [];
      for (let i = 0; i < (scenario === 'import' ? 1 : ROUNDS); i++)
        rounds.push(await scenarios[scenario]());
      measurements.push(combined(rounds));
    }
    return {
      backend: name,
      serverVersion: version.split(' on ')[0] ?? version,
      measurements,
      maxRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await backend.dispose();
  }
}

async function openPostgres(): Promise<Backend> {
  const { url, drop } = await createBenchDatabase('st_bench');
  try {
    const sql = new PgSqlClient(url.toString());
    const store = await SqlEventStore.open(sql);
    return {
      name: 'postgres',
      sql,
      store,
      url: url.toString(),
      dispose: async () => {
        await store.close().catch(() => undefined);
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function openPglite(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    const sql = await PgliteSqlClient.open(dir);
    const store = await SqlEventStore.open(sql);
    return {
      name: 'pglite',
      sql,
      store,
      dispose: async () => {
        await store.close().catch(() => undefined);
        remove();
      },
    };
  } catch (error) {
    remove();
    throw error;
  }
}

/** The events the append scenarios write: V1 payloads, so sizes match the import's. */
function eventPool(count: number): NewEvent[] {
  const events: NewEvent[] = [];
  for (const line of generateV1History({ events: count, seed: SEED + 1 })) {
    events.push({
      eventId: line.eventId,
      type: line.type,
      data: line.data,
      metadata: line.metadata,
    });
  }
  return events;
}

function rowOf(streamId: string, revision: number, event: NewEvent): Row {
  return {
    eventId: event.eventId,
    streamId,
    revision,
    type: event.type,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
  };
}

async function resetStore(backend: Backend): Promise<void> {
  await backend.sql.exec('TRUNCATE es_events; ALTER SEQUENCE es_position_seq RESTART');
}

async function batchScenario(backend: Backend, pool: NewEvent[]): Promise<RoundMeasurement> {
  await resetStore(backend);
  const streamId = `supplierproject-${randomUUID()}`;
  const rows: Row[] = [];
  const figure = await measure(async () => {
    for (let i = 0; i < BATCH_APPENDS; i++) {
      const events = pool.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE);
      await backend.store.append(streamId, events, i === 0 ? 'no_stream' : i * BATCH_SIZE - 1);
    }
    return BATCH_APPENDS * BATCH_SIZE;
  });
  pool.slice(0, BATCH_APPENDS * BATCH_SIZE).forEach((e, i) => rows.push(rowOf(streamId, i, e)));
  return withCeilings(
    backend,
    'batch',
    `append ${BATCH_SIZE}-event batches, 1 stream`,
    figure,
    rows,
  );
}

async function singleScenario(backend: Backend, pool: NewEvent[]): Promise<RoundMeasurement> {
  await resetStore(backend);
  const streams = Array.from({ length: SINGLE_STREAMS }, () => `supplierproject-${randomUUID()}`);
  const rows: Row[] = [];
  const notifies = backend.url ? await NotifyCounter.start(backend.url) : undefined;
  const figure = await measure(async () => {
    for (let i = 0; i < SINGLE_APPENDS; i++) {
      const streamId = streams[i % SINGLE_STREAMS]!;
      const revision = Math.floor(i / SINGLE_STREAMS);
      const event = pool[i]!;
      await backend.store.append(streamId, [event], revision === 0 ? 'no_stream' : revision - 1);
      rows.push(rowOf(streamId, revision, event));
    }
    return SINGLE_APPENDS;
  });
  const notified = await notifies?.stop();
  const measurement = await withCeilings(
    backend,
    'single',
    `append 1 event x ${SINGLE_STREAMS} streams, sequential`,
    figure,
    rows,
  );
  // What one-event appends can hope for at best: one autocommit INSERT per event.
  const one = await insertCeiling(backend, rows, 1);
  measurement.notes = {
    'ceiling 1-row INSERT autocommit (events/s)': fmt(one.eventsPerSecond),
    ...(notified !== undefined && { 'NOTIFYs per append': (notified / SINGLE_APPENDS).toFixed(2) }),
  };
  return measurement;
}

async function concurrentScenario(backend: Backend, pool: NewEvent[]): Promise<RoundMeasurement> {
  await resetStore(backend);
  const perWriter = WRITER_APPENDS * WRITER_BATCH;
  const rows: Row[] = [];
  const figure = await measure(async () => {
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const streams = Array.from({ length: WRITER_STREAMS }, () => ({
          id: `supplierproject-${randomUUID()}`,
          next: 0,
        }));
        for (let i = 0; i < WRITER_APPENDS; i++) {
          const stream = streams[i % WRITER_STREAMS]!;
          const start = w * perWriter + i * WRITER_BATCH;
          const events = pool.slice(start, start + WRITER_BATCH);
          await backend.store.append(
            stream.id,
            events,
            stream.next === 0 ? 'no_stream' : stream.next - 1,
          );
          events.forEach((e, k) => rows.push(rowOf(stream.id, stream.next + k, e)));
          stream.next += events.length;
        }
      }),
    );
    return WRITERS * perWriter;
  });
  return withCeilings(
    backend,
    'concurrent',
    `append ${WRITER_BATCH}-event batches, ${WRITERS} concurrent writers`,
    figure,
    rows,
  );
}

/**
 * Many writers of one event each, as commands are: the case where commits must share their
 * flushes (group commit) to get anywhere near what the server takes from 8 plain INSERTers.
 * On PostgreSQL the wait events of the server's backends are sampled meanwhile, so a figure far
 * from its ceiling comes with what the appenders waited for.
 */
async function writersScenario(backend: Backend, pool: NewEvent[]): Promise<RoundMeasurement> {
  await resetStore(backend);
  const rows: Row[] = [];
  const sampler = backend.url ? await WaitEventSampler.start(backend.url) : undefined;
  const notifies = backend.url ? await NotifyCounter.start(backend.url) : undefined;
  const figure = await measure(async () => {
    await Promise.all(
      Array.from({ length: SINGLE_WRITERS }, async (_, w) => {
        const streams = Array.from({ length: SINGLE_WRITER_STREAMS }, () => ({
          id: `supplierproject-${randomUUID()}`,
          next: 0,
        }));
        for (let i = 0; i < SINGLE_WRITER_APPENDS; i++) {
          const stream = streams[i % SINGLE_WRITER_STREAMS]!;
          const event = pool[w * SINGLE_WRITER_APPENDS + i]!;
          await backend.store.append(stream.id, [event], 'any');
          rows.push(rowOf(stream.id, stream.next++, event));
        }
      }),
    );
    return SINGLE_WRITERS * SINGLE_WRITER_APPENDS;
  });
  const waits = await sampler?.stop();
  const notified = await notifies?.stop();
  const measurement = await withCeilings(
    backend,
    'writers',
    `append 1 event, ${SINGLE_WRITERS} concurrent writers, expected any`,
    figure,
    rows,
  );
  measurement.ceilings.insert1x8 = ceilingOf(await parallelInsertCeiling(backend, rows));
  measurement.ratios.insert1x8 =
    measurement.eventsPerSecond / measurement.ceilings.insert1x8.eventsPerSecond;
  if (waits) measurement.notes = waits;
  if (notified !== undefined)
    measurement.notes = {
      ...measurement.notes,
      'NOTIFYs per append': (notified / (SINGLE_WRITERS * SINGLE_WRITER_APPENDS)).toFixed(2),
    };
  return measurement;
}

/** Counts, every 10 ms, what the other backends of the benchmark's database are waiting for. */
class WaitEventSampler {
  private readonly counts = new Map<string, number>();
  private samples = 0;
  private running = true;
  private readonly loop: Promise<void>;

  private constructor(private readonly client: Client) {
    this.loop = this.run();
  }

  static async start(url: string): Promise<WaitEventSampler> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return new WaitEventSampler(client);
  }

  private async run(): Promise<void> {
    while (this.running) {
      const { rows } = await this.client.query<{ wait: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS wait FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`,
      );
      this.samples++;
      for (const { wait } of rows) this.counts.set(wait, (this.counts.get(wait) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Per wait event, the mean number of active backends found waiting on it. */
  async stop(): Promise<Record<string, string>> {
    this.running = false;
    await this.loop;
    await this.client.end();
    const top = [...this.counts].sort((a, b) => b[1] - a[1]).slice(0, 6);
    return Object.fromEntries(
      top.map(([wait, n]) => [`waiting ${wait}`, (n / this.samples).toFixed(2)]),
    );
  }
}

/** Counts the store's NOTIFYs (the wake-ups of other processes' readers) while a figure runs. */
class NotifyCounter {
  private count = 0;

  private constructor(private readonly client: Client) {
    client.on('notification', () => this.count++);
  }

  static async start(url: string): Promise<NotifyCounter> {
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
    return new NotifyCounter(client);
  }

  /** The NOTIFYs received (those of the figure's last appends may still be on their way). */
  async stop(): Promise<number> {
    await this.client.end();
    return this.count;
  }
}

/** 8 connections each inserting its share of the rows one autocommit INSERT at a time. */
async function parallelInsertCeiling(backend: Backend, rows: Row[]): Promise<Rate> {
  await backend.sql.exec('TRUNCATE bench_bare');
  const text = insertStatement(1);
  // PGlite is one connection: its 8 "connections" are the one, taking turns.
  const clients = backend.url
    ? await Promise.all(
        Array.from({ length: SINGLE_WRITERS }, async () => {
          const client = new Client({ connectionString: backend.url });
          await client.connect();
          return client;
        }),
      )
    : [];
  const connections: Array<{ query(sql: string, params: unknown[]): Promise<unknown> }> =
    clients.length > 0 ? clients : Array.from({ length: SINGLE_WRITERS }, () => backend.sql);
  const share = Math.ceil(rows.length / SINGLE_WRITERS);
  const started = performance.now();
  await Promise.all(
    connections.map(async (connection, w) => {
      for (let i = w * share; i < Math.min(rows.length, (w + 1) * share); i++) {
        const row = rows[i]!;
        await connection.query(text, [
          String(i + 1),
          row.eventId,
          row.streamId,
          row.revision,
          categoryOf(row.streamId),
          row.type,
          null,
          row.data,
          row.metadata,
        ]);
      }
    }),
  );
  const result = rate(rows.length, started);
  await Promise.all(clients.map((client) => client.end()));
  return result;
}

async function importScenario(backend: Backend, file: string): Promise<RoundMeasurement> {
  await resetStore(backend);
  let batches = 0;
  const figure = await measure(async () => {
    const result = await importLegacyFile(backend.store, file, {
      onProgress: () => batches++,
    });
    if (result.written !== IMPORT_EVENTS) throw new Error(`imported ${result.written} events`);
    return result.written;
  });
  const measurement = await withCeilings(
    backend,
    'import',
    `import V1 history (importLegacyFile)`,
    figure,
    await rowsOfFile(file),
  );
  measurement.notes = { batches };
  return measurement;
}

async function rowsOfFile(file: string): Promise<Row[]> {
  const rows: Row[] = [];
  const revisions = new Map<string, number>();
  const reader = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const text of reader) {
    if (text.trim() === '') continue;
    const line = JSON.parse(text) as { streamId: string } & NewEvent;
    const revision = revisions.get(line.streamId) ?? 0;
    revisions.set(line.streamId, revision + 1);
    rows.push(rowOf(line.streamId, revision, line));
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Measuring

async function measure(
  run: () => Promise<number>,
): Promise<{ events: number; seconds: number; peakRssMiB: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const started = performance.now();
  try {
    const events = await run();
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { events, seconds, peakRssMiB: peak / 1024 / 1024 };
  } finally {
    clearInterval(sampler);
  }
}

async function withCeilings(
  backend: Backend,
  scenario: string,
  label: string,
  figure: { events: number; seconds: number; peakRssMiB: number },
  rows: Row[],
): Promise<RoundMeasurement> {
  if (rows.length !== figure.events) throw new Error(`${scenario}: ${rows.length} ceiling rows`);
  const eventsPerSecond = figure.events / figure.seconds;
  console.log(`${backend.name}: ${label}: ${fmt(eventsPerSecond)} events/s; measuring ceilings`);
  const ceilings: Measurement['ceilings'] = {
    insert500: ceilingOf(await insertCeiling(backend, rows, CEILING_ROWS_PER_INSERT)),
    unnest500: ceilingOf(await unnestCeiling(backend, rows, CEILING_ROWS_PER_INSERT)),
  };
  if (backend.url) ceilings.copy = ceilingOf(await copyCeiling(backend.url!, rows));
  const ratios: Measurement['ratios'] = {};
  for (const [name, ceiling] of Object.entries(ceilings) as Array<[CeilingName, Ceiling]>)
    ratios[name] = eventsPerSecond / ceiling.eventsPerSecond;
  return {
    backend: backend.name,
    scenario,
    label,
    events: figure.events,
    seconds: figure.seconds,
    eventsPerSecond,
    peakRssMiB: figure.peakRssMiB,
    ceilings,
    ratios,
  };
}

function ceilingOf(rate: Rate): Ceiling {
  return { ...rate, runs: [Math.round(rate.eventsPerSecond)] };
}

/** The rounds of one scenario as one measurement: medians, and each round kept as measured. */
function combined(rounds: RoundMeasurement[]): Measurement {
  const first = rounds[0]!;
  const perRound: Round[] = rounds.map((m) => ({
    eventsPerSecond: m.eventsPerSecond,
    ceilings: Object.fromEntries(
      Object.entries(m.ceilings).map(([name, c]) => [name, Math.round(c.eventsPerSecond)]),
    ),
    ...(m.notes && { notes: m.notes }),
  }));
  const ceilings: Measurement['ceilings'] = {};
  const ratios: Measurement['ratios'] = {};
  for (const name of Object.keys(first.ceilings) as CeilingName[]) {
    const runs = rounds.map((m) => m.ceilings[name]!);
    const eventsPerSecond = median(runs.map((c) => c.eventsPerSecond));
    ceilings[name] = {
      events: first.events,
      seconds: first.events / eventsPerSecond,
      eventsPerSecond,
      runs: runs.map((c) => Math.round(c.eventsPerSecond)),
    };
    ratios[name] = median(rounds.map((m) => m.ratios[name]!));
  }
  const eventsPerSecond = median(rounds.map((m) => m.eventsPerSecond));
  return {
    backend: first.backend,
    scenario: first.scenario,
    label: first.label,
    events: first.events,
    seconds: first.events / eventsPerSecond,
    eventsPerSecond,
    peakRssMiB: Math.max(...rounds.map((m) => m.peakRssMiB)),
    ceilings,
    ratios,
    rounds: perRound,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The same columns and types as es_events, and no index but the primary key. */
const BARE_TABLE = `CREATE TABLE IF NOT EXISTS bench_bare (
  position bigint PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id uuid NOT NULL,
  stream_id text NOT NULL,
  revision bigint NOT NULL,
  category text NOT NULL,
  type text NOT NULL,
  schema_version int,
  data json NOT NULL,
  metadata json NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
)`;
const BARE_COLUMNS =
  'position, event_id, stream_id, revision, category, type, schema_version, data, metadata';
const BARE_PARAMS_PER_ROW = 9;

function insertStatement(rowCount: number): string {
  const tuples: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    const base = r * BARE_PARAMS_PER_ROW;
    const params = Array.from({ length: BARE_PARAMS_PER_ROW }, (_, c) => `$${base + c + 1}`);
    tuples.push(`(${params.join(', ')})`);
  }
  return `INSERT INTO bench_bare (${BARE_COLUMNS}) VALUES ${tuples.join(', ')}`;
}

/** Autocommit statements of `perStatement` rows, one after another on one connection. */
async function insertCeiling(backend: Backend, rows: Row[], perStatement: number): Promise<Rate> {
  await backend.sql.exec('TRUNCATE bench_bare');
  const full = insertStatement(perStatement);
  const started = performance.now();
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const params: unknown[] = [];
    chunk.forEach((row, k) =>
      params.push(
        String(i + k + 1),
        row.eventId,
        row.streamId,
        row.revision,
        categoryOf(row.streamId),
        row.type,
        null,
        row.data,
        row.metadata,
      ),
    );
    const text = chunk.length === perStatement ? full : insertStatement(chunk.length);
    await backend.sql.query(text, params);
  }
  return rate(rows.length, started);
}

/** The same rows as column arrays, 500 per statement: how SqlEventStore inserts. */
async function unnestCeiling(backend: Backend, rows: Row[], perStatement: number): Promise<Rate> {
  await backend.sql.exec('TRUNCATE bench_bare');
  const text = `INSERT INTO bench_bare (${BARE_COLUMNS})
    SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::bigint[], $5::text[],
      $6::text[], $7::int[], $8::json[], $9::json[])`;
  const started = performance.now();
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    await backend.sql.query(text, [
      chunk.map((_, k) => String(i + k + 1)),
      chunk.map((r) => r.eventId),
      chunk.map((r) => r.streamId),
      chunk.map((r) => r.revision),
      chunk.map((r) => categoryOf(r.streamId)),
      chunk.map((r) => r.type),
      chunk.map(() => null),
      chunk.map((r) => r.data),
      chunk.map((r) => r.metadata),
    ]);
  }
  return rate(rows.length, started);
}

/** One COPY of every row: what PostgreSQL takes in at best. */
async function copyCeiling(url: string, rows: Row[]): Promise<Rate> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('TRUNCATE bench_bare');
    const started = performance.now();
    const copy = client.query(copyFrom(`COPY bench_bare (${BARE_COLUMNS}) FROM STDIN`));
    await pipeline(Readable.from(copyText(rows)), copy);
    return rate(rows.length, started);
  } finally {
    await client.end();
  }
}

function* copyText(rows: Row[]): Generator<string> {
  // Text format: JSON never holds a raw tab or newline, so doubling backslashes is the escaping.
  const escape = (json: string) => json.replace(/\\/g, '\\\\');
  for (let i = 0; i < rows.length; i += 1000) {
    let chunk = '';
    for (let k = i; k < Math.min(i + 1000, rows.length); k++) {
      const row = rows[k]!;
      chunk += `${k + 1}\t${row.eventId}\t${row.streamId}\t${row.revision}\t${categoryOf(row.streamId)}\t${row.type}\t\\N\t${escape(row.data)}\t${escape(row.metadata)}\n`;
    }
    yield chunk;
  }
}

function rate(events: number, started: number): Rate {
  const seconds = (performance.now() - started) / 1000;
  return { events, seconds, eventsPerSecond: events / seconds };
}

// ---------------------------------------------------------------------------------------------

function fmt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function pct(ratio: number): string {
  return `${(100 * ratio).toFixed(1)}%`;
}

/** A comma-separated selection out of `all` (all of them when unset), in `all`'s order. */
function listOf<T extends string>(text: string | undefined, all: readonly T[]): T[] {
  if (text === undefined || text.trim() === '') return [...all];
  const wanted = text.split(',').map((s) => s.trim());
  const unknown = wanted.filter((w) => !(all as readonly string[]).includes(w));
  if (unknown.length > 0)
    throw new Error(`unknown: ${unknown.join(', ')} (one of ${all.join(', ')})`);
  return all.filter((name) => wanted.includes(name));
}

function positiveInt(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`not a positive integer: ${text}`);
  return value;
}

if (require.main === module) {
  const [flag, backend, file] = process.argv.slice(2);
  const main =
    flag === '--child'
      ? runBackend(backend as BackendName, file!).then((result) => {
          process.send?.(result);
        })
      : runAll();
  main.catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
