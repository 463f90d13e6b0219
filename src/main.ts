import type { Server, ServerResponse } from 'node:http';
import { startApp, appLogger, type RunningApp } from './app';
import { loadConfig, type AppConfig } from './config';
import { StoreUnavailableError } from './eventstore/errors';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

/** A database that is not up yet (or is restarting) is waited for; any other failure is final. */
async function startWhenReachable(config: AppConfig): Promise<RunningApp> {
  for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
    try {
      return await startApp(config, { awaitClaimsBackfill: false });
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      appLogger.warn(`${error.message}; starting again in ${delay} ms`);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

async function bootstrap(): Promise<void> {
  const running = await startWhenReachable(loadConfig());
  appLogger.log(`listening on ${running.url} (${running.infra.describe})`);
  const server = running.app.getHttpServer() as Server;
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  // A request that keeps its connection after the stop began ends it once answered.
  server.on('request', (_req, res: ServerResponse) => {
    if (closing) res.setHeader('Connection', 'close');
    inFlight.add(res);
    res.on('close', () => inFlight.delete(res));
  });
  /*
   * Stops accepting, lets every request being served finish and closes its keep-alive
   * connection after its answer (never in the middle of one), closes idle connections at once,
   * then the application: its shutdown hooks wait for the idempotent outcomes being stored.
   */
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    appLogger.log(`${signal}: shutting down after ${inFlight.size} requests in flight`);
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    const stopped = running.close();
    server.closeIdleConnections();
    stopped.then(
      () => process.exit(0),
      (error: unknown) => {
        appLogger.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

bootstrap().catch((error: unknown) => {
  appLogger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
