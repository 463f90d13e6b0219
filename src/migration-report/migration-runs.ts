import type { SqlClient } from '../eventstore/sql/sql-client';
import type { MigrationOutcome, MigrationReport } from './migration-report';

/** A run as `migrations list` and `GET /migrations` show it. */
export interface MigrationRecord {
  id: string;
  kind: MigrationReport['kind'];
  startedAt: string;
  finishedAt: string;
  target: string;
  outcome: MigrationOutcome;
  /** The checks a refused run failed, `group: name`. */
  failedChecks: string[];
  error: string | null;
}

interface RunRow {
  id: string;
  kind: MigrationReport['kind'];
  started_at: string;
  finished_at: string;
  target: string;
  outcome: MigrationOutcome;
  failed_checks: string[];
  error: string | null;
}

/** Every migration run with its report, in `projections.migrations`. */
export class MigrationRuns {
  constructor(private readonly sql: SqlClient) {}

  /** Keeps the run; the same report twice (a retried request) is kept once. */
  async record(report: MigrationReport, markdown: string): Promise<void> {
    const failed = report.checks.filter((c) => !c.passed).map((c) => `${c.group}: ${c.name}`);
    await this.sql.query(
      `INSERT INTO projections.migrations
         (id, kind, started_at, finished_at, target, outcome, failed_checks, error, report, markdown)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10)
       ON CONFLICT (id) DO NOTHING`,
      [
        report.id,
        report.kind,
        report.startedAt,
        report.finishedAt,
        `${report.target.name} v${report.target.version}`,
        report.outcome,
        JSON.stringify(failed),
        report.error,
        JSON.stringify(report),
        markdown,
      ],
    );
  }

  async list(): Promise<MigrationRecord[]> {
    const rows = await this.sql.query<RunRow>(
      `SELECT id, kind, ${iso('started_at')} AS started_at, ${iso('finished_at')} AS finished_at,
         target, outcome, failed_checks, error
       FROM projections.migrations ORDER BY started_at, id`,
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      target: r.target,
      outcome: r.outcome,
      failedChecks: r.failed_checks,
      error: r.error,
    }));
  }

  async report(id: string): Promise<{ report: MigrationReport; markdown: string } | undefined> {
    const [row] = await this.sql.query<{ report: MigrationReport; markdown: string }>(
      'SELECT report, markdown FROM projections.migrations WHERE id = $1',
      [id],
    );
    return row;
  }
}

const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
