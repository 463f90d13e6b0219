import type { CreateProjectTaskTemplate } from '../../domain/project/project.commands';
import { DeciderCommand } from '../decider.command';

export class CreateProjectTaskTemplateCommand extends DeciderCommand<CreateProjectTaskTemplate> {}
