import { Module } from '@nestjs/common';
import { CommandsModule } from '../application/commands.module';
import { ProjectionsModule } from '../projection-runner/projections.module';
import { StreamHistoryController } from './audit/stream-history.controller';
import { COMMAND_CONTROLLERS } from './command-controllers';
import {
  CommandAdmission,
  CommandAdmissionInterceptor,
} from './commands/command-admission.interceptor';
import { CommandInputPipe } from './commands/command-input.pipe';
import { CommandResponseInterceptor } from './commands/command-response.interceptor';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { DocsController } from './openapi/docs.controller';
import { ProjectionsController } from './projections.controller';
import { WebPageController } from './web-page.controller';

/** The command API over HTTP, its OpenAPI document, the auditors' stream reads, the projections' admin API and the dashboard page. */
@Module({
  imports: [CommandsModule, ProjectionsModule],
  controllers: [
    ...COMMAND_CONTROLLERS,
    StreamHistoryController,
    DocsController,
    ProjectionsController,
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
