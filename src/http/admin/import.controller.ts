import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CommandExecutor } from '../../application/command-executor';
import type { EventStore } from '../../eventstore/event-store.port';
import type { ImportAnswerLine } from '../../legacy-import/import-answer-line';
import { importHistory } from '../../legacy-import/import-history';
import { ImportLineError } from '../../legacy-import/legacy-import';
import { EVENT_STORE } from '../../tokens';
import { Roles } from '../auth/access.decorators';

/** The body's content type: one JSON value a line. */
export const NDJSON = 'application/x-ndjson';

/**
 * `POST /admin/import`: the CLI's `import` while the service owns DATA_DIR. The ndjson body is
 * kept in a temp file as it arrives, then imported exactly as the CLI imports a file (same
 * validation, batches of 2,000 lines each one transaction, events keep their eventIds so a
 * re-run writes only new lines), and the imported events then take their claims (unique codes,
 * assignments, template references: claims-backfill.ts). The answer is 200 with an ndjson
 * stream: a progress line per batch and a `claims` line per page of the backfill, then `done`
 * with the counts and the claims' report, or `failed` with the line, the field and the reason
 * (the batches before it stay, as in the CLI). A failure is in the stream because the status is sent
 * before the body is read.
 */
@Controller()
export class ImportController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
  ) {}

  @Post('admin/import')
  @Roles('admin')
  async import(@Req() req: Request, @Res() res: Response): Promise<void> {
    res.status(200).setHeader('Content-Type', NDJSON);
    const send = (line: ImportAnswerLine) => res.write(`${JSON.stringify(line)}\n`);
    const dir = await mkdtemp(join(tmpdir(), 'supplier-tasks-import-'));
    try {
      const path = join(dir, 'body.ndjson');
      await pipeline(req, createWriteStream(path));
      const result = await importHistory(this.store, this.executor, path, {
        onProgress: (progress) => send({ type: 'progress', ...progress }),
        onClaimsProgress: (progress) => send({ type: 'claims', ...progress }),
      });
      send({ type: 'done', ...result });
    } catch (error) {
      send(
        error instanceof ImportLineError
          ? { type: 'failed', line: error.line, field: error.field, reason: error.reason }
          : { type: 'failed', reason: error instanceof Error ? error.message : String(error) },
      );
    } finally {
      res.end();
      await rm(dir, { recursive: true, force: true });
    }
  }
}
