import type { RenameTaskType } from '../../domain/task-type/task-type.commands';
import { DeciderCommand } from '../decider.command';

/** Renaming to the current name appends nothing. */
export class RenameTaskTypeCommand extends DeciderCommand<RenameTaskType> {}
