import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestIds {
  /** This request; the causationId of the events it writes. */
  requestId: string;
  /** The conversation it belongs to, across services. */
  correlationId: string;
}

const assigned = new WeakMap<IncomingMessage, RequestIds>();

/** Tracing ids are taken as sent when they look like ids; anything else is replaced, not refused. */
const TRACE_ID = /^[\x21-\x7e]{1,200}$/;

const fromHeader = (value: string | string[] | undefined): string | undefined =>
  typeof value === 'string' && TRACE_ID.test(value) ? value : undefined;

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
    };
    assigned.set(req, ids);
  }
  if (res !== undefined && !res.headersSent) {
    res.setHeader('X-Request-Id', ids.requestId);
    res.setHeader('X-Correlation-Id', ids.correlationId);
  }
  return ids;
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
