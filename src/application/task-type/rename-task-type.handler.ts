import { CommandHandler } from '@nestjs/cqrs';
import { TaskTypeDeciderHandler } from './task-type-decider.handler';
import { RenameTaskTypeCommand } from './rename-task-type.command';

@CommandHandler(RenameTaskTypeCommand)
export class RenameTaskTypeHandler extends TaskTypeDeciderHandler {}
