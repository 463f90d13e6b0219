import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestIds {
  /** This request; the causationId of the events it writes. */
  requestId: string;
  /** The conversation it belongs to, across services. */
  correlationId: string;
  /** When it arrived (epoch ms): the business time of its events unless the caller back-dates. */
  receivedAt: number;
  /**
   * A keyed request (Idempotency-Key): every id it generates derives from `seed`, and `resumed`
   * says an earlier attempt of it may have written already.
   */
  keyed?: { seed: string; resumed: boolean };
}

const assigned = new WeakMap<IncomingMessage, RequestIds>();

/** Tracing ids are taken as sent when they look like ids; anything else is replaced, not refused. */
const TRACE_ID = /^[\x21-\x7e]{1,200}$/;

const fromHeader = (value: string | string[] | undefined): string | undefined =>
  typeof value === 'string' && TRACE_ID.test(value) ? value : undefined;

const echo = (res: ServerResponse, ids: RequestIds): void => {
  if (res.headersSent) return;
  res.setHeader('X-Request-Id', ids.requestId);
  res.setHeader('X-Correlation-Id', ids.correlationId);
};

/**
 * The ids of a request, assigned once: `X-Request-Id` and `X-Correlation-Id` when sent, else
 * new uuids. Echoed on the response so that a caller can find its events.
 */
export function requestIdsOf(req: IncomingMessage, res?: ServerResponse): RequestIds {
  let ids = assigned.get(req);
  if (ids === undefined) {
    ids = {
      requestId: fromHeader(req.headers['x-request-id']) ?? randomUUID(),
      correlationId: fromHeader(req.headers['x-correlation-id']) ?? randomUUID(),
      receivedAt: Date.now(),
    };
    assigned.set(req, ids);
  }
  if (res !== undefined) echo(res, ids);
  return ids;
}

/**
 * Replaces a request's ids: a keyed retry takes its first attempt's, so that what it writes is
 * what the first attempt wrote or would have written.
 */
export function adoptRequestIds(req: IncomingMessage, res: ServerResponse, ids: RequestIds): void {
  assigned.set(req, ids);
  echo(res, ids);
}

/** Express middleware: every response, errors included, carries the ids. */
export function assignRequestIds(
  req: IncomingMessage,
  res: ServerResponse,
  next: () => void,
): void {
  requestIdsOf(req, res);
  next();
}
