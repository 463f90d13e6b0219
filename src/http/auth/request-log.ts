import type { IncomingMessage } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
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
  return {
    pinoHttp: options.destination === undefined ? pinoOptions : [pinoOptions, options.destination],
  };
}
