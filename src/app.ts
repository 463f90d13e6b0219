import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { ClaimsBackfillGate } from './application/claims-backfill-gate';
import { CommandExecutor } from './application/command-executor';
import { StartUpClaimsBackfill } from './application/start-up-claims-backfill';
import {
  DEFAULT_IDEMPOTENCY_KEY_TTL_HOURS,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  DEFAULT_READY_MAX_LAG_EVENTS,
  type AppConfig,
} from './config';
import { openInfrastructure, type Infrastructure } from './eventstore/infrastructure';
import { configureHttp } from './http/configure-http';

export interface RunningApp {
  app: INestApplication;
  infra: Infrastructure;
  url: string;
  /** Settles once the start-up claims backfill is done (or stopped by `close`). */
  claimsBackfilled: Promise<void>;
  close(): Promise<void>;
}

/** Builds and starts the HTTP service; used by `main.ts` and by the end-to-end tests. */
export async function startApp(
  config: AppConfig,
  options: {
    logger?: false;
    /** Where the structured log goes (stdout when absent). */
    logDestination?: DestinationStream;
    /** Where a first start prints the admin key it made (stdout when absent). */
    announce?: (text: string) => void;
    /**
     * Resolve only once the start-up claims backfill is done (the default, for embedders and
     * tests that send commands at once); the service (`main.ts`) does not wait: it answers
     * meanwhile, refusing only the commands that claim.
     */
    awaitClaimsBackfill?: boolean;
  } = {},
): Promise<RunningApp> {
  const infra = await openInfrastructure(config);
  try {
    const idempotency = {
      keyTtlHours: config.idempotencyKeyTtlHours ?? DEFAULT_IDEMPOTENCY_KEY_TTL_HOURS,
    };
    const logging = options.logger !== false;
    const access = {
      adminKey: config.adminKey,
      rateLimitPerMinute: config.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
      announce: options.announce ?? ((text: string) => process.stdout.write(text)),
      requestLog: logging,
      logDestination: options.logDestination,
    };
    const ready = { maxLagEvents: config.readyMaxLagEvents ?? DEFAULT_READY_MAX_LAG_EVENTS };
    const app = await NestFactory.create(AppModule.forRoot(infra, idempotency, access, ready), {
      logger: logging ? ['log', 'warn', 'error'] : false,
      bufferLogs: logging,
    });
    if (logging) app.useLogger(app.get(PinoLogger));
    configureHttp(app, config);
    const backfill = new StartUpClaimsBackfill(
      app.get(CommandExecutor),
      infra.eventStore,
      app.get(ClaimsBackfillGate),
    );
    await backfill.beforeListening();
    await app.listen(config.port, config.host);
    const url = (await app.getUrl()).replace('[::1]', 'localhost');
    infra.recordServiceUrl(url);
    const stopBackfill = new AbortController();
    const claimsBackfilled = backfill.run(stopBackfill.signal);
    const running: RunningApp = {
      app,
      infra,
      url,
      claimsBackfilled,
      async close() {
        stopBackfill.abort();
        await claimsBackfilled;
        await app.close();
        await infra.close();
      },
    };
    if (options.awaitClaimsBackfill !== false) await claimsBackfilled;
    return running;
  } catch (error) {
    await infra.close();
    throw error;
  }
}

export const appLogger = new Logger('supplier-tasks');
