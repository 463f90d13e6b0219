import { Command } from 'commander';
import { reportRun } from '../migration-report/report-run';
import { MigrationError, runMigration } from '../projection-runner/projections-api';
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
        let run;
        try {
          run = await runMigration(
            api,
            {
              step: (message) => console.log(`migrate: ${message}`),
              progress: (s) => {
                const key = `${s.name} v${s.version}`;
                const bar = bars.get(key) ?? progress(key);
                bars.set(key, bar);
                bar.update(Number(s.position), Number(s.headPosition));
              },
            },
            await backupInto(api, options.report),
          );
        } catch (error) {
          for (const bar of bars.values()) bar.stop();
          bars.clear();
          if (error instanceof MigrationError) {
            if (error.report) printValidation(error.report);
            if (error.run) {
              const report = await reportRun(api, error.run, options.report);
              printReportFiles(options.report, report.id);
            }
          }
          throw error;
        } finally {
          for (const bar of bars.values()) bar.stop();
        }
        if (run.validation) printValidation(run.validation);
        const report = await reportRun(api, run, options.report);
        printReportFiles(options.report, report.id);
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
