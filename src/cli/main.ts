#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ImportLineError } from '../legacy-import/legacy-import';
import { exportCommand } from './export.command';
import { importCommand } from './import.command';
import { keysCommand } from './keys.command';
import { migrateCommand, summaryCommand } from './migrate.command';
import { projectionsCommand } from './projections.command';

export function buildCli(): Command {
  return new Command('supplier-tasks')
    .description('event-sourced supplier-task service: import, export, projections and migration')
    .showHelpAfterError()
    .addCommand(importCommand())
    .addCommand(exportCommand())
    .addCommand(projectionsCommand())
    .addCommand(migrateCommand())
    .addCommand(summaryCommand())
    .addCommand(keysCommand());
}

export async function run(): Promise<void> {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode);
    const message =
      error instanceof ImportLineError
        ? `import failed: ${error.message}`
        : String(error instanceof Error ? error.message : error);
    console.error(`supplier-tasks: ${message}`);
    process.exit(1);
  }
}

if (require.main === module) void run();
