import type { DeleteTaskTypeSection } from '../../domain/task-type/task-type.commands';
import { DeciderCommand } from '../decider.command';

/** Only an empty section can be deleted. */
export class DeleteTaskTypeSectionCommand extends DeciderCommand<DeleteTaskTypeSection> {}
