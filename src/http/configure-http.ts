import type { Server } from 'node:http';
import { Logger, UnsupportedMediaTypeException, type INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, NextFunction, Request, Response } from 'express';
import swaggerUi from 'swagger-ui-express';
import {
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type AppConfig,
} from '../config';
import { allowedHostNames, hostCheck } from './auth/host-check';
import { assignRequestIds } from './commands/request-ids';
import { RequestValidationError } from './errors/request-validation.error';
import { NDJSON } from './admin/import.controller';
import { HttpErrorFilter } from './errors/http-error.filter';
import { serveWebAssets } from './web-page';

/**
 * The largest body: a note's 10,000 characters of up to 4 bytes each, with room for the rest.
 * The 413 of a larger one states it.
 */
export const BODY_LIMIT_BYTES = 100 * 1024;
/** No command nests deeper than a few levels; far deeper ones would only exhaust the stack. */
export const MAX_JSON_DEPTH = 32;

/** Only JSON bodies: a form a web page posts must not reach a route (415). */
function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length ?? '0') !== '0';
  // The admin import streams ndjson (a type no web form can send without a preflight).
  const ndjsonImport = req.method === 'POST' && req.path === '/admin/import';
  if (ndjsonImport && req.is(NDJSON) !== false) {
    next();
    return;
  }
  if (hasBody && req.is('application/json') === false) {
    next(new UnsupportedMediaTypeException('the body must be application/json'));
    return;
  }
  next();
}

/** How deep `value` nests, counted without recursion, stopping once past `max`. */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

function boundJsonDepth(req: Request, _res: Response, next: NextFunction): void {
  if (depthExceeds(req.body, MAX_JSON_DEPTH)) {
    const reason = `nests deeper than ${MAX_JSON_DEPTH} levels`;
    next(new RequestValidationError([{ field: 'body', in: 'body', reason }]));
    return;
  }
  next();
}

/** Headers must arrive well before the whole request: a client that trickles them is cut early. */
const MAX_HEADERS_TIMEOUT_MS = 10_000;

type HttpConfig = Pick<
  AppConfig,
  | 'host'
  | 'allowedHosts'
  | 'corsOrigins'
  | 'maxConnections'
  | 'requestTimeoutMs'
  | 'keepAliveTimeoutMs'
>;

/** What the HTTP layer installs on the application: call before `listen`. */
export function configureHttp(app: INestApplication, config: HttpConfig): void {
  const express = app.getHttpAdapter().getInstance() as Express;
  express.disable('x-powered-by');
  // No weak ETag of Express's on any body: a command's ETag is its stream revision, set by the
  // command, and an error's would be mistaken for one.
  express.set('etag', false);
  const hosts = allowedHostNames(config.host, config.allowedHosts);
  if (hosts !== undefined) app.use(hostCheck(hosts));
  else
    new Logger('http').warn(`bound to ${config.host} with no ALLOWED_HOSTS: Host is not checked`);
  // No Access-Control-Allow-Origin unless an origin is configured: no web page calls the API.
  if (config.corsOrigins !== undefined && config.corsOrigins.length > 0)
    app.enableCors({ origin: config.corsOrigins });
  const server = app.getHttpServer() as Server;
  server.maxConnections = config.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  server.requestTimeout = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  server.headersTimeout = Math.min(MAX_HEADERS_TIMEOUT_MS, server.requestTimeout);
  // Since Node 18.2 the headers' timeout runs from a request's first byte, not from the end of
  // the one before, so an idle connection kept longer than it is not cut for it.
  server.keepAliveTimeout = config.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  app.useGlobalFilters(new HttpErrorFilter());
  app.use(assignRequestIds);
  app.use(requireJsonBody);
  // Registered here, Nest's own JSON parser is not added; its form parser never sees a body.
  (app as NestExpressApplication).useBodyParser('json', { limit: BODY_LIMIT_BYTES });
  app.use(boundJsonDepth);
  // The UI loads the document generated from the zod schemas (GET /docs.json).
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: '/docs.json' } }),
  );
  serveWebAssets(app);
}
