import { CommandHandler } from '@nestjs/cqrs';
import { SupplierProjectDeciderHandler } from './supplier-project-decider.handler';
import { ReopenSupplierTaskCommand } from './reopen-supplier-task.command';

@CommandHandler(ReopenSupplierTaskCommand)
export class ReopenSupplierTaskHandler extends SupplierProjectDeciderHandler {}
