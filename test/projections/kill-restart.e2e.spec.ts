import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { writeV1History } from '../../tools/v1-history';
import { PgSqlClient } from '../../src/eventstore/sql/pg-sql-client';
import { SqlEventStore } from '../../src/eventstore/sql/sql-event-store';
import { importLegacyFile } from '../../src/legacy-import/legacy-import';
import { queryable, tableChecksums } from '../support/checksums';
import { createTestDatabase } from '../support/postgres';

const BIN = join(__dirname, '..', '..', 'bin', 'supplier-tasks.js');
const EVENTS = 40_000;
const KILLS = 6;
const REBUILD = ['projections', 'rebuild', 'supplier_tasks', '--version', '1'];

/** Seeded, so a failure can be replayed: set KILL_SEED to the seed a failing run printed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a rebuild killed with SIGKILL at random points and restarted (the built CLI, on PostgreSQL)', () => {
  let db: { url: string; drop: () => Promise<void> };
  let pg: Client;
  const env = () => ({ ...process.env, DATABASE_URL: db.url, EVENTSTORE_URL: '' });
  const cli = (args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: env(), timeout: 60_000 });
  const state = async () =>
    (
      await pg.query<{ status: string; position: string; events_applied: string }>(
        `SELECT status, position::text AS position, events_applied::text AS events_applied
         FROM projections.versions WHERE name = 'supplier_tasks' AND version = 1`,
      )
    ).rows[0];

  beforeAll(async () => {
    db = await createTestDatabase();
    const file = join(mkdtempSync(join(tmpdir(), 'kill-restart-')), 'history.ndjson');
    await writeV1History(file, { events: EVENTS, seed: 7 });
    const sql = new PgSqlClient(db.url);
    const store = await SqlEventStore.open(sql);
    await importLegacyFile(store, file, { batchSize: 5000 });
    await store.close();
    pg = new Client({ connectionString: db.url });
    await pg.connect();
  }, 60_000);

  afterAll(async () => {
    await pg?.end();
    await db?.drop();
  });

  it('ends identical to an uninterrupted rebuild', async () => {
    const seed = Number(process.env.KILL_SEED ?? Date.now() % 1_000_000);
    try {
      await killRestartAndCompare(seed);
    } catch (error) {
      if (error instanceof Error) error.message = `KILL_SEED=${seed}: ${error.message}`;
      throw error;
    }
  }, 120_000);

  async function killRestartAndCompare(seed: number): Promise<void> {
    const random = rng(seed);
    // Kill points: the rebuild has passed a random checkpoint, plus a random delay so it lands
    // anywhere inside a batch. Checkpoints move 5,000 events at a time, and a fast machine applies
    // a batch in about the longest delay: at most 60% of the log leaves three batches or more,
    // so a kill always lands before the end (at 80% the last kill sometimes came after it).
    const targets = Array.from({ length: KILLS }, () => Math.floor(random() * 0.6 * EVENTS)).sort(
      (a, b) => a - b,
    );
    const kills: Array<{ target: number; positionAfterKill: number }> = [];
    for (const target of targets) {
      const child: ChildProcess = spawn(process.execPath, [BIN, ...REBUILD], {
        env: env(),
        stdio: 'ignore',
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      let exitCode: number | null | undefined;
      void exited.then((code) => (exitCode = code));
      for (;;) {
        const s = await state().catch(() => undefined); // the table appears with the first run
        if (exitCode !== undefined) break;
        if (s && Number(s.position) >= target) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (exitCode !== undefined) throw new Error('the rebuild ended before its kill');
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 150)));
      child.kill('SIGKILL');
      expect(await exited).toBeNull();
      const after = await state();
      expect(after).toMatchObject({ status: 'rebuilding' });
      const positionAfterKill = Number(after!.position);
      // Exactly-once: each committed batch counted its events with its checkpoint.
      expect(after!.events_applied).toBe(after!.position);
      if (kills.length > 0)
        expect(positionAfterKill).toBeGreaterThanOrEqual(kills.at(-1)!.positionAfterKill);
      kills.push({ target, positionAfterKill });
    }
    expect(kills.length).toBeGreaterThanOrEqual(5);
    expect(kills.at(-1)!.positionAfterKill).toBeLessThan(EVENTS);

    const finished = cli(REBUILD);
    expect(finished.stdout).toContain(
      `supplier_tasks v1: running at position ${EVENTS}/${EVENTS} (lag 0)`,
    );
    expect(finished.status).toBe(0);
    expect(await state()).toMatchObject({
      status: 'running',
      position: String(EVENTS),
      events_applied: String(EVENTS),
    });
    const interrupted = await tableChecksums(queryable(pg), 'supplier_tasks', 1);

    const uninterrupted = cli([...REBUILD, '--restart']);
    expect(uninterrupted.status).toBe(0);
    expect(await state()).toMatchObject({ status: 'running', events_applied: String(EVENTS) });
    expect(await tableChecksums(queryable(pg), 'supplier_tasks', 1)).toEqual(interrupted);
    expect(Number(interrupted.task_instances!.split(':')[0])).toBeGreaterThan(1000);
  }
});
