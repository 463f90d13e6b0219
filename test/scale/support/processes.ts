import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../../support/postgres';
import { startService, type ServiceProcess } from '../../reliability/support/service-process';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks `probe` every 100 ms until it answers (a throw counts as no answer yet). */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

/** The pid in a writer lease's holder (`host/pid/nonce`). */
export const pidOf = (holder: string) => Number(holder.split('/')[1]);

/** Several built service processes on one fresh PostgreSQL database, and a client of the test's own. */
export interface Processes {
  url: string;
  pg: Client;
  services: ServiceProcess[];
  /** A folder of its own, removed with the rest. */
  dir(prefix: string): string;
  close(): Promise<void>;
}

export async function startProcesses(
  count: number,
  { database, adminKey, dirPrefix }: { database: string; adminKey: string; dirPrefix: string },
): Promise<Processes> {
  const db = await createTestDatabase(database);
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const dirs: string[] = [];
  const dir = (prefix: string) => {
    const made = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(made);
    return made;
  };
  const services: ServiceProcess[] = [];
  for (let i = 0; i < count; i++) {
    services.push(
      await startService({
        DATABASE_URL: db.url,
        DATA_DIR: dir(dirPrefix),
        SUPPLIER_TASKS_ADMIN_KEY: adminKey,
      }),
    );
  }
  return {
    url: db.url,
    pg,
    services,
    dir,
    close: async () => {
      for (const service of services) service.child.kill('SIGKILL');
      await Promise.all(services.map((s) => s.exited));
      await pg.end();
      await db.drop();
      for (const made of dirs) rmSync(made, { recursive: true, force: true });
    },
  };
}
