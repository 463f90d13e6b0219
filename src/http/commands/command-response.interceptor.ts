import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { z } from 'zod';
import type { CommandResult } from '../../application/command-executor';
import { COMMAND_ROUTE } from './command-envelope';
import type { CommandRoute } from './command-route';

export const CommandResponseSchema = z.object({
  id: z.string().optional().describe('the id of the entity the command created'),
  streamId: z.string(),
  revision: z
    .number()
    .int()
    .nullable()
    .describe('the stream revision after the command, also sent as ETag; use it as If-Match'),
  position: z
    .string()
    .nullable()
    .describe('global position of the last event written; null when nothing was written'),
  eventIds: z.array(z.string()).describe('empty when the command changed nothing'),
});
export type CommandResponse = z.infer<typeof CommandResponseSchema>;

/** Turns a command's result into the response body, with the stream revision as ETag. */
@Injectable()
export class CommandResponseInterceptor implements NestInterceptor<CommandResult, CommandResponse> {
  constructor(@Inject(Reflector) private readonly reflector: Reflector) {}

  intercept(ctx: ExecutionContext, next: CallHandler<CommandResult>): Observable<CommandResponse> {
    const route = this.reflector.get<CommandRoute | undefined>(COMMAND_ROUTE, ctx.getHandler());
    const res = ctx.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((result) => {
        if (result.revision !== undefined) res.setHeader('ETag', `"${result.revision}"`);
        const created =
          route?.newId === undefined ? undefined : result.events[0]?.data[route.newId];
        return {
          ...(typeof created === 'string' ? { id: created } : {}),
          streamId: result.streamId,
          revision: result.revision ?? null,
          position: result.position ?? null,
          eventIds: result.events.map((event) => event.eventId),
        };
      }),
    );
  }
}
