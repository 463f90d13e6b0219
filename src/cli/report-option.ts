import { mkdir } from 'node:fs/promises';
import { writeBackup } from '../migration-report/backup-file';
import { REPORT_FILES } from '../migration-report/report-run';
import type { MigrationOptions, ProjectionsApi } from '../projection-runner/projections-api';

/** With `--report DIR`: the backup is written there, beside the report. */
export async function backupInto(
  api: ProjectionsApi,
  dir: string | undefined,
): Promise<MigrationOptions> {
  if (dir === undefined) return {};
  await mkdir(dir, { recursive: true });
  return { backup: (position) => writeBackup(dir, position, api.exportLog(position)) };
}

export function printReportFiles(dir: string | undefined, id: string): void {
  if (dir === undefined) console.log(`report: run ${id} recorded (supplier-tasks migrations list)`);
  else
    console.log(
      `report: run ${id} recorded, written to ${dir}/${REPORT_FILES.markdown} and ${dir}/${REPORT_FILES.json}`,
    );
}
