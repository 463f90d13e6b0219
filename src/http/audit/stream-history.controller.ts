import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { Roles } from '../auth/access.decorators';
import { StreamHistory, type StreamHistoryView } from '../../application/audit/stream-history';
import { RequestValidationError } from '../errors/request-validation.error';

export const STREAM_HISTORY_PATH = '/streams/:streamId/events';
/** `<category>-<id>`, as every stream of this service (and of the legacy portal) is named. */
export const StreamIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*-[\w-]{1,200}$/, 'a stream id such as supplier-<uuid>');

/** Auditors: every event of a stream as stored and as upcast, side by side. */
@Controller()
export class StreamHistoryController {
  constructor(@Inject(StreamHistory) private readonly history: StreamHistory) {}

  @Get(STREAM_HISTORY_PATH)
  @Roles('auditor')
  async events(
    @Param('streamId') streamId: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamHistoryView> {
    if (!StreamIdSchema.safeParse(streamId).success) {
      throw new RequestValidationError([
        { field: 'streamId', in: 'path', reason: 'a stream id such as supplier-<uuid>' },
      ]);
    }
    const view = await this.history.read(streamId);
    if (view === undefined) throw new NotFoundException(`stream ${streamId} has no events`);
    res.setHeader('ETag', `"${view.revision}"`);
    return view;
  }
}
