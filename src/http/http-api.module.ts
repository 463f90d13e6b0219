import { Module } from '@nestjs/common';
import { CommandsModule } from '../application/commands.module';
import { AuditModule } from '../application/audit/audit.module';
import { AuditController } from './audit/audit.controller';
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

/** The command API over HTTP, its OpenAPI document and the auditors' reads of the event store. */
@Module({
  imports: [CommandsModule, AuditModule],
  controllers: [...COMMAND_CONTROLLERS, AuditController, DocsController],
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
