import { Module } from '@nestjs/common';
import { CommandsModule } from '../application/commands.module';
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
import { WebPageController } from './web-page.controller';

/** The command API over HTTP, its OpenAPI document and the auditors' stream reads. */
@Module({
  imports: [CommandsModule],
  controllers: [...COMMAND_CONTROLLERS, StreamHistoryController, DocsController, WebPageController],
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
