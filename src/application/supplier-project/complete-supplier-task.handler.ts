import { CommandHandler } from '@nestjs/cqrs';
import { SupplierProjectDeciderHandler } from './supplier-project-decider.handler';
import { CompleteSupplierTaskCommand } from './complete-supplier-task.command';

@CommandHandler(CompleteSupplierTaskCommand)
export class CompleteSupplierTaskHandler extends SupplierProjectDeciderHandler {}
