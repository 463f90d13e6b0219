import type { CreateProject } from '../../domain/project/project.commands';
import { DeciderCommand } from '../decider.command';

export class CreateProjectCommand extends DeciderCommand<CreateProject> {}
