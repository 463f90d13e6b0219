import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import { destination as pinoDestination, type DestinationStream } from 'pino';
import { requestIdsOf } from '../commands/request-ids';
import { principalOf } from './principal';

/** The route's pattern (`/suppliers/:supplierId/name`), so that lines group by route, not by id. */
const routeOf = (req: IncomingMessage): string | undefined => {
  const route = (req as IncomingMessage & { route?: { path?: unknown } }).route;
  return typeof route?.path === 'string' ? route.path : undefined;
};

/**
 * One structured line per request: method, URL, route, status, latency, the key's name and the
 * correlation id. Headers are never serialised, so no key secret can reach the log (and
 * `authorization` is redacted besides, should a serialiser ever print headers).
 */
export function requestLogParams(options: {
  enabled: boolean;
  destination?: DestinationStream;
}): Params {
  const pinoOptions = {
    level: options.enabled ? 'info' : 'silent',
    redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'],
    genReqId: (req: IncomingMessage) => requestIdsOf(req).requestId,
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    customProps: (req: IncomingMessage) => {
      const principal = principalOf(req);
      return {
        route: routeOf(req),
        key: principal?.name,
        onBehalfOf: principal?.onBehalfOf,
        correlationId: requestIdsOf(req).correlationId,
      };
    },
  };
  // Written asynchronously: a line is written at once when no write is under way, and the lines
  // logged meanwhile go out together after it, so a busy service makes one write for many
  // requests instead of one blocking write each. Pino flushes what is pending when the process
  // exits; a kill -9 can lose the lines of the last moment, never an event or a response.
  return { pinoHttp: [pinoOptions, options.destination ?? pinoDestination({ sync: false })] };
}
