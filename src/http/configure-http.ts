import type { Server } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import swaggerUi from 'swagger-ui-express';
import { DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS, type AppConfig } from '../config';
import { allowedHostNames, hostCheck } from './auth/host-check';
import { assignRequestIds } from './commands/request-ids';
import { HttpErrorFilter } from './errors/http-error.filter';

/** Headers must arrive well before the whole request: a client that trickles them is cut early. */
const MAX_HEADERS_TIMEOUT_MS = 10_000;

type HttpConfig = Pick<
  AppConfig,
  'host' | 'allowedHosts' | 'corsOrigins' | 'maxConnections' | 'requestTimeoutMs'
>;

/** What the HTTP layer installs on the application: call before `listen`. */
export function configureHttp(app: INestApplication, config: HttpConfig): void {
  (app.getHttpAdapter().getInstance() as Express).disable('x-powered-by');
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
  app.useGlobalFilters(new HttpErrorFilter());
  app.use(assignRequestIds);
  // The UI loads the document generated from the zod schemas (GET /docs.json).
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(undefined, { swaggerOptions: { url: '/docs.json' } }),
  );
}
