import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import {
  DEFAULT_IDEMPOTENCY_KEY_TTL_HOURS,
  DEFAULT_RATE_LIMIT_PER_MINUTE,
  type AppConfig,
} from './config';
import { openInfrastructure, type Infrastructure } from './eventstore/infrastructure';
import { configureHttp } from './http/configure-http';

export interface RunningApp {
  app: INestApplication;
  infra: Infrastructure;
  url: string;
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
    const app = await NestFactory.create(AppModule.forRoot(infra, idempotency, access), {
      logger: logging ? ['log', 'warn', 'error'] : false,
      bufferLogs: logging,
    });
    if (logging) app.useLogger(app.get(PinoLogger));
    configureHttp(app, config);
    await app.listen(config.port, config.host);
    const url = (await app.getUrl()).replace('[::1]', 'localhost');
    infra.recordServiceUrl(url);
    return {
      app,
      infra,
      url,
      async close() {
        await app.close();
        await infra.close();
      },
    };
  } catch (error) {
    await infra.close();
    throw error;
  }
}

export const appLogger = new Logger('supplier-tasks');
