import { CommandHandler } from '@nestjs/cqrs';
import { TaskTypeDeciderHandler } from './task-type-decider.handler';
import { RenameTaskCommand } from './rename-task.command';

@CommandHandler(RenameTaskCommand)
export class RenameTaskHandler extends TaskTypeDeciderHandler {}
