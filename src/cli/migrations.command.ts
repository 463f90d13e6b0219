import { Command } from 'commander';
import type { MigrationRecord } from '../migration-report/migration-runs';
import { withProjections } from './with-projections';

function printRuns(runs: MigrationRecord[]): void {
  if (runs.length === 0)
    console.log('no migration has been run yet (run `supplier-tasks migrate`)');
  for (const r of runs) {
    const why =
      r.outcome === 'refused'
        ? `: ${r.failedChecks.join('; ')}`
        : r.outcome === 'failed' && r.error
          ? `: ${r.error}`
          : '';
    console.log(
      `${r.id} ${r.kind} ${r.target} ${r.startedAt} → ${r.finishedAt} ${r.outcome}${why}`,
    );
  }
}

export function migrationsCommand(): Command {
  const migrations = new Command('migrations').description(
    'the migration runs recorded with their reports',
  );
  migrations
    .command('list')
    .description('every run: id, started → finished, target, outcome (with the failed checks)')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) =>
      withProjections(async (api) => {
        const runs = await api.migrations();
        if (options.json) console.log(JSON.stringify(runs, null, 2));
        else printRuns(runs);
      }),
    );
  return migrations;
}
