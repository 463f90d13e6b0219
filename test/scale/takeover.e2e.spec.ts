import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { projectionDefinitions } from '../../projections';
import type { ProjectionDefinition } from '../../projections/projection-definition';
import { PgSqlClient } from '../../src/eventstore/sql/pg-sql-client';
import { SqlEventStore } from '../../src/eventstore/sql/sql-event-store';
import { ProjectionAdmin } from '../../src/projection-runner/projection-admin';
import type { ProjectionVersionStatus } from '../../src/projection-runner/projection-status';
import { tableChecksums } from '../support/checksums';
import type { ServiceProcess } from '../reliability/support/service-process';
import { pidOf, startProcesses, until, type Processes } from './support/processes';

const ADMIN_KEY = 'st_takeover-admin-key-0123456789abcdefghijklmnop';
const PROCESSES = 3;
const TAKEOVER_LIMIT_MS = 10_000;

describe('several service processes on one PostgreSQL database (the built service)', () => {
  let processes: Processes | undefined;
  let pg: Client;
  let services: ServiceProcess[] = [];
  const alive = () => services.filter((s) => s.child.exitCode === null && !s.child.killed);

  const send = (
    service: ServiceProcess,
    method: string,
    path: string,
    body?: unknown,
    headers = {},
  ) =>
    fetch(`${service.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${ADMIN_KEY}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const statusOn = async (service: ServiceProcess, name: string, version: number) => {
    const all = (await (
      await send(service, 'GET', '/projections')
    ).json()) as ProjectionVersionStatus[];
    return all.find((s) => s.name === name && s.version === version);
  };
  const writerOf = async (name: string, version: number): Promise<string | undefined> => {
    const { rows } = await pg.query<{ holder: string }>(
      `SELECT holder FROM projections.version_writers WHERE name = $1 AND version = $2
       AND expires_at > clock_timestamp()`,
      [name, version],
    );
    return rows[0]?.holder;
  };

  beforeAll(async () => {
    processes = await startProcesses(PROCESSES, {
      database: 'st_scale',
      adminKey: ADMIN_KEY,
      dirPrefix: 'takeover-',
    });
    ({ pg, services } = processes);
  }, 300_000);

  afterAll(async () => {
    await processes?.close();
  }, 60_000);

  it('admin commands work from any process; a stale If-Match loses on another process; the writer of the live version is killed and another takes over within 10 s; the read model equals a single-process rebuild', async () => {
    const [a, b, c] = services as [ServiceProcess, ServiceProcess, ServiceProcess];
    // Rebuild asked of one process, watched on another, switched by a third.
    expect(
      (await send(a, 'POST', '/projections/supplier_tasks/rebuild', { version: 1 })).status,
    ).toBe(202);
    await until('rebuilt', async () =>
      (await statusOn(b, 'supplier_tasks', 1))?.status === 'running' ? true : undefined,
    );
    expect(
      (await send(c, 'POST', '/projections/supplier_tasks/switch', { version: 1, force: true }))
        .status,
    ).toBe(204);

    // The load: suppliers registered round-robin over the live processes, each then renamed
    // twice at once on two processes with the same If-Match: exactly one rename wins.
    let loading = true;
    let turn = 0;
    const outcomes = { winners: new Map<string, string>(), other: [] as string[] };
    const next = () => {
      const live = alive();
      return live[turn++ % live.length]!;
    };
    const load = (async () => {
      while (loading) {
        const supplierId = randomUUID();
        const created = await send(next(), 'POST', '/suppliers', {
          supplierId,
          code: `S-${supplierId}`,
          name: 'Supplier',
        }).catch(() => undefined);
        if (created?.status !== 201) continue; // the process was killed under it: try elsewhere
        const renames = await Promise.all(
          [next(), next()].map((service, i) =>
            send(
              service,
              'PUT',
              `/suppliers/${supplierId}/name`,
              { name: `Name ${i}` },
              { 'If-Match': '"0"' },
            )
              .then((res) => res.status)
              .catch(() => 0),
          ),
        );
        if (renames.includes(0)) continue;
        const won = renames.indexOf(200);
        if (won >= 0 && renames[1 - won] === 409) outcomes.winners.set(supplierId, `Name ${won}`);
        else outcomes.other.push(renames.join(','));
      }
    })();

    await sleep(3_000);
    const holder = await until('a writer of supplier_tasks v1', () =>
      writerOf('supplier_tasks', 1),
    );
    const victim = services.find((s) => s.child.pid === pidOf(holder));
    expect(victim).toBeDefined();
    const positionAtKill = BigInt((await statusOn(victim!, 'supplier_tasks', 1))!.position);
    const killedAt = Date.now();
    victim!.child.kill('SIGKILL');
    await victim!.exited;

    const survivor = alive()[0]!;
    const successor = await until(
      'another writer',
      async () => {
        const now = await writerOf('supplier_tasks', 1);
        return now !== undefined && now !== holder ? now : undefined;
      },
      TAKEOVER_LIMIT_MS + 5_000,
    );
    await until('the checkpoint moving again', async () => {
      const status = await statusOn(survivor, 'supplier_tasks', 1);
      return status && BigInt(status.position) > positionAtKill ? true : undefined;
    });
    const takeoverMs = Date.now() - killedAt;
    expect(alive().map((s) => s.child.pid)).toContain(pidOf(successor));
    expect(takeoverMs).toBeLessThan(TAKEOVER_LIMIT_MS);

    await sleep(2_000);
    loading = false;
    await load;
    expect(outcomes.other).toEqual([]);
    expect(outcomes.winners.size).toBeGreaterThan(0);
    const caughtUp = await until('caught up', async () => {
      const status = await statusOn(survivor, 'supplier_tasks', 1);
      return status?.lag === '0' && status.status === 'running' ? status : undefined;
    });
    expect(BigInt(caughtUp.position)).toBe(BigInt(caughtUp.headPosition));

    // The single-process run: the same definition rebuilt here, alone, under another version.
    const v1 = projectionDefinitions.find((d) => d.name === 'supplier_tasks' && d.version === 1)!;
    const alone: ProjectionDefinition = { ...v1, version: 99 };
    const sql = new PgSqlClient(processes!.url);
    const store = await SqlEventStore.open(sql);
    try {
      const admin = await ProjectionAdmin.open(store, sql, [...projectionDefinitions, alone]);
      await admin.rebuild('supplier_tasks', 99);
      const rebuilt = await admin.catchUp('supplier_tasks', 99);
      expect(rebuilt.position).toBe(caughtUp.position);
      expect(await tableChecksums(sql, 'supplier_tasks', 1)).toEqual(
        await tableChecksums(sql, 'supplier_tasks', 99, [alone]),
      );
      // Each rename that won is what the read model holds.
      const { rows } = await pg.query<{ id: string; name: string }>(
        'SELECT id, name FROM supplier_tasks_v1.suppliers WHERE id = ANY($1::text[])',
        [[...outcomes.winners.keys()]],
      );
      expect(new Map(rows.map((r) => [r.id, r.name]))).toEqual(outcomes.winners);
    } finally {
      await store.close();
    }
  }, 300_000);
});
