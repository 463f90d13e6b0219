import type {
  ChangeProjectTaskTemplateDueDate,
  CreateProject,
  CreateProjectTaskTemplate,
  ProjectCommand,
  RemoveProjectTaskTemplate,
  RenameProject,
} from '../../domain/project/project.commands';
import { DeciderCommand, type CommandClasses } from '../decider.command';

/** The bus routes by class: one class per domain command, keyed by the command's type. */
export const ProjectCommands = {
  CreateProject: class CreateProjectCommand extends DeciderCommand<CreateProject> {},
  RenameProject: class RenameProjectCommand extends DeciderCommand<RenameProject> {},
  CreateProjectTaskTemplate: class CreateProjectTaskTemplateCommand extends DeciderCommand<CreateProjectTaskTemplate> {},
  ChangeProjectTaskTemplateDueDate: class ChangeProjectTaskTemplateDueDateCommand extends DeciderCommand<ChangeProjectTaskTemplateDueDate> {},
  RemoveProjectTaskTemplate: class RemoveProjectTaskTemplateCommand extends DeciderCommand<RemoveProjectTaskTemplate> {},
} satisfies CommandClasses<ProjectCommand>;
