import { quoteIdent } from '../eventstore/sql/pg-sql-client';
import type { SqlClient, SqlSession } from '../eventstore/sql/sql-client';
import { migrate } from '../eventstore/sql/migrations';
import type { ProjectionDefinition } from '../../projections/projection-definition';
import { schemaOf } from '../../projections/projection-definition';
import { projectionStateMigrations } from './projection-state.schema';
import type { ProjectionVersionStatus, VersionStatus } from './projection-status';

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
  ) {}

  static async open(
    sql: SqlClient,
    definitions: ProjectionDefinition[],
  ): Promise<ProjectionCatalog> {
    await migrate(sql, 'projections', projectionStateMigrations);
    return new ProjectionCatalog(sql, definitions);
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
      await tx.query(
        `INSERT INTO projections.versions (name, version, status) VALUES ($1, $2, 'rebuilding')
         ON CONFLICT (name, version) DO UPDATE SET status = 'rebuilding', position = 0, events_applied = 0,
           started_at = now(), caught_up_at = NULL, failed_position = NULL, failed_event_id = NULL,
           failed_event_type = NULL, error = NULL, validated_against = NULL, validated_at = NULL,
           validation_passed = NULL, updated_at = now()`,
        [name, version],
      );
    });
  }

  async status(headPosition: bigint): Promise<ProjectionVersionStatus[]> {
    const rows = await this.sql.query<VersionRow>(
      `SELECT v.name, v.version, v.status, v.position::text AS position, v.events_applied::text AS events_applied,
         ${ISO('v.started_at')} AS started_at, ${ISO('v.caught_up_at')} AS caught_up_at,
         v.failed_position::text AS failed_position, v.failed_event_id, v.failed_event_type, v.error,
         v.validated_against, ${ISO('v.validated_at')} AS validated_at, v.validation_passed,
         l.version AS live_version
       FROM projections.versions v LEFT JOIN projections.live l ON l.name = v.name
       ORDER BY v.name, v.version`,
    );
    return rows.map((r) => {
      const behind = headPosition - BigInt(r.position);
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
      };
    });
  }

  async versionStatus(
    name: string,
    version: number,
    head: bigint,
  ): Promise<ProjectionVersionStatus | undefined> {
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
      const [row] = await tx.query<{
        status: VersionStatus;
        validation_passed: boolean | null;
        caught_up: boolean;
      }>(
        `SELECT status, validation_passed, caught_up_at IS NOT NULL AS caught_up FROM projections.versions
         WHERE name = $1 AND version = $2`,
        [name, version],
      );
      if (!row || row.status === 'retired')
        throw new ProjectionCommandError(`${name} v${version} has not been built`);
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
  async retire(name: string, version: number, { withViews = false } = {}): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await lockCatalog(tx);
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
