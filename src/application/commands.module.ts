import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ClaimsBackfillGate } from './claims-backfill-gate';
import { CommandExecutor } from './command-executor';
import { ProjectHandlers } from './project/project.handlers';
import { StreamHistory } from './audit/stream-history';
import { SupplierProjectHandlers } from './supplier-project/supplier-project.handlers';
import { SupplierHandlers } from './supplier/supplier.handlers';
import { TaskTypeHandlers } from './task-type/task-type.handlers';

/** The write side: one handler per domain command on the CQRS command bus. */
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    CommandExecutor,
    ClaimsBackfillGate,
    StreamHistory,
    ...SupplierHandlers,
    ...ProjectHandlers,
    ...TaskTypeHandlers,
    ...SupplierProjectHandlers,
  ],
  exports: [CommandExecutor, ClaimsBackfillGate, StreamHistory],
})
export class CommandsModule {}
