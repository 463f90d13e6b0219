import { quoteIdent } from '../eventstore/sql/pg-sql-client';
import type { SqlClient, SqlSession } from '../eventstore/sql/sql-client';
import { migrate } from '../eventstore/sql/migrations';
import type { ProjectionDefinition } from '../../projections/projection-definition';
import { schemaOf } from '../../projections/projection-definition';
import { projectionStateMigrations } from './projection-state.schema';
import type { RecordedVersionStatus, SkippedEvent, VersionStatus } from './projection-status';
import type { UpcasterChain } from './upcaster-chain';
import { fingerprintMismatch, fingerprintOf, type VersionFingerprint } from './version-fingerprint';

export class ProjectionCommandError extends Error {}

interface VersionRow {
  name: string;
  version: number;
  status: VersionStatus;
  position: string;
  events_applied: string;
  started_at: string;
  caught_up_at: string | null;
  failed_position: string | null;
  failed_event_id: string | null;
  failed_event_type: string | null;
  error: string | null;
  validated_against: string | null;
  validated_at: string | null;
  validation_passed: boolean | null;
  live_version: number | null;
  schema_fingerprint: string | null;
  handlers_fingerprint: string | null;
  upcasters_fingerprint: string | null;
}

interface SkipRow {
  name: string;
  version: number;
  event_id: string;
  position: string;
  event_type: string;
  error: string;
  reason: string;
  actor: string;
  skipped_at: string;
}

const ISO = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The projection versions known to the database: their schemas, their progress, and which one
 * each stable schema of views points at. Every change here is one transaction.
 */
export class ProjectionCatalog {
  private constructor(
    private readonly sql: SqlClient,
    private readonly definitions: ProjectionDefinition[],
    private readonly chain: UpcasterChain,
  ) {}

  static async open(
    sql: SqlClient,
    definitions: ProjectionDefinition[],
    chain: UpcasterChain,
  ): Promise<ProjectionCatalog> {
    await migrate(sql, 'projections', projectionStateMigrations);
    return new ProjectionCatalog(sql, definitions, chain);
  }

  /** What this build would build the version with. */
  fingerprint(definition: ProjectionDefinition): VersionFingerprint {
    return fingerprintOf(definition, this.chain);
  }

  /**
   * Why this build must not continue or switch to a version built with another definition, or
   * undefined. A version recorded before fingerprints existed is taken to be this build's.
   */
  refusal(definition: ProjectionDefinition, recorded: RecordedFingerprint): string | undefined {
    if (recorded.schema_fingerprint === null) return undefined;
    return fingerprintMismatch(
      definition.name,
      definition.version,
      {
        schema: recorded.schema_fingerprint,
        handlers: recorded.handlers_fingerprint ?? '',
        upcasters: recorded.upcasters_fingerprint ?? '',
      },
      this.fingerprint(definition),
    );
  }

  private knownDefinition(name: string, version: number): ProjectionDefinition | undefined {
    return this.definitions.find((d) => d.name === name && d.version === version);
  }

  definition(name: string, version: number): ProjectionDefinition {
    const found = this.definitions.find((d) => d.name === name && d.version === version);
    if (!found) {
      const known = this.definitions.map((d) => `${d.name} v${d.version}`).join(', ');
      throw new ProjectionCommandError(
        `no projection ${name} version ${version} in this build (known: ${known})`,
      );
    }
    return found;
  }

  latestVersion(name: string): number {
    const versions = this.definitions.filter((d) => d.name === name).map((d) => d.version);
    if (versions.length === 0) throw new ProjectionCommandError(`no projection named ${name}`);
    return Math.max(...versions);
  }

