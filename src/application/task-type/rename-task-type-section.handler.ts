import { CommandHandler } from '@nestjs/cqrs';
import { TaskTypeDeciderHandler } from './task-type-decider.handler';
import { RenameTaskTypeSectionCommand } from './rename-task-type-section.command';

@CommandHandler(RenameTaskTypeSectionCommand)
export class RenameTaskTypeSectionHandler extends TaskTypeDeciderHandler {}
