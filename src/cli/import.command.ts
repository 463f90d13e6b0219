import { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { importLegacyFile } from '../legacy-import/legacy-import';
import { progress } from './progress';
import { withInfrastructure } from './with-infrastructure';

export function importCommand(): Command {
  return new Command('import')
    .description(
      'import a legacy V1 .ndjson history (the envelope of docs/legacy-v1/EVENTS.md; idempotent: re-running imports only new lines)',
    )
    .argument('<file>', 'the .ndjson file, or - for standard input')
    .action(async (file: string) => {
      // The file is read twice (a line count for the progress bar, then the import): standard
      // input is kept in a temp file.
      const staged = file === '-' ? await stageStdin() : undefined;
      try {
        await withInfrastructure(async ({ eventStore }) => {
          const bar = progress('import');
          const result = await importLegacyFile(eventStore, staged?.path ?? file, {
            onProgress: ({ done, total }) => bar.update(done, total),
          });
          bar.stop();
          console.log(
            `imported ${result.lines} lines in ${result.streams} streams: ${result.written} written, ` +
              `${result.alreadyStored} already stored`,
          );
        });
      } finally {
        await staged?.remove();
      }
    });
}

async function stageStdin(): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'supplier-tasks-import-'));
  const path = join(dir, 'stdin.ndjson');
  await pipeline(process.stdin, createWriteStream(path));
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
