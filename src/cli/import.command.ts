import { Command } from 'commander';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../config';
import { DataDirLockedError } from '../eventstore/errors';
import { openInfrastructure } from '../eventstore/infrastructure';
import type { ImportAnswerLine } from '../legacy-import/import-answer-line';
import { CommandExecutor } from '../application/command-executor';
import { importHistory, type HistoryImportResult } from '../legacy-import/import-history';
import { progress } from './progress';
import { fetchService, serviceUrl, usingService, type ServiceUrl } from './service-url';

export function importCommand(): Command {
  return new Command('import')
    .description(
      'import a legacy V1 .ndjson history or an export (idempotent: re-running imports only new lines); ' +
        'through the running service when it owns DATA_DIR',
    )
    .argument('<file>', 'the .ndjson file, or - for standard input')
    .action(async (file: string) => {
      // The file is read twice (a line count for the progress bar, then the import): standard
      // input is kept in a temp file.
      const staged = file === '-' ? await stageStdin() : undefined;
      try {
        const result = await importFile(staged?.path ?? file);
        console.log(
          `imported ${result.lines} lines in ${result.streams} streams: ${result.written} written, ` +
            `${result.alreadyStored} already stored`,
        );
        const { claims } = result;
        console.log(
          `claims: ${claims.events} events that claim a code, an assignment or a template, ` +
            `${claims.written} claims written, ${claims.unclaimed.length} duplicates kept as they are`,
        );
        for (const u of claims.unclaimed) {
          console.log(
            `  ${u.streamId} (${u.type}, position ${u.position}): ${u.code} ${JSON.stringify(u.details)}`,
          );
        }
      } finally {
        await staged?.remove();
      }
    });
}

/** Here when DATA_DIR (or the database) is free; through `POST /admin/import` when the service owns it. */
async function importFile(path: string): Promise<HistoryImportResult> {
  const config = loadConfig();
  let infra;
  try {
    infra = await openInfrastructure(config);
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error;
    const service = serviceUrl(error, config);
    console.error(usingService(config.dataDir, error.ownerPid, service));
    return importThroughService(service, config.apiKey, path);
  }
  try {
    const bar = progress('import');
    const claimsBar = progress('claims');
    const store = infra.eventStore;
    const result = await importHistory(store, new CommandExecutor(store), path, {
      onProgress: ({ done, total }) => bar.update(done, total),
      onClaimsProgress: ({ done, total }) => claimsBar.update(done, total),
    });
    bar.stop();
    claimsBar.stop();
    return result;
  } finally {
    await infra.close();
  }
}

/** An import the service refused or could not finish; the message says what to do next. */
export class RemoteImportError extends Error {
  override readonly name = 'RemoteImportError';
}

async function importThroughService(
  service: ServiceUrl,
  apiKey: string | undefined,
  path: string,
): Promise<HistoryImportResult> {
  const response = await fetchService(service, '/admin/import', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-ndjson',
      ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
    },
    body: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit);
  if (!response.ok || response.body === null) {
    const text = await response.text();
    const hint =
      response.status === 401 || response.status === 403
        ? 'set SUPPLIER_TASKS_API_KEY to an admin key of the service'
        : 'check the service log';
    throw new RemoteImportError(
      `POST ${service.url}/admin/import: ${response.status} ${text}; ${hint}`,
    );
  }
  const bar = progress('import');
  const claimsBar = progress('claims');
  let buffered = '';
  try {
    for await (const chunk of Readable.fromWeb(response.body as never) as AsyncIterable<Buffer>) {
      buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffered.indexOf('\n')) !== -1) {
        const line = JSON.parse(buffered.slice(0, newline)) as ImportAnswerLine;
        buffered = buffered.slice(newline + 1);
        switch (line.type) {
          case 'progress':
            bar.update(line.done, line.total);
            break;
          case 'claims':
            claimsBar.update(line.done, line.total);
            break;
          case 'done': {
            const { type: _type, ...result } = line;
            return result;
          }
          case 'failed':
            throw new RemoteImportError(
              line.line === undefined
                ? `import failed in the service: ${line.reason}; check the service log, then run the import again`
                : `import failed: line ${line.line}: ${line.field}: ${line.reason}; ` +
                    'fix the line and run the import again (the lines before its batch are stored and will be skipped)',
            );
        }
      }
    }
  } finally {
    bar.stop();
    claimsBar.stop();
  }
  throw new RemoteImportError(
    `the service at ${service.url} ended the import without an outcome; run the import again (it is idempotent)`,
  );
}

async function stageStdin(): Promise<{ path: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'supplier-tasks-import-'));
  const path = join(dir, 'stdin.ndjson');
  await pipeline(process.stdin, createWriteStream(path));
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
