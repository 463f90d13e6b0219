import { CommandHandler } from '@nestjs/cqrs';
import { TaskTypeDeciderHandler } from './task-type-decider.handler';
import { ChangeTaskTypeCategoryCommand } from './change-task-type-category.command';

@CommandHandler(ChangeTaskTypeCategoryCommand)
export class ChangeTaskTypeCategoryHandler extends TaskTypeDeciderHandler {}
