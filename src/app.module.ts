import { Module, type DynamicModule } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { CommandsModule } from './application/commands.module';
import type { Infrastructure } from './eventstore/infrastructure';
import { AccessModule, type AccessModuleOptions } from './http/auth/access.module';
import { CommandMetricsInterceptor } from './http/commands/command-metrics.interceptor';
import { HealthController } from './http/health.controller';
import { MetricsController } from './http/metrics.controller';
import { HttpApiModule } from './http/http-api.module';
import { READY_OPTIONS, ReadyController, type ReadyOptions } from './http/ready.controller';
import { MetricsModule } from './metrics/metrics.module';
import { IDEMPOTENCY_OPTIONS, type IdempotencyOptions } from './http/idempotency/idempotency.store';
import { ProjectionsModule } from './projection-runner/projections.module';
import { EVENT_STORE, INFRASTRUCTURE, SQL_CLIENT } from './tokens';

/** The infrastructure is opened before Nest starts (it may hold the DATA_DIR lock) and handed in. */
@Module({})
export class AppModule {
  static forRoot(
    infra: Infrastructure,
    idempotency: IdempotencyOptions,
    access: AccessModuleOptions,
    ready: ReadyOptions,
  ): DynamicModule {
    return {
      module: AppModule,
      // The ports are global so that every feature module can inject them.
      global: true,
      // CommandsModule for the claims backfill's gate, which /ready reports.
      imports: [
        ProjectionsModule,
        CommandsModule,
        HttpApiModule,
        AccessModule.forRoot(access),
        MetricsModule,
      ],
      controllers: [HealthController, ReadyController, MetricsController],
      providers: [
        { provide: INFRASTRUCTURE, useValue: infra },
        { provide: EVENT_STORE, useValue: infra.eventStore },
        { provide: SQL_CLIENT, useValue: infra.sql },
        { provide: IDEMPOTENCY_OPTIONS, useValue: idempotency },
        { provide: READY_OPTIONS, useValue: ready },
        // Global, so that it wraps every command route's own interceptors and input pipe.
        { provide: APP_INTERCEPTOR, useClass: CommandMetricsInterceptor },
      ],
      exports: [INFRASTRUCTURE, EVENT_STORE, SQL_CLIENT, IDEMPOTENCY_OPTIONS],
    };
  }
}
