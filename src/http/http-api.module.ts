import { Module } from '@nestjs/common';
import { CommandsModule } from '../application/commands.module';
import { AuditModule } from '../application/audit/audit.module';
import { ProjectionsModule } from '../projection-runner/projections.module';
import { ImportController } from './admin/import.controller';
import { AuditController } from './audit/audit.controller';
import { COMMAND_CONTROLLERS } from './command-controllers';
import { DashboardsModule } from './dashboards/dashboards.module';
import {
  CommandAdmission,
  CommandAdmissionInterceptor,
} from './commands/command-admission.interceptor';
import { CommandInputPipe } from './commands/command-input.pipe';
import { CommandResponseInterceptor } from './commands/command-response.interceptor';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { DocsController } from './openapi/docs.controller';
import { MigrationsController } from './migrations.controller';
import { ProjectionsController } from './projections.controller';
import { WebPageController } from './web-page.controller';

/** The command API over HTTP, its OpenAPI document, the auditors' reads of the event store, the projections' admin API and the dashboard page. */
@Module({
  imports: [CommandsModule, AuditModule, ProjectionsModule, DashboardsModule],
  controllers: [
    ...COMMAND_CONTROLLERS,
    AuditController,
    DocsController,
    ProjectionsController,
    MigrationsController,
    ImportController,
    WebPageController,
  ],
  providers: [
    CommandAdmission,
    CommandAdmissionInterceptor,
    IdempotencyStore,
    IdempotencyInterceptor,
    CommandResponseInterceptor,
    CommandInputPipe,
  ],
})
export class HttpApiModule {}
