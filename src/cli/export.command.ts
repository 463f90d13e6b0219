import { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { exportLog } from '../application/audit/log-export';
import { LogExportQuerySchema, toLogExportFilter } from '../application/audit/log-export-query';
import { progress } from './progress';
import { withInfrastructure } from './with-infrastructure';

interface ExportOptions {
  out?: string;
  toPosition?: string;
  after?: string;
  categories?: string;
  types?: string;
  from?: string;
  to?: string;
  upcast?: boolean;
}

/** A filter given on the command line that does not parse: names the option. */
export class ExportOptionError extends Error {}

export function exportCommand(): Command {
  return new Command('export')
    .description(
      'write the log as ndjson in the import format (a backup: `import` restores it into an empty store)',
    )
    .option('--out <file>', 'the file to write (default: standard output)')
    .option('--to-position <p>', 'no event after this position (inclusive)')
    .option('--after <p>', 'only events after this position (exclusive)')
    .option('--categories <list>', 'stream categories, comma-separated')
    .option('--types <list>', 'event types, comma-separated')
    .option('--from <time>', 'business time (occurredAt) from, inclusive, ISO-8601')
    .option('--to <time>', 'business time (occurredAt) to, exclusive, ISO-8601')
    .option('--upcast', 'write the upcast forms instead of the events as stored (not a backup)')
    .action(async (options: ExportOptions) => {
      const { out, upcast, ...query } = options;
      const parsed = LogExportQuerySchema.safeParse(query);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const name = String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
        throw new ExportOptionError(`--${name}: ${issue.message}`);
      }
      const filter = toLogExportFilter(parsed.data, upcast === true);
      await withInfrastructure(async ({ eventStore }) => {
        const head = filter.toPosition ?? (await eventStore.headPosition());
        const bar = progress('export');
        let read = 0;
        const chunks = exportLog(eventStore, filter, (p) => {
          read = p.read;
          bar.update(Number(p.position), Number(head));
        });
        await pipeline(Readable.from(chunks), out ? createWriteStream(out) : process.stdout);
        bar.stop();
        console.error(`exported ${read} events${out ? ` to ${out}` : ''}`);
      });
    });
}
