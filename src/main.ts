import { startApp, appLogger } from './app';
import { loadConfig } from './config';

async function bootstrap(): Promise<void> {
  const running = await startApp(loadConfig());
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
