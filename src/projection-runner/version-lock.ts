import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { migrate, type Migration } from '../eventstore/sql/migrations';
import type { SqlClient, SqlSession } from '../eventstore/sql/sql-client';
import { schemaOf, type ProjectionDefinition } from '../../projections/projection-definition';

/** A version's place in the log and whether it is being applied, as projections.versions holds it. */
export interface VersionState {
  status: string;
  position: string;
}

/** The advisory lock that one process at a time holds to apply a version. */
export function lockKey(definition: ProjectionDefinition): string {
  return `projection:${schemaOf(definition.name, definition.version)}`;
}

/** The version's state row, locked for the rest of the transaction. */
export async function lockedState(
  tx: SqlSession,
  definition: ProjectionDefinition,
): Promise<VersionState | undefined> {
  const [state] = await tx.query<VersionState>(
    `SELECT status, position::text AS position FROM projections.versions
     WHERE name = $1 AND version = $2 FOR UPDATE`,
    [definition.name, definition.version],
  );
  return state;
}

export const leaseKey = (name: string, version: number): string => `${name} v${version}`;

const ISO = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * How long a process's claim to write a version lasts unrenewed. The service's loop renews its
 * claims at most once a RENEW_AFTER_MS (and at least once a second and a bit when idle), so a
 * process that dies is replaced by another within this plus a second or two.
 */
export const WRITER_LEASE_MS = 5_000;
/**
 * A lease renewed this recently is still held (most of it is left): the loop's turn goes on
 * without asking. Under load the loop turns tens of times a second; renewing on each turn was
 * one statement in every fifteen the service sent.
 */
const RENEW_AFTER_MS = 1_000;

const writerMigrations: Migration[] = [
  {
    version: 1,
    description: 'which service process writes each projection version',
    sql: `
      CREATE TABLE projections.version_writers (
        name text NOT NULL,
        version int NOT NULL,
        holder text NOT NULL,
        claimed_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (name, version)
      );
    `,
  },
];

/** Who follows a version's log, as `projections.version_writers` holds it. */
export interface WriterLease {
  /** The process: host, pid and a nonce (`VersionWriters.holder`). */
  holder: string;
  /** When this holder took the lease (its renewals keep the time). */
  since: string;
  /** When the lease lapses unless renewed; from then on any process may take it over. */
  until: string;
  /** Lapsed by the database's clock: the holder stopped renewing (it died, hung or stopped). */
  expired: boolean;
}

/**
 * One service process at a time follows the log for a version: it holds a lease, renewed as
 * it goes, and the others leave the version alone until the lease expires (its holder died or
 * hung). The lease saves the others reading and folding batches they would lose; it is not what
 * makes the effects exactly-once: the transaction-scoped lock and the checkpoint check of every
 * batch are, whoever applies it (a CLI `catchUp` takes no lease). The database's clock is the
 * only clock, so the processes' clocks need not agree.
 */
export class VersionWriters {
  /** Host, pid and a nonce: names the process in the table, and a restarted pid is a new holder. */
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  private ready: Promise<void> | undefined;
  /** When each held lease was last renewed, on this process's monotonic clock. */
  private readonly renewed = new Map<string, number>();

  constructor(
    private readonly sql: SqlClient,
    private readonly leaseMs = WRITER_LEASE_MS,
  ) {}

  /** Takes or renews the version's lease; false while another process holds it unexpired. */
  async claim(definition: ProjectionDefinition): Promise<boolean> {
    const key = leaseKey(definition.name, definition.version);
    const renewedAt = this.renewed.get(key);
    if (renewedAt !== undefined && performance.now() - renewedAt < RENEW_AFTER_MS) return true;
    await this.migrated();
    const asked = performance.now();
    const rows = await this.sql.query(
      `INSERT INTO projections.version_writers AS w (name, version, holder, claimed_at, expires_at)
       VALUES ($1, $2, $3, clock_timestamp(), clock_timestamp() + $4::int * interval '1 millisecond')
       ON CONFLICT (name, version) DO UPDATE SET holder = EXCLUDED.holder,
         expires_at = EXCLUDED.expires_at,
         claimed_at = CASE WHEN w.holder = EXCLUDED.holder THEN w.claimed_at ELSE EXCLUDED.claimed_at END
       WHERE w.holder = EXCLUDED.holder OR w.expires_at < clock_timestamp()
       RETURNING 1`,
      [definition.name, definition.version, this.holder, this.leaseMs],
    );
    if (rows.length === 0) {
      this.renewed.delete(key);
      return false;
    }
    this.renewed.set(key, asked);
    return true;
  }

  /** Every version's lease as it stands, by `leaseKey`. */
  async leases(): Promise<Map<string, WriterLease>> {
    await this.migrated();
    const rows = await this.sql.query<WriterLease & { name: string; version: number }>(
      `SELECT name, version, holder, ${ISO('claimed_at')} AS since, ${ISO('expires_at')} AS until,
         expires_at < clock_timestamp() AS expired
       FROM projections.version_writers`,
    );
    return new Map(rows.map(({ name, version, ...lease }) => [leaseKey(name, version), lease]));
  }

  /** On a clean stop: the next process need not wait for the leases to expire. */
  async releaseAll(): Promise<void> {
    this.renewed.clear();
    if (this.ready === undefined) return;
    await this.sql.query('DELETE FROM projections.version_writers WHERE holder = $1', [
      this.holder,
    ]);
  }

  private migrated(): Promise<void> {
    this.ready ??= migrate(this.sql, 'projection-writers', writerMigrations).catch(
      (error: unknown) => {
        this.ready = undefined;
        throw error;
      },
    );
    return this.ready;
  }
}
