import type { CreateTaskTypeSection } from '../../domain/task-type/task-type.commands';
import { DeciderCommand } from '../decider.command';

/** Section codes are unique within the task type, case-insensitively. */
export class CreateTaskTypeSectionCommand extends DeciderCommand<CreateTaskTypeSection> {}
