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
import { v5 as uuidv5 } from 'uuid';
import { toErrorResponse } from '../errors/error-response';
import { RequestValidationError } from '../errors/request-validation.error';
import { adoptRequestIds, requestIdsOf } from '../commands/request-ids';
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

/** Headers that change what a command does; each is hashed only when sent. */
const HASHED_HEADERS = ['if-match', 'x-actor'];

const requestHash = (req: Request): string => {
  const hash = createHash('sha256').update(
    `${req.method} ${req.originalUrl}\n${canonicalJson(req.body ?? null)}`,
  );
  for (const name of HASHED_HEADERS) {
    const value = req.header(name);
    if (value !== undefined) hash.update(`\n${name}: ${value}`);
  }
  return hash.digest('hex');
};

/** The namespace of the uuid v5 seeds of keyed requests (a fixed, random uuid). */
const SEED_NAMESPACE = '7d1f6a3e-4c52-4b8e-9a0d-2f6b1c8e5a47';

const replayedHeaders = (res: Response): Record<string, string> =>
  Object.fromEntries(
    REPLAYED_HEADERS.flatMap((name) => {
      const value = res.getHeader(name);
      return value === undefined ? [] : [[name, String(value)]];
    }),
  );

/**
 * `Idempotency-Key`: the first request with a key runs and its response (success or 4xx) is
 * stored; a repeat with the same method, path, body and If-Match/X-Actor gets that response back
 * and runs nothing; the same key on another request is refused (422). A 5xx is not stored (a
 * conflict without If-Match is retried by the executor, and ends in a 503 if it persists): the
 * retry runs again.
 *
 * A keyed request's outcome is a function of the key and the request: every id it generates
 * (created entities, events) derives from a seed made of both, and its time and request ids are
 * its first attempt's. A re-run after a crash or a 5xx therefore appends the same events, which
 * the store recognises by their ids, and answers what the first attempt answered.
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
    const hash = requestHash(req);
    const ids = requestIdsOf(req);
    const claim = await this.store.claim(key, hash, {
      requestId: ids.requestId,
      correlationId: ids.correlationId,
      receivedAt: ids.receivedAt,
    });
    if (claim.kind === 'replay') {
      const { status, headers, body } = claim.response;
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(status);
      return of(body);
    }
    adoptRequestIds(req, res, {
      ...claim.context,
      keyed: { seed: uuidv5(`${key}\n${hash}`, SEED_NAMESPACE), resumed: claim.resumed },
    });
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
