import type { CreateTaskType } from '../../domain/task-type/task-type.commands';
import { DeciderCommand } from '../decider.command';

export class CreateTaskTypeCommand extends DeciderCommand<CreateTaskType> {}
