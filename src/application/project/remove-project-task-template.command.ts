import type { RemoveProjectTaskTemplate } from '../../domain/project/project.commands';
import { DeciderCommand } from '../decider.command';

export class RemoveProjectTaskTemplateCommand extends DeciderCommand<RemoveProjectTaskTemplate> {}
