import { CommandHandler } from '@nestjs/cqrs';
import { TaskTypeDeciderHandler } from './task-type-decider.handler';
import { CreateTaskTypeSectionCommand } from './create-task-type-section.command';

@CommandHandler(CreateTaskTypeSectionCommand)
export class CreateTaskTypeSectionHandler extends TaskTypeDeciderHandler {}
