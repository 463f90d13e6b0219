import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { DEFAULT_IDEMPOTENCY_KEY_TTL_HOURS, type AppConfig } from './config';
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
  options: { logger?: false } = {},
): Promise<RunningApp> {
  const infra = await openInfrastructure(config);
  try {
    const idempotency = {
      keyTtlHours: config.idempotencyKeyTtlHours ?? DEFAULT_IDEMPOTENCY_KEY_TTL_HOURS,
    };
    const app = await NestFactory.create(AppModule.forRoot(infra, idempotency), {
      logger: options.logger ?? ['log', 'warn', 'error'],
    });
    configureHttp(app);
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
