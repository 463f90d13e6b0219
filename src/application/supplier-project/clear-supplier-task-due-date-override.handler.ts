import { CommandHandler } from '@nestjs/cqrs';
import { SupplierProjectDeciderHandler } from './supplier-project-decider.handler';
import { ClearSupplierTaskDueDateOverrideCommand } from './clear-supplier-task-due-date-override.command';

@CommandHandler(ClearSupplierTaskDueDateOverrideCommand)
export class ClearSupplierTaskDueDateOverrideHandler extends SupplierProjectDeciderHandler {}
