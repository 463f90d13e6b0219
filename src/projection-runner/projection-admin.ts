import type { StoredEvent } from '../eventstore/event';
import type { EventStore } from '../eventstore/event-store.port';
import type { SqlClient } from '../eventstore/sql/sql-client';
import { migrationSummary, type MigrationSummary } from './migration-summary';
import { ProjectionCatalog, ProjectionCommandError } from './projection-catalog';
import type { ProjectionDefinition } from '../../projections/projection-definition';
import type {
  ProjectionVersionStatus,
  RecordedVersionStatus,
  SkippedEvent,
} from './projection-status';
import { applyStoredEvents } from './apply-events';
import { ProjectionRunner } from './projection-runner';
import { validateProjection, type ValidationReport } from './projection-validator';
import { performanceChecks } from './validation-checks/performance.checks';
import { systemClock } from '../dashboards/clock';
import { upcasterChain, type UpcasterChain } from './upcaster-chain';
import { leaseKey, lockedState, lockKey, type WriterLease } from './version-lock';
import type { MigrationReport } from '../migration-report/migration-report';
import { migrationReportMarkdown } from '../migration-report/migration-report.markdown';
import { MigrationRuns } from '../migration-report/migration-runs';

export type ValidateAgainst = 'live' | 'legacy_v1';

/** `PROJECTION_RETENTION_DAYS`: how long a replaced version and the legacy read model are kept (30). */
export function retentionDaysOf(env: NodeJS.ProcessEnv): number {
  const raw = env.PROJECTION_RETENTION_DAYS;
  if (raw === undefined || raw === '') return 30;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 0) {
    throw new Error(
      `PROJECTION_RETENTION_DAYS: a whole number of days, not ${JSON.stringify(raw)}`,
    );
  }
  return days;
}

/** A projection's live pointer, and until when what it replaced (and the legacy read model) is kept. */
export interface LiveVersion {
  name: string;
  version: number | null;
  previousVersion: number | null;
  switchedAt: string | null;
  retentionDays: number;
  retainedUntil: string | null;
}

export const NO_LIVE_READ_MODEL =
  'the log holds events but no supplier_tasks version is live yet: run `supplier-tasks migrate`';

/**
 * Every migration step, in one place, for the CLI (in process) and the admin HTTP API (in the
 * service) alike. Rebuilds are applied by whichever runner gets there: the service's loop, or
 * `catchUp` in a CLI process.
 */
export class ProjectionAdmin {
  private constructor(
    readonly store: EventStore,
    readonly sql: SqlClient,
    readonly catalog: ProjectionCatalog,
    readonly runner: ProjectionRunner,
    private readonly retentionDays: number,
    readonly migrations = new MigrationRuns(sql),
  ) {}

  static async open(
    store: EventStore,
    sql: SqlClient,
    definitions: ProjectionDefinition[],
    batchSize?: number,
    chain: UpcasterChain = upcasterChain,
    retentionDays = retentionDaysOf(process.env),
  ): Promise<ProjectionAdmin> {
    const catalog = await ProjectionCatalog.open(sql, definitions, chain);
    return new ProjectionAdmin(
      store,
      sql,
      catalog,
      new ProjectionRunner(store, sql, catalog, chain, batchSize),
      retentionDays,
    );
  }

  async status(): Promise<ProjectionVersionStatus[]> {
    const [statuses, leases] = await Promise.all([
      this.catalog.status(await this.store.headPosition()),
      this.runner.writers.leases(),
    ]);
    return statuses.map((status) => withWriter(status, leases));
  }

  async versionStatus(name: string, version: number): Promise<ProjectionVersionStatus> {
    const [status, leases] = await Promise.all([
      this.catalog.versionStatus(name, version, await this.store.headPosition()),
      this.runner.writers.leases(),
    ]);
    if (!status) throw new ProjectionCommandError(`${name} v${version} has never been built`);
    return withWriter(status, leases);
  }

  rebuild(name: string, version: number, restart = false): Promise<void> {
    return this.catalog.rebuild(name, version, { restart });
  }

