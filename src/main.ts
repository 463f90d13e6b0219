import { startApp, appLogger, type RunningApp } from './app';
import { loadConfig, type AppConfig } from './config';
import { StoreUnavailableError } from './eventstore/errors';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

/** A database that is not up yet (or is restarting) is waited for; any other failure is final. */
async function startWhenReachable(config: AppConfig): Promise<RunningApp> {
  for (let delay = FIRST_RETRY_MS; ; delay = Math.min(delay * 2, MAX_RETRY_MS)) {
    try {
      return await startApp(config);
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
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    appLogger.log(`${signal}: shutting down`);
    running.close().then(
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
