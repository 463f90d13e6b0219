import { CommandHandler } from '@nestjs/cqrs';
import { TaskTypeDeciderHandler } from './task-type-decider.handler';
import { CreateTaskTypeCommand } from './create-task-type.command';

@CommandHandler(CreateTaskTypeCommand)
export class CreateTaskTypeHandler extends TaskTypeDeciderHandler {}