  /**
   * Starts version `version` from position 0 in a fresh schema beside whatever is live. A version
   * already rebuilding or running is left alone (so a re-run after an interruption continues);
   * `restart` drops its tables and starts over.
   */
  async rebuild(name: string, version: number, { restart = false } = {}): Promise<void> {
    const definition = this.definition(name, version);
    await this.sql.transaction(async (tx) => {
      await lockCatalog(tx);
      const [existing] = await tx.query<{ status: VersionStatus; live: boolean }>(
        `SELECT v.status, (l.version IS NOT NULL) AS live FROM projections.versions v
         LEFT JOIN projections.live l ON l.name = v.name AND l.version = v.version
         WHERE v.name = $1 AND v.version = $2`,
        [name, version],
      );
      if (existing?.live && restart) {
        throw new ProjectionCommandError(
          `${name} v${version} is live: rebuild a new version beside it instead`,
        );
      }
      if (existing && existing.status !== 'retired' && !restart) return;
      await tx.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(schemaOf(name, version))} CASCADE`);
      await tx.exec(tablesDdl(definition));
      const f = this.fingerprint(definition);
      await tx.query('DELETE FROM projections.skips WHERE name = $1 AND version = $2', [
        name,
        version,
      ]);
      await tx.query(
        `INSERT INTO projections.versions (name, version, status, schema_fingerprint, handlers_fingerprint, upcasters_fingerprint)
         VALUES ($1, $2, 'rebuilding', $3, $4, $5)
         ON CONFLICT (name, version) DO UPDATE SET status = 'rebuilding', position = 0, events_applied = 0,
           started_at = now(), caught_up_at = NULL, failed_position = NULL, failed_event_id = NULL,
           failed_event_type = NULL, error = NULL, validated_against = NULL, validated_at = NULL,
           validation_passed = NULL, updated_at = now(), schema_fingerprint = $3,
           handlers_fingerprint = $4, upcasters_fingerprint = $5`,
        [name, version, f.schema, f.handlers, f.upcasters],
      );
    });
  }

  /**
   * On an empty log every version is trivially caught up: the newest version of each projection
   * that has no live one is built and made live at once, so reads work from the first start.
   * Does nothing once the log holds an event. (Checked before the transaction: on PGlite a read of
   * the log inside it would wait for it. An event appended in between is simply applied by the
   * runner, as to any live version at position 0.)
   */
  async goLiveOnEmptyLog(isLogEmpty: () => Promise<boolean>): Promise<string[]> {
    const names = [...new Set(this.definitions.map((d) => d.name))];
    const made: string[] = [];
    if (!(await isLogEmpty())) return made;
    for (const name of names) {
      const version = this.latestVersion(name);
      const definition = this.definition(name, version);
      const done = await this.sql.transaction(async (tx) => {
        await lockCatalog(tx);
        const live = await tx.query('SELECT 1 FROM projections.live WHERE name = $1', [name]);
        const known = await tx.query(
          'SELECT 1 FROM projections.versions WHERE name = $1 AND version = $2',
          [name, version],
        );
        if (live.length > 0 || known.length > 0) return false;
        const f = this.fingerprint(definition);
        await tx.exec(tablesDdl(definition));
        const indexes = indexesDdl(definition);
        if (indexes) await tx.exec(indexes);
        // Running from position 0: an event appended meanwhile is applied by the runner as usual.
        await tx.query(
          `INSERT INTO projections.versions (name, version, status, caught_up_at, schema_fingerprint,
             handlers_fingerprint, upcasters_fingerprint)
           VALUES ($1, $2, 'running', now(), $3, $4, $5)`,
          [name, version, f.schema, f.handlers, f.upcasters],
        );
        await pointViews(tx, definition);
        await tx.query('INSERT INTO projections.live (name, version) VALUES ($1, $2)', [
          name,
          version,
        ]);
        return true;
      });
      if (done) made.push(`${name} v${version}`);
    }
    return made;
  }

  async status(headPosition: bigint): Promise<RecordedVersionStatus[]> {
    const rows = await this.sql.query<VersionRow>(
      `SELECT v.name, v.version, v.status, v.position::text AS position, v.events_applied::text AS events_applied,
         ${ISO('v.started_at')} AS started_at, ${ISO('v.caught_up_at')} AS caught_up_at,
         v.failed_position::text AS failed_position, v.failed_event_id, v.failed_event_type, v.error,
         v.validated_against, ${ISO('v.validated_at')} AS validated_at, v.validation_passed,
         l.version AS live_version, v.schema_fingerprint, v.handlers_fingerprint, v.upcasters_fingerprint
       FROM projections.versions v LEFT JOIN projections.live l ON l.name = v.name
       ORDER BY v.name, v.version`,
    );
    const skips = await this.skips();
    return rows.map((r) => {
      const behind = headPosition - BigInt(r.position);
      const definition = this.knownDefinition(r.name, r.version);
      return {
        name: r.name,
        version: r.version,
        status: r.status,
        live: r.live_version === r.version,
        position: r.position,
        headPosition: headPosition.toString(),
        lag: (behind > 0n && r.status !== 'retired' ? behind : 0n).toString(),
        eventsApplied: r.events_applied,
        startedAt: r.started_at,
        caughtUpAt: r.caught_up_at,
        failure:
          r.status === 'failed'
            ? {
                position: r.failed_position!,
                eventId: r.failed_event_id!,
                type: r.failed_event_type!,
                error: r.error!,
              }
            : null,
        validation:
          r.validated_at !== null
            ? { against: r.validated_against!, at: r.validated_at, passed: r.validation_passed! }
            : null,
        fingerprint:
          r.schema_fingerprint === null
            ? null
            : {
                schema: r.schema_fingerprint,
                handlers: r.handlers_fingerprint ?? '',
                upcasters: r.upcasters_fingerprint ?? '',
              },
        definitionChanged:
          r.status === 'retired'
            ? null
            : definition
              ? (this.refusal(definition, r) ?? null)
              : `${r.name} v${r.version} is not in this build`,
        skipped: skips.filter((s) => s.name === r.name && s.version === r.version).map(skipOf),
      };
    });
  }

  private skips(): Promise<SkipRow[]> {
    return this.sql.query<SkipRow>(
      `SELECT name, version, event_id, position::text AS position, event_type, error, reason, actor,
         ${ISO('skipped_at')} AS skipped_at
       FROM projections.skips ORDER BY name, version, position`,
    );
  }

  /**
   * The operator's escape for an event no handler can apply: only the event the version is
   * stopped at, and only with a reason, recorded with who and when; the version then goes on.
   */
  async skip(
    name: string,
    version: number,
    eventId: string,
    reason: string,
    actor: string,
  ): Promise<SkippedEvent> {
    this.definition(name, version);
    return this.sql.transaction(async (tx) => {
      await lockCatalog(tx);
      const [row] = await tx.query<{
        status: VersionStatus;
        failed_event_id: string | null;
        failed_position: string | null;
        failed_event_type: string | null;
        error: string | null;
      }>(
        `SELECT status, failed_event_id, failed_position::text AS failed_position, failed_event_type, error
         FROM projections.versions WHERE name = $1 AND version = $2 FOR UPDATE`,
        [name, version],
      );
      if (!row) throw new ProjectionCommandError(`${name} v${version} has never been built`);
      if (row.status !== 'failed' || row.failed_event_id !== eventId) {
        throw new ProjectionCommandError(
          row.status === 'failed'
            ? `${name} v${version} is stopped at event ${row.failed_event_id}, not ${eventId}: only the event it is stopped at can be skipped`
            : `${name} v${version} is ${row.status}, not stopped at an event: nothing to skip`,
        );
      }
      const [skipped] = await tx.query<SkipRow>(
        `INSERT INTO projections.skips (name, version, event_id, position, event_type, error, reason, actor)
         VALUES ($1, $2, $3, $4::bigint, $5, $6, $7, $8)
         RETURNING name, version, event_id, position::text AS position, event_type, error, reason, actor,
           ${ISO('skipped_at')} AS skipped_at`,
        [
          name,
          version,
          eventId,
          row.failed_position,
          row.failed_event_type,
          row.error,
          reason,
          actor,
        ],
      );
      await tx.query(
        `UPDATE projections.versions SET status = CASE WHEN caught_up_at IS NULL THEN 'rebuilding' ELSE 'running' END,
           failed_position = NULL, failed_event_id = NULL, failed_event_type = NULL, error = NULL, updated_at = now()
         WHERE name = $1 AND version = $2`,
        [name, version],
      );
      return skipOf(skipped!);
    });
  }

  async versionStatus(
    name: string,
    version: number,
    head: bigint,
  ): Promise<RecordedVersionStatus | undefined> {
    return (await this.status(head)).find((s) => s.name === name && s.version === version);
  }

  async liveVersion(name: string): Promise<number | undefined> {
    const [row] = await this.sql.query<{ version: number }>(
      'SELECT version FROM projections.live WHERE name = $1',
      [name],
    );
    return row?.version;
  }

  /** Versions the runner should be applying events to. */
  async activeVersions(): Promise<Array<{ name: string; version: number }>> {
    return this.sql.query(
      `SELECT name, version FROM projections.versions WHERE status IN ('rebuilding', 'running') ORDER BY name, version`,
    );
  }

  /** Points the stable schema `name` at version `version`, in one transaction. */
  async switchTo(name: string, version: number, { force = false } = {}): Promise<void> {
    const definition = this.definition(name, version);
    await this.sql.transaction(async (tx) => {
      await lockCatalog(tx);
      const [row] = await tx.query<
        {
          status: VersionStatus;
          validation_passed: boolean | null;
          caught_up: boolean;
        } & RecordedFingerprint
      >(
        `SELECT status, validation_passed, caught_up_at IS NOT NULL AS caught_up, schema_fingerprint,
           handlers_fingerprint, upcasters_fingerprint FROM projections.versions
         WHERE name = $1 AND version = $2`,
        [name, version],
      );
      if (!row || row.status === 'retired')
        throw new ProjectionCommandError(`${name} v${version} has not been built`);
      // Not even with --force: the tables were built by other code than this build would run.
      const refused = this.refusal(definition, row);
      if (refused) throw new ProjectionCommandError(refused);
      if (!force) {
        if (row.status === 'failed')
          throw new ProjectionCommandError(`${name} v${version} has failed; see status`);
        if (!row.caught_up)
          throw new ProjectionCommandError(
            `${name} v${version} has not caught up with the log yet`,
          );
        if (row.validation_passed !== true) {
          throw new ProjectionCommandError(
            `${name} v${version} has no passing validation (validate it, or --force)`,
          );
        }
      }
      const [live] = await tx.query<{ version: number }>(
        'SELECT version FROM projections.live WHERE name = $1',
        [name],
      );
      if (live?.version === version) return;
      await pointViews(tx, definition);
      await tx.query(
        `INSERT INTO projections.live (name, version, previous_version) VALUES ($1, $2, NULL)
         ON CONFLICT (name) DO UPDATE SET version = $2, previous_version = projections.live.version, switched_at = now()`,
        [name, version],
      );
    });
  }

  /** Points the stable schema back at the version live before the last switch, in one transaction. */
  async rollback(name: string): Promise<number> {
    return this.sql.transaction(async (tx) => {
      await lockCatalog(tx);
      const [live] = await tx.query<{ version: number; previous_version: number | null }>(
        'SELECT version, previous_version FROM projections.live WHERE name = $1',
        [name],
      );
      if (!live) throw new ProjectionCommandError(`${name} has no live version`);
      if (live.previous_version === null)
        throw new ProjectionCommandError(`${name} has no earlier version to roll back to`);
      const [previous] = await tx.query<{ status: VersionStatus }>(
        'SELECT status FROM projections.versions WHERE name = $1 AND version = $2',
        [name, live.previous_version],
      );
      if (!previous || previous.status === 'retired') {
        throw new ProjectionCommandError(`${name} v${live.previous_version} was retired`);
      }
      await pointViews(tx, this.definition(name, live.previous_version));
      await tx.query(
        'UPDATE projections.live SET version = $2, previous_version = NULL, switched_at = now() WHERE name = $1',
        [name, live.previous_version],
      );
      return live.previous_version;
    });
  }

  /**
   * Drops a version's tables. A live version cannot be retired unless `withViews`, which also
   * removes its stable schema (the end of a read model's retention period).
   */
  async retire(
    name: string,
    version: number,
    { withViews = false, force = false, actor = 'anonymous', retentionDays = 30 } = {},
  ): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await lockCatalog(tx);
      const [kept] = await tx.query<{ until: string | null; why: string }>(
        `SELECT ${ISO('max(until)')} AS until, string_agg(why, '; ') AS why FROM (
           SELECT switched_at + make_interval(days => $3) AS until,
             'the version live before ' || name || ' switched to v' || version AS why
           FROM projections.live WHERE name = $1 AND previous_version = $2
           UNION ALL
           SELECT switched_at + make_interval(days => $3),
             'the legacy read model, after supplier_tasks switched to v' || version
           FROM projections.live WHERE name = 'supplier_tasks' AND $1 = 'legacy_v1'
         ) k WHERE until > now()`,
        [name, version, retentionDays],
      );
      if (kept?.until && !force) {
        throw new ProjectionCommandError(
          `${name} v${version} is kept until ${kept.until} (${retentionDays} days' retention: ${kept.why}); retire it after that, or with --force (recorded)`,
        );
      }
      await tx.query(
        `INSERT INTO projections.retirements (name, version, retained_until, forced, actor)
         VALUES ($1, $2, $3::timestamptz, $4, $5)`,
        [name, version, kept?.until ?? null, kept?.until != null, actor],
      );
      const [live] = await tx.query<{ version: number }>(
        'SELECT version FROM projections.live WHERE name = $1',
        [name],
      );
      if (live?.version === version) {
        if (!withViews)
          throw new ProjectionCommandError(`${name} v${version} is live: switch away first`);
        await tx.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(name)} CASCADE`);
        await tx.query('DELETE FROM projections.live WHERE name = $1', [name]);
      }
      await tx.exec(`DROP SCHEMA IF EXISTS ${quoteIdent(schemaOf(name, version))} CASCADE`);
      await tx.query(
        `UPDATE projections.versions SET status = 'retired', updated_at = now() WHERE name = $1 AND version = $2`,
        [name, version],
      );
    });
  }

  /** After a fix is deployed: clears the failure so the runner continues from the checkpoint. */
  async resume(name: string, version: number): Promise<void> {
    const rows = await this.sql.query(
      `UPDATE projections.versions SET status = CASE WHEN caught_up_at IS NULL THEN 'rebuilding' ELSE 'running' END,
         failed_position = NULL, failed_event_id = NULL, failed_event_type = NULL, error = NULL, updated_at = now()
       WHERE name = $1 AND version = $2 AND status = 'failed' RETURNING name`,
      [name, version],
    );
    if (rows.length === 0) throw new ProjectionCommandError(`${name} v${version} has not failed`);
  }
}

/** A version's fingerprint columns as projections.versions holds them (null: built before fingerprints). */
export interface RecordedFingerprint {
  schema_fingerprint: string | null;
  handlers_fingerprint: string | null;
  upcasters_fingerprint: string | null;
}

function skipOf(r: SkipRow): SkippedEvent {
  return {
    eventId: r.event_id,
    position: r.position,
    type: r.event_type,
    error: r.error,
    reason: r.reason,
    actor: r.actor,
    at: r.skipped_at,
  };
}

function lockCatalog(tx: SqlSession): Promise<unknown> {
  return tx.query(`SELECT pg_advisory_xact_lock(hashtext('projections:catalog'))`);
}

function tablesDdl(definition: ProjectionDefinition): string {
  const schema = quoteIdent(schemaOf(definition.name, definition.version));
  const statements = [`CREATE SCHEMA ${schema}`];
  for (const [table, spec] of Object.entries(definition.tables)) {
    const columns = Object.entries(spec.columns).map(
      ([column, type]) => `${quoteIdent(column)} ${type}`,
    );
    statements.push(
      `CREATE TABLE ${schema}.${quoteIdent(table)} (id text PRIMARY KEY, ${columns.join(', ')})`,
    );
  }
  for (const [view, body] of Object.entries(definition.views ?? {})) {
    statements.push(
      `CREATE VIEW ${schema}.${quoteIdent(view)} AS ${body.replaceAll('{schema}', schema)}`,
    );
  }
  return statements.join(';\n');
}

/**
 * The secondary indexes serve readers, not the rebuild (which reads rows by id only), so they are
 * built once, when a rebuild first catches up: one bulk index build instead of upkeep per row.
 */
export function indexesDdl(definition: ProjectionDefinition): string {
  const schema = quoteIdent(schemaOf(definition.name, definition.version));
  return Object.entries(definition.tables)
    .flatMap(([table, spec]) =>
      (spec.indexes ?? []).map(
        (columns) =>
          `CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}_${columns.join('_')}_idx`)} ON ${schema}.${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')})`,
      ),
    )
    .join(';\n');
}

