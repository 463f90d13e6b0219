import 'reflect-metadata';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { AppModule } from './app.module';
import { backfillClaims } from './application/claims-backfill';
import { CommandExecutor } from './application/command-executor';
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
    const ready = { maxLagEvents: config.readyMaxLagEvents ?? DEFAULT_READY_MAX_LAG_EVENTS };
    const app = await NestFactory.create(AppModule.forRoot(infra, idempotency, access, ready), {
      logger: logging ? ['log', 'warn', 'error'] : false,
      bufferLogs: logging,
    });
    if (logging) app.useLogger(app.get(PinoLogger));
    configureHttp(app, config);
    await backfillClaimsAtStart(app, infra);
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

/**
 * Before the first command: a log written by an earlier build (or imported while no service
 * ran) holds codes, assignments and instances without claims, which a new command must meet.
 * Continues from the position recorded by the last run, so a start with nothing new reads
 * nothing but that.
 */
async function backfillClaimsAtStart(app: INestApplication, infra: Infrastructure): Promise<void> {
  const logger = new Logger('claims-backfill');
  let logged = -1;
  const report = await backfillClaims(app.get(CommandExecutor), infra.eventStore, {
    onProgress: ({ done, total }) => {
      const tenth = Math.floor((done * 10) / total);
      if (tenth <= logged) return;
      logged = tenth;
      logger.log(`${done}/${total} positions read`);
    },
  });
  if (report.written > 0 || report.unclaimed.length > 0) {
    logger.log(
      `${report.written} claims written for positions ${report.from}–${report.upTo}; ` +
        `${report.unclaimed.length} duplicates kept as they are`,
    );
  }
  for (const u of report.unclaimed)
    logger.warn(`${u.streamId}: ${u.code} ${JSON.stringify(u.details)}`);
}
