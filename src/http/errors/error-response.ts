import { HttpException } from '@nestjs/common';
import { z } from 'zod';
import { ClaimsBackfillingError } from '../../application/claims-backfill-gate';
import { StreamContendedError } from '../../application/command-executor';
import { DomainError, type DomainErrorKind } from '../../domain/shared/domain-error';
import {
  EventIdConflictError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '../../eventstore/errors';
import {
  IdempotencyInProgressError,
  IdempotencyKeyReusedError,
} from '../idempotency/idempotency.errors';
import { NoLiveReadModelError } from '../../dashboards/read-model';
import { fieldIssues, RequestValidationError } from './request-validation.error';

/** The error bodies, as zod schemas: the OpenAPI document is generated from these. */
export const ValidationErrorBodySchema = z.object({
  error: z.literal('VALIDATION'),
  issues: z.array(
    z.object({
      field: z.string().describe('data.<field>, metadata.<field>, headers.<name> or body'),
      in: z.enum(['body', 'path', 'query', 'header']),
      reason: z.string(),
    }),
  ),
});
export const ErrorBodySchema = z.object({
  error: z.string().describe('NOT_FOUND, INVARIANT, CONFLICT, MALFORMED_JSON, ...'),
  code: z.string().optional().describe('stable code, e.g. SECTION.NOT_EMPTY'),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  existing: z
    .record(z.string(), z.string())
    .optional()
    .describe('on a 409 for something unique: what holds it, e.g. { supplierId }'),
});
export const RevisionConflictBodySchema = ErrorBodySchema.extend({
  error: z.literal('CONFLICT'),
  code: z.literal('STREAM.WRONG_EXPECTED_REVISION'),
  streamId: z.string(),
  expected: z.union([z.number().int(), z.string()]),
  actual: z.number().int().nullable().describe('null when the stream does not exist'),
});

export type ErrorBody =
  | z.infer<typeof ValidationErrorBodySchema>
  | z.infer<typeof ErrorBodySchema>
  | z.infer<typeof RevisionConflictBodySchema>;

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

/** Long enough for a reconnect attempt or two, short enough not to idle a client. */
const STORE_RETRY_AFTER_SECONDS = 2;

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  not_found: 404,
  invariant: 422,
  conflict: 409,
};

/** What body-parser throws: a JSON syntax error, a body too large, an unsupported charset. */
interface BodyParserError {
  type: string;
  status: number;
  message: string;
  /** The size limit, in bytes, of a body refused as too large. */
  limit?: number;
}
const isBodyParserError = (error: unknown): error is BodyParserError =>
  error instanceof Error &&
  typeof (error as Partial<BodyParserError>).type === 'string' &&
  typeof (error as Partial<BodyParserError>).status === 'number';

const plain = (status: number, error: string, message: string, code?: string): ErrorResponse => ({
  status,
  body: code === undefined ? { error, message } : { error, code, message },
  headers: {},
});

/**
 * Every failure mapped to its HTTP answer, in one place: the exception filter renders it, and
 * the idempotency interceptor stores it for replay.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof RequestValidationError) {
    return { status: 400, body: { error: 'VALIDATION', issues: error.issues }, headers: {} };
  }
  if (error instanceof z.ZodError) {
    const issues = fieldIssues(error, 'body', (path) => ['data', ...path].join('.'));
    return { status: 400, body: { error: 'VALIDATION', issues }, headers: {} };
  }
  if (error instanceof DomainError) {
    const { code, kind, message, details } = error;
    const { existing } = details as { existing?: Record<string, string> };
    return {
      status: STATUS_OF_KIND[kind],
      body: {
        error: kind.toUpperCase(),
        code,
        message,
        details: { ...details },
        ...(existing === undefined ? {} : { existing }),
      },
      headers: {},
    };
  }
  if (error instanceof WrongExpectedRevisionError) {
    const { code, message, streamId, expected, actual } = error;
    return {
      status: 409,
      body: { error: 'CONFLICT', code, message, streamId, expected, actual: actual ?? null },
      headers: actual === undefined ? {} : { ETag: `"${actual}"` },
    };
  }
  if (error instanceof StoreUnavailableError) {
    // Nothing was committed, or the commit's answer was lost: a retry (with its key) is safe.
    return {
      ...plain(503, 'UNAVAILABLE', error.message, error.code),
      headers: { 'Retry-After': String(STORE_RETRY_AFTER_SECONDS) },
    };
  }
  if (error instanceof ClaimsBackfillingError) {
    return {
      ...plain(503, 'BACKFILLING', error.message, error.code),
      headers: { 'Retry-After': String(error.retryAfterSeconds) },
    };
  }
  if (error instanceof NoLiveReadModelError)
    return plain(409, 'NO_LIVE_READ_MODEL', error.message, 'READ_MODEL.NOT_LIVE');
  if (error instanceof EventIdConflictError)
    return plain(409, 'CONFLICT', error.message, error.code);
  if (error instanceof IdempotencyKeyReusedError) {
    return plain(422, 'IDEMPOTENCY_KEY_REUSED', error.message, error.code);
  }
  if (error instanceof StreamContendedError) {
    return {
      ...plain(503, 'CONTENDED', error.message, error.code),
      headers: { 'Retry-After': '1' },
    };
  }
  if (error instanceof IdempotencyInProgressError) {
    return {
      ...plain(409, 'CONFLICT', error.message, error.code),
      headers: { 'Retry-After': '1' },
    };
  }
  // Nest hands body-parser's errors over wrapped in an HttpException (the parser's is the cause).
  const parserError = error instanceof HttpException ? error.cause : error;
  if (isBodyParserError(parserError) && parserError.status >= 400 && parserError.status < 500) {
    const { type, status, message, limit } = parserError;
    if (type === 'entity.parse.failed') {
      return plain(400, 'MALFORMED_JSON', `the body is not valid JSON: ${message}`);
    }
    const stated = type === 'entity.too.large' && limit !== undefined;
    return plain(
      status,
      type.toUpperCase().replace(/\W/g, '_'),
      stated ? `${message}: the limit is ${limit} bytes` : message,
    );
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return plain(status, httpErrorName(status), error.message);
  }
  return plain(500, 'INTERNAL', 'internal error');
}

const httpErrorName = (status: number): string =>
  (
    ({
      401: 'UNAUTHORIZED',
      403: 'FORBIDDEN',
      404: 'NOT_FOUND',
      405: 'METHOD_NOT_ALLOWED',
      413: 'PAYLOAD_TOO_LARGE',
      415: 'UNSUPPORTED_MEDIA_TYPE',
      429: 'TOO_MANY_REQUESTS',
    }) as Record<number, string>
  )[status] ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
