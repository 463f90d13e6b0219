import { CommandHandler } from '@nestjs/cqrs';
import { SupplierProjectDeciderHandler } from './supplier-project-decider.handler';
import { OverrideSupplierTaskDueDateCommand } from './override-supplier-task-due-date.command';

@CommandHandler(OverrideSupplierTaskDueDateCommand)
export class OverrideSupplierTaskDueDateHandler extends SupplierProjectDeciderHandler {}
