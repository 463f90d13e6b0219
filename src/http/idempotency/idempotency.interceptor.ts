import { createHash } from 'node:crypto';
import {
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { catchError, of, tap, type Observable } from 'rxjs';
import { toErrorResponse } from '../errors/error-response';
import { RequestValidationError } from '../errors/request-validation.error';
import { IdempotencyStore } from './idempotency.store';

const KEY = /^[\x21-\x7e]{1,200}$/;
/** The response headers a replay repeats. */
const REPLAYED_HEADERS = ['etag', 'retry-after'];

/** JSON with sorted keys, so that the same body sent with its keys in another order matches. */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

const requestHash = (req: Request): string =>
  createHash('sha256')
    .update(`${req.method} ${req.originalUrl}\n${canonicalJson(req.body ?? null)}`)
    .digest('hex');

const replayedHeaders = (res: Response): Record<string, string> =>
  Object.fromEntries(
    REPLAYED_HEADERS.flatMap((name) => {
      const value = res.getHeader(name);
      return value === undefined ? [] : [[name, String(value)]];
    }),
  );

/**
 * `Idempotency-Key`: the first request with a key runs and its response (success or 4xx) is
 * stored; a repeat with the same method, path and body gets that response back and runs nothing;
 * the same key on another request is refused (422). A 5xx is not stored: the retry runs again.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IdempotencyStore) private readonly store: IdempotencyStore) {}

  async intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = ctx.switchToHttp().getRequest<Request>();
    const res = ctx.switchToHttp().getResponse<Response>();
    const key = req.header('idempotency-key');
    if (key === undefined) return next.handle();
    if (!KEY.test(key)) {
      throw new RequestValidationError([
        {
          field: 'headers.idempotency-key',
          in: 'header',
          reason: '1 to 200 visible ASCII characters',
        },
      ]);
    }
    const claim = await this.store.claim(key, requestHash(req));
    if (claim.kind === 'replay') {
      const { status, headers, body } = claim.response;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(status);
      return of(body);
    }
    // The outcome is kept while the response goes out: one round trip less on every command.
    return next.handle().pipe(
      tap((body: unknown) =>
        this.store.record(key, { status: res.statusCode, headers: replayedHeaders(res), body }),
      ),
      catchError((error: unknown) => {
        this.store.record(key, toErrorResponse(error));
        throw error;
      }),
    );
  }
}
