import { Module, type DynamicModule } from '@nestjs/common';
import type { Infrastructure } from './eventstore/infrastructure';
import { AccessModule, type AccessModuleOptions } from './http/auth/access.module';
import { HealthController } from './http/health.controller';
import { HttpApiModule } from './http/http-api.module';
import { ReadyController } from './http/ready.controller';
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
  ): DynamicModule {
    return {
      module: AppModule,
      // The ports are global so that every feature module can inject them.
      global: true,
      imports: [ProjectionsModule, HttpApiModule, AccessModule.forRoot(access)],
      controllers: [HealthController, ReadyController],
      providers: [
        { provide: INFRASTRUCTURE, useValue: infra },
        { provide: EVENT_STORE, useValue: infra.eventStore },
        { provide: SQL_CLIENT, useValue: infra.sql },
        { provide: IDEMPOTENCY_OPTIONS, useValue: idempotency },
      ],
      exports: [INFRASTRUCTURE, EVENT_STORE, SQL_CLIENT, IDEMPOTENCY_OPTIONS],
    };
  }
}
