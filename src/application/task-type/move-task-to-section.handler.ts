import { CommandHandler } from '@nestjs/cqrs';
import { TaskTypeDeciderHandler } from './task-type-decider.handler';
import { MoveTaskToSectionCommand } from './move-task-to-section.command';

@CommandHandler(MoveTaskToSectionCommand)
export class MoveTaskToSectionHandler extends TaskTypeDeciderHandler {}
