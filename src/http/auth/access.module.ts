import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { ApiKeyStore } from '../../access/api-key.store';
import { KeyAuthenticator } from '../../access/key-authenticator';
import type { SqlClient } from '../../eventstore/sql/sql-client';
import { SQL_CLIENT } from '../../tokens';
import { ACCESS_OPTIONS, type AccessOptions } from './access-options';
import { AccessGuard } from './access.guard';
import { AdminKeyBootstrap } from './admin-key.bootstrap';
import { ApiKeysController } from './api-keys.controller';
import { KeyThrottlerGuard } from './key-throttler.guard';
import { requestLogParams } from './request-log';
import { SlidingWindowThrottlerStorage } from './sliding-window-storage';

export interface AccessModuleOptions extends AccessOptions {
  /** Off in tests that do not look at the log. */
  requestLog: boolean;
  /** Where log lines go; stdout when absent. */
  logDestination?: DestinationStream;
}

/**
 * Who may call what: API keys with roles, checked on every route (default deny), the per-key
 * rate limit, the admin routes of the keys, and the request log that names the key.
 */
@Module({})
export class AccessModule {
  static forRoot(options: AccessModuleOptions): DynamicModule {
    return {
      module: AccessModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: options.rateLimitPerMinute }],
          storage: new SlidingWindowThrottlerStorage(),
        }),
        LoggerModule.forRoot(
          requestLogParams({ enabled: options.requestLog, destination: options.logDestination }),
        ),
      ],
      controllers: [ApiKeysController],
      providers: [
        { provide: ACCESS_OPTIONS, useValue: options },
        {
          provide: ApiKeyStore,
          useFactory: (sql: SqlClient) => ApiKeyStore.open(sql),
          inject: [SQL_CLIENT],
        },
        {
          provide: KeyAuthenticator,
          useFactory: (store: ApiKeyStore, sql: SqlClient) => KeyAuthenticator.open(store, sql),
          inject: [ApiKeyStore, SQL_CLIENT],
        },
        AdminKeyBootstrap,
        // In this order: the key is known before the rate limit counts against it.
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_GUARD, useClass: KeyThrottlerGuard },
      ],
      exports: [ApiKeyStore],
    };
  }
}
