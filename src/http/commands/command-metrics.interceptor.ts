import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { catchError, tap, throwError, type Observable } from 'rxjs';
import { Metrics, type CommandOutcome } from '../../metrics/metrics';
import { toErrorResponse } from '../errors/error-response';
import { COMMAND_ROUTE } from './command-envelope';
import type { CommandResponse } from './command-response.interceptor';
import type { CommandRoute } from './command-route';

/**
 * Counts and times every command route's answers. Global, so it wraps the route's own
 * interceptors and its input pipe: a body refused by validation counts as rejected, and the
 * outcome is the status the one error mapping gives.
 */
@Injectable()
export class CommandMetricsInterceptor implements NestInterceptor {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const route = this.reflector.get<CommandRoute | undefined>(COMMAND_ROUTE, ctx.getHandler());
    if (route === undefined) return next.handle();
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    const res = ctx.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      tap((body: CommandResponse) => {
        // A replayed answer (Idempotency-Key seen before) appended nothing this time.
        const replayed = res.getHeader('Idempotent-Replayed') === 'true';
        const events = replayed ? 0 : body.eventIds.length;
        this.metrics.commandEnded(route.command, 'ok', seconds(), events);
      }),
      catchError((error: unknown) => {
        this.metrics.commandEnded(route.command, outcomeOf(error), seconds(), 0);
        return throwError(() => error);
      }),
    );
  }
}

function outcomeOf(error: unknown): CommandOutcome {
  const { status } = toErrorResponse(error);
  if (status === 409) return 'conflict';
  return status < 500 ? 'rejected' : 'error';
}
