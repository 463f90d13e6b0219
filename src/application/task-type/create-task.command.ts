import type { CreateTask } from '../../domain/task-type/task-type.commands';
import { DeciderCommand } from '../decider.command';

/** With parentTaskId it creates a sub-task: one level only, in the parent's section. */
export class CreateTaskCommand extends DeciderCommand<CreateTask> {}
