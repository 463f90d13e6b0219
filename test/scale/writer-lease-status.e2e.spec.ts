import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import type { ProjectionVersionStatus } from '../../src/projection-runner/projection-status';
import type { ServiceProcess } from '../reliability/support/service-process';
import { pidOf, startProcesses, until, type Processes } from './support/processes';

const ADMIN_KEY = 'st_lease-status-admin-key-0123456789abcdefghijk';
const BIN = join(__dirname, '..', '..', 'bin', 'supplier-tasks.js');

/** The built CLI, run in a process of its own on the database (not through a service). */
function cli(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const { SERVICE_URL: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...inherited, EVENTSTORE_URL: '', ...env },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

interface LeaseRow {
  holder: string;
  since: string;
}

describe('which process writes each projection version, seen from any process and the CLI', () => {
  let processes: Processes | undefined;
  let pg: Client;
  let services: ServiceProcess[] = [];

  const statusesOn = async (service: ServiceProcess): Promise<ProjectionVersionStatus[]> =>
    (await (
      await fetch(`${service.url}/projections`, {
        headers: { Authorization: `Bearer ${ADMIN_KEY}` },
      })
    ).json()) as ProjectionVersionStatus[];
  /** What the lease table holds, read here with SQL of the test's own. */
  const leaseRow = async (name: string, version: number): Promise<LeaseRow | undefined> => {
    const { rows } = await pg.query<LeaseRow>(
      `SELECT holder, to_char(claimed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS since
       FROM projections.version_writers WHERE name = $1 AND version = $2`,
      [name, version],
    );
    return rows[0];
  };

  beforeAll(async () => {
    processes = await startProcesses(2, {
      database: 'st_lease',
      adminKey: ADMIN_KEY,
      dirPrefix: 'lease-status-',
    });
    ({ pg, services } = processes);
  }, 300_000);

  afterAll(async () => {
    await processes?.close();
  }, 60_000);

  it('GET /projections on every process and `projections status` name the holder of each lease, since when and until when; after the holder dies, its successor', async () => {
    // On an empty log the newest versions went live at the first start: someone follows each.
    const following = await until('every running version has a writer', async () => {
      const running = (await statusesOn(services[1]!)).filter((s) => s.status === 'running');
      return running.length > 0 && running.every((s) => s.writer && !s.writer.expired)
        ? running
        : undefined;
    });
    const pids = services.map((s) => s.child.pid);
    for (const version of following) {
      const row = await leaseRow(version.name, version.version);
      // The one the table names, seen alike from both processes.
      const seen = await Promise.all(
        services.map(async (s) =>
          (await statusesOn(s)).find(
            (v) => v.name === version.name && v.version === version.version,
          ),
        ),
      );
      for (const status of seen) {
        expect(status!.writer!.holder).toBe(row!.holder);
        expect(status!.writer!.since).toBe(row!.since);
        expect(Date.parse(status!.writer!.until)).toBeGreaterThan(
          Date.parse(status!.writer!.since),
        );
      }
      expect(pids).toContain(pidOf(row!.holder));
    }

    const { name, version } = following[0]!;
    const before = (await leaseRow(name, version))!;
    const printed = await cli(
      { DATABASE_URL: processes!.url, DATA_DIR: processes!.dir('lease-cli-') },
      ['projections', 'status'],
    );
    expect(printed.code).toBe(0);
    expect(printed.out).toContain(`${name} v${version}: running`);
    expect(printed.out).toContain(`  writer: ${before.holder} since ${before.since}, lease until `);

    // The holder dies: the lease is taken over by the survivor, held since the takeover.
    const holder = services.find((s) => s.child.pid === pidOf(before.holder))!;
    const survivor = services.find((s) => s !== holder)!;
    holder.child.kill('SIGKILL');
    await holder.exited;
    const successor = await until('the survivor takes the lease over', async () => {
      const status = (await statusesOn(survivor)).find(
        (v) => v.name === name && v.version === version,
      );
      return status?.writer && pidOf(status.writer.holder) === survivor.child.pid
        ? status.writer
        : undefined;
    });
    const after = (await leaseRow(name, version))!;
    expect(successor.holder).toBe(after.holder);
    expect(successor.since).toBe(after.since);
    expect(successor.expired).toBe(false);
    expect(Date.parse(successor.since)).toBeGreaterThan(Date.parse(before.since));
  }, 300_000);
});
