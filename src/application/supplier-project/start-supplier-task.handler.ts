import { CommandHandler } from '@nestjs/cqrs';
import { SupplierProjectDeciderHandler } from './supplier-project-decider.handler';
import { StartSupplierTaskCommand } from './start-supplier-task.command';

@CommandHandler(StartSupplierTaskCommand)
export class StartSupplierTaskHandler extends SupplierProjectDeciderHandler {}
