import type { RenameProject } from '../../domain/project/project.commands';
import { DeciderCommand } from '../decider.command';

/** Renaming to the current name appends nothing. */
export class RenameProjectCommand extends DeciderCommand<RenameProject> {}
