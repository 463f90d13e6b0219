import { CommandHandler } from '@nestjs/cqrs';
import { TaskTypeDeciderHandler } from './task-type-decider.handler';
import { DeleteTaskTypeSectionCommand } from './delete-task-type-section.command';

@CommandHandler(DeleteTaskTypeSectionCommand)
export class DeleteTaskTypeSectionHandler extends TaskTypeDeciderHandler {}