  /** Applies events to the version in this process until it has caught up (or failed). */
  async catchUp(
    name: string,
    version: number,
    onProgress?: (position: bigint) => void,
  ): Promise<ProjectionVersionStatus> {
    const outcome = await this.runner.catchUp(this.catalog.definition(name, version), onProgress);
    if (outcome.refused) throw new ProjectionCommandError(outcome.refused);
    return this.versionStatus(name, version);
  }

  /** At start: on an empty log, the newest version of each projection goes live by itself. */
  async goLiveOnEmptyLog(): Promise<string[]> {
    return this.catalog.goLiveOnEmptyLog(async () => (await this.store.headPosition()) === 0n);
  }

  /**
   * Compares a version with the live version of `against` at one position of the log: in one
   * transaction holding both versions' locks, the one behind is brought up to the other, then
   * they are compared check by check; the dashboards are timed on the candidate after it, and
   * the verdict recorded.
   */
  async validate(
    name: string,
    version: number,
    against: ValidateAgainst,
  ): Promise<ValidationReport> {
    const candidate = this.catalog.definition(name, version);
    const referenceName = against === 'live' ? name : against;
    const referenceVersion = await this.catalog.liveVersion(referenceName);
    if (referenceVersion === undefined) {
      throw new ProjectionCommandError(`${referenceName} has no live version to validate against`);
    }
    if (referenceName === name && referenceVersion === version) {
      throw new ProjectionCommandError(`${name} v${version} is the live version itself`);
    }
    const reference = this.catalog.definition(referenceName, referenceVersion);
    for (let attempt = 0; attempt < 10; attempt++) {
      const [c, r] = [
        await this.versionStatus(name, version),
        await this.versionStatus(referenceName, referenceVersion),
      ];
      for (const s of [c, r]) {
        if (s.status !== 'running') {
          throw new ProjectionCommandError(
            `${s.name} v${s.version} is ${s.status}: validate once it has caught up`,
          );
        }
      }
      const target =
        BigInt(c.position) > BigInt(r.position) ? BigInt(c.position) : BigInt(r.position);
      const gapC = await this.readRange(BigInt(c.position), target);
      const gapR = await this.readRange(BigInt(r.position), target);
      const report = await this.sql.transaction(async (tx) => {
        for (const key of [lockKey(candidate), lockKey(reference)].sort()) {
          await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [key]);
        }
        const [sc, sr] = [await lockedState(tx, candidate), await lockedState(tx, reference)];
        if (sc?.position !== c.position || sr?.position !== r.position) return undefined; // moved: try again
        const applied = [
          await applyStoredEvents(
            tx,
            candidate,
            this.runner.chain,
            new Set(c.skipped.map((k) => k.eventId)),
            BigInt(c.position),
            gapC,
          ),
          await applyStoredEvents(
            tx,
            reference,
            this.runner.chain,
            new Set(r.skipped.map((k) => k.eventId)),
            BigInt(r.position),
            gapR,
          ),
        ];
        if (applied.some((a) => a.failure)) return undefined; // the next status read reports the failure
        return {
          ...(await validateProjection(tx, candidate, reference, target)),
          skipped: { candidate: c.skipped, reference: r.skipped },
        };
      });
      if (report) {
        // Timed outside the transaction: the runner (on PGlite, every query) would wait for it.
        const checks = [
          ...report.checks,
          ...(await performanceChecks(this.sql, candidate, systemClock.today())),
        ];
        const passed = checks.every((check) => check.passed);
        // Only for the build compared: a rebuild restarted meanwhile has not been validated.
        const recorded = await this.sql.query(
          `UPDATE projections.versions SET validated_against = $3, validated_at = now(), validation_passed = $4
           WHERE name = $1 AND version = $2 AND date_trunc('milliseconds', started_at) = $5::timestamptz
           RETURNING name`,
          [name, version, `${referenceName} v${referenceVersion}`, passed, c.startedAt],
        );
        if (recorded.length === 0) {
          throw new ProjectionCommandError(
            `${name} v${version} was rebuilt during validation; run it again`,
          );
        }
        return { ...report, checks, passed };
      }
    }
    throw new ProjectionCommandError('the projections kept moving during validation; run it again');
  }

  /** Stored events in (after, until]. */
  private async readRange(after: bigint, until: bigint): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    let from = after;
    while (from < until) {
      const page = (await this.store.readAll({ after: from, maxCount: 5000 })).filter(
        (e) => e.position <= until,
      );
      if (page.length === 0) break;
      events.push(...page);
      from = page.at(-1)!.position;
    }
    return events;
  }

  switchTo(name: string, version: number, force = false): Promise<void> {
    return this.catalog.switchTo(name, version, { force });
  }

  rollback(name: string): Promise<number> {
    return this.catalog.rollback(name);
  }

  /**
   * Drops a version; one still in its retention period (the version live before a switch, or the
   * legacy read model after the migration) only with `force`, which is recorded with who.
   */
  retire(name: string, version: number, force = false, actor = 'anonymous'): Promise<void> {
    return this.catalog.retire(name, version, {
      withViews: true,
      force,
      actor,
      retentionDays: this.retentionDays,
    });
  }

  /**
   * Clears the failure and applies the next batch at once: a version that fails again (the
   * event is immutable, so it usually does) answers with that failure, not with success.
   */
  async resume(name: string, version?: number): Promise<number> {
    const target =
      version ??
      (await this.status()).find((s) => s.name === name && s.status === 'failed')?.version;
    if (target === undefined) throw new ProjectionCommandError(`${name} has no failed version`);
    const definition = this.catalog.definition(name, target);
    await this.catalog.resume(name, target);
    const outcome = await this.runner.runBatch(definition);
    if (outcome.refused) throw new ProjectionCommandError(outcome.refused);
    if (outcome.failed) {
      const f = (await this.versionStatus(name, target)).failure;
      throw new ProjectionCommandError(
        f
          ? `${name} v${target} failed again at position ${f.position} (${f.type} ${f.eventId}): ${f.error}`
          : `${name} v${target} failed again`,
      );
    }
    return target;
  }

  /** The operator's recorded escape past the event a version is stopped at; see the catalog. */
  skip(
    name: string,
    version: number,
    eventId: string,
    reason: string,
    actor: string,
  ): Promise<SkippedEvent> {
    return this.catalog.skip(name, version, eventId, reason, actor);
  }

  /** The live read model's summary; with no live supplier_tasks there is none yet: a conflict, not a crash. */
  async summary(): Promise<MigrationSummary> {
    if ((await this.catalog.liveVersion('supplier_tasks')) === undefined) {
      throw new ProjectionCommandError(NO_LIVE_READ_MODEL);
    }
    return migrationSummary(this.sql);
  }

  latestVersion(name: string): number {
    return this.catalog.latestVersion(name);
  }

  async live(name: string): Promise<LiveVersion> {
    this.catalog.latestVersion(name); // a projection this build knows
    const [row] = await this.sql.query<{
      version: number;
      previous_version: number | null;
      switched_at: string;
      until: string;
    }>(
      `SELECT version, previous_version,
         to_char(switched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS switched_at,
         to_char((switched_at + make_interval(days => $2)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS until
       FROM projections.live WHERE name = $1`,
      [name, this.retentionDays],
    );
    return {
      name,
      version: row?.version ?? null,
      previousVersion: row?.previous_version ?? null,
      switchedAt: row?.switched_at ?? null,
      retentionDays: this.retentionDays,
      retainedUntil: row?.until ?? null,
    };
  }

  /** Keeps a migration run with its report, the Markdown rendered here so every reader gets the same. */
  recordMigration(report: MigrationReport): Promise<void> {
    return this.migrations.record(report, migrationReportMarkdown(report));
  }
}

function withWriter(
  status: RecordedVersionStatus,
  leases: Map<string, WriterLease>,
): ProjectionVersionStatus {
  return { ...status, writer: leases.get(leaseKey(status.name, status.version)) ?? null };
}
