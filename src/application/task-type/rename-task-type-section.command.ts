import type { RenameTaskTypeSection } from '../../domain/task-type/task-type.commands';
import { DeciderCommand } from '../decider.command';

export class RenameTaskTypeSectionCommand extends DeciderCommand<RenameTaskTypeSection> {}
