#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { DataDirLockedError } from '../eventstore/errors';
import { ImportLineError } from '../legacy-import/legacy-import';
import { exportCommand } from './export.command';
import { importCommand, RemoteImportError } from './import.command';
import { ServiceUnreachableError } from './service-url';
import { keysCommand } from './keys.command';
import { migrateCommand, summaryCommand } from './migrate.command';
import { migrationsCommand } from './migrations.command';
import { projectionsCommand } from './projections.command';

export function buildCli(): Command {
  return (
    new Command('supplier-tasks')
      .description('event-sourced supplier-task service: import, export, projections and migration')
      .version(version, '-V, --version', 'the version of supplier-tasks')
      // Its own options only before a command: `projections validate … --version N` is the command's.
      .enablePositionalOptions()
      .showHelpAfterError()
      .addCommand(importCommand())
      .addCommand(exportCommand())
      .addCommand(projectionsCommand())
      .addCommand(migrateCommand())
      .addCommand(migrationsCommand())
      .addCommand(summaryCommand())
      .addCommand(keysCommand())
  );
}

export async function run(): Promise<void> {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    console.error(`supplier-tasks: ${messageOf(error)}`);
    process.exit(1);
  }
}

/** Every error says what to do next: those of our own making do; the rest get a hint here. */
function messageOf(error: unknown): string {
  if (error instanceof ImportLineError) {
    return (
      `import failed: ${error.message}; fix the line and run the import again ` +
      '(the batches before it are stored and will be skipped)'
    );
  }
  // These name what to do next themselves.
  if (
    error instanceof DataDirLockedError ||
    error instanceof ServiceUnreachableError ||
    error instanceof RemoteImportError
  ) {
    return error.message;
  }
  const message = error instanceof Error ? error.message : String(error);
  return (
    `${message}; check the configuration (README, Configuration) and, for a command sent to ` +
    'the service, its log; then run the command again'
  );
}

if (require.main === module) void run();
