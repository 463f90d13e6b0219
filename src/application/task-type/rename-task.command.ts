import type { RenameTask } from '../../domain/task-type/task-type.commands';
import { DeciderCommand } from '../decider.command';

export class RenameTaskCommand extends DeciderCommand<RenameTask> {}
