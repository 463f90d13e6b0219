import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrationRun, ProjectionsApi } from '../projection-runner/projections-api';
import type { MigrationReport } from './migration-report';
import { migrationReportMarkdown } from './migration-report.markdown';
import { migrationReportOf } from './migration-report-of';

export const REPORT_FILES = { markdown: 'migration-report.md', json: 'migration-report.json' };

/**
 * The one path from a run to its report, whichever way the CLI reached the store: the report is
 * composed from the run and the live pointer after it, recorded where the projections live (in
 * process, or by the running service), and written to `dir` when given.
 */
export async function reportRun(
  api: ProjectionsApi,
  run: MigrationRun,
  dir: string | undefined,
): Promise<MigrationReport> {
  const report = migrationReportOf(randomUUID(), run, await api.live(run.target.name));
  await api.recordMigration(report);
  if (dir !== undefined) {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, REPORT_FILES.json), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(dir, REPORT_FILES.markdown), migrationReportMarkdown(report));
  }
  return report;
}
