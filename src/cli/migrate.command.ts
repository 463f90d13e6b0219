import { Command } from 'commander';
import { MigrationError, runMigration } from '../projection-runner/projections-api';
import { progress, type Progress } from './progress';
import { printValidation } from './projections.command';
import { withProjections } from './with-projections';

export function migrateCommand(): Command {
  return new Command('migrate')
    .description(
      'the V1 → V2 migration: build legacy_v1, rebuild supplier_tasks, validate, switch (re-runnable)',
    )
    .action(() =>
      withProjections(async (api) => {
        const bars = new Map<string, Progress>();
        try {
          await runMigration(api, {
            step: (message) => console.log(`migrate: ${message}`),
            progress: (s) => {
              const key = `${s.name} v${s.version}`;
              const bar = bars.get(key) ?? progress(key);
              bars.set(key, bar);
              bar.update(Number(s.position), Number(s.headPosition));
            },
          });
        } catch (error) {
          if (error instanceof MigrationError && error.report) printValidation(error.report);
          throw error;
        } finally {
          for (const bar of bars.values()) bar.stop();
        }
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
