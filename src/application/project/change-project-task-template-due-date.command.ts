import type { ChangeProjectTaskTemplateDueDate } from '../../domain/project/project.commands';
import { DeciderCommand } from '../decider.command';

/** Reaches every instance of the template that has no override of its own. */
export class ChangeProjectTaskTemplateDueDateCommand extends DeciderCommand<ChangeProjectTaskTemplateDueDate> {}
