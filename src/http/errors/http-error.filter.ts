import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { toErrorResponse } from './error-response';

/** The one place failures become HTTP answers (see `toErrorResponse`). */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(error: unknown, host: ArgumentsHost): void {
    const response = toErrorResponse(error);
    if (response.status === 503) {
      // An outage answers every request so: one line each, not a stack each.
      this.logger.warn(error instanceof Error ? error.message : String(error));
    } else if (response.status >= 500) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    const res = host.switchToHttp().getResponse<Response>();
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    res.status(response.status).json(response.body);
  }
}
