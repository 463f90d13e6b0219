import type { StoredEvent } from '../eventstore/event';
import type { EventStore } from '../eventstore/event-store.port';
import type { SqlClient } from '../eventstore/sql/sql-client';
import { migrationSummary, type MigrationSummary } from './migration-summary';
import { ProjectionCatalog, ProjectionCommandError } from './projection-catalog';
import type { ProjectionDefinition } from '../../projections/projection-definition';
import type { ProjectionVersionStatus } from './projection-status';
import { applyStoredEvents } from './apply-events';
import { ProjectionRunner } from './projection-runner';
import { validateProjection, type ValidationReport } from './projection-validator';
import { lockedState, lockKey } from './version-lock';

export type ValidateAgainst = 'live' | 'legacy_v1';

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
  ) {}

  static async open(
    store: EventStore,
    sql: SqlClient,
    definitions: ProjectionDefinition[],
    batchSize?: number,
  ): Promise<ProjectionAdmin> {
    const catalog = await ProjectionCatalog.open(sql, definitions);
    return new ProjectionAdmin(
      store,
      sql,
      catalog,
      new ProjectionRunner(store, sql, catalog, batchSize),
    );
  }

  async status(): Promise<ProjectionVersionStatus[]> {
    return this.catalog.status(await this.store.headPosition());
  }

  async versionStatus(name: string, version: number): Promise<ProjectionVersionStatus> {
    const status = await this.catalog.versionStatus(name, version, await this.store.headPosition());
    if (!status) throw new ProjectionCommandError(`${name} v${version} has never been built`);
    return status;
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
    await this.runner.catchUp(this.catalog.definition(name, version), onProgress);
    return this.versionStatus(name, version);
  }

  /**
   * Compares a version with the live version of `against` at one position of the log: in one
   * transaction holding both versions' locks, the one behind is brought up to the other, then
   * their facts are compared and the verdict recorded.
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
          await applyStoredEvents(tx, candidate, BigInt(c.position), gapC),
          await applyStoredEvents(tx, reference, BigInt(r.position), gapR),
        ];
        if (applied.some((a) => a.failure)) return undefined; // the next status read reports the failure
        const result = await validateProjection(tx, candidate, reference);
        await tx.query(
          `UPDATE projections.versions SET validated_against = $3, validated_at = now(), validation_passed = $4
           WHERE name = $1 AND version = $2`,
          [name, version, `${referenceName} v${referenceVersion}`, result.passed],
        );
        return result;
      });
      if (report) return report;
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

  retire(name: string, version: number): Promise<void> {
    return this.catalog.retire(name, version, { withViews: true });
  }

  async resume(name: string, version?: number): Promise<number> {
    const target =
      version ??
      (await this.status()).find((s) => s.name === name && s.status === 'failed')?.version;
    if (target === undefined) throw new ProjectionCommandError(`${name} has no failed version`);
    await this.catalog.resume(name, target);
    return target;
  }

  summary(): Promise<MigrationSummary> {
    return migrationSummary(this.sql);
  }

  latestVersion(name: string): number {
    return this.catalog.latestVersion(name);
  }
}