/**
 * Statistics of every table of the version, taken when its rebuild catches up: the switch may
 * follow at once, before autovacuum (if it runs at all) has looked at tables that just went from
 * empty to a million rows, and the dashboards' first queries would be planned for empty tables.
 * The compaction that follows reads them too.
 */
export function analyzeDdl(definition: ProjectionDefinition): string {
  const schema = quoteIdent(schemaOf(definition.name, definition.version));
  const tables = Object.keys(definition.tables).map((table) => `${schema}.${quoteIdent(table)}`);
  return `ANALYZE ${tables.join(', ')}`;
}

/** The stable schema: one view per table and view of the version. Readers only ever query these. */
async function pointViews(tx: SqlSession, definition: ProjectionDefinition): Promise<void> {
  const stable = quoteIdent(definition.name);
  const versioned = quoteIdent(schemaOf(definition.name, definition.version));
  const relations = [...Object.keys(definition.tables), ...Object.keys(definition.views ?? {})];
  const statements = [`DROP SCHEMA IF EXISTS ${stable} CASCADE`, `CREATE SCHEMA ${stable}`];
  for (const relation of relations) {
    statements.push(
      `CREATE VIEW ${stable}.${quoteIdent(relation)} AS SELECT * FROM ${versioned}.${quoteIdent(relation)}`,
    );
  }
  await tx.exec(statements.join(';\n'));
}
