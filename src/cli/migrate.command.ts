import { Command } from 'commander';
import { reportRun } from '../migration-report/report-run';
import { MigrationError, runMigration } from '../projection-runner/projections-api';
import type { ProjectionVersionStatus } from '../projection-runner/projection-status';
import { progress, type Progress } from './progress';
import { printValidation } from './projections.command';
import { backupInto, printReportFiles } from './report-option';
import { withProjections } from './with-projections';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description(
      'the V1 → V2 migration: build legacy_v1, rebuild supplier_tasks, validate, switch (re-runnable)',
    )
    .option(
      '--report <dir>',
      'write migration-report.md and .json, and the backup of the log they name, into this folder',
    )
    .action((options: { report?: string }) =>
      withProjections(async (api) => {
        const bars = new Map<string, Progress>();
        const stopBars = () => {
          for (const bar of bars.values()) bar.stop();
          bars.clear();
        };
        const observer = {
          step: (message: string) => console.log(`migrate: ${message}`),
          progress: (s: ProjectionVersionStatus) => {
            const key = `${s.name} v${s.version}`;
            const bar = bars.get(key) ?? progress(key);
            bars.set(key, bar);
            bar.update(Number(s.position), Number(s.headPosition));
          },
        };
        // A refused or failed run is reported and recorded as well; then the command fails.
        const run = await runMigration(api, observer, await backupInto(api, options.report))
          .catch((error: unknown) => {
            if (error instanceof MigrationError && error.run) return error.run;
            throw error;
          })
          .finally(stopBars);
        if (run.validation) printValidation(run.validation);
        printReportFiles(options.report, (await reportRun(api, run, options.report)).id);
        if (run.error !== null) throw new MigrationError(run.error);
        console.log('migrate: done');
      }),
    );
}

export function summaryCommand(): Command {
  return new Command('summary')
    .description('the live V2 read model as the JSON of docs/legacy-v1/SUMMARY.md')
    .action(() =>
      withProjections(async (api) => console.log(JSON.stringify(await api.summary(), null, 1))),
    );
}
