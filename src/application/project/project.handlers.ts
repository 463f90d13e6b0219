import { CreateProjectHandler } from './create-project.handler';
import { RenameProjectHandler } from './rename-project.handler';
import { CreateProjectTaskTemplateHandler } from './create-project-task-template.handler';
import { ChangeProjectTaskTemplateDueDateHandler } from './change-project-task-template-due-date.handler';
import { RemoveProjectTaskTemplateHandler } from './remove-project-task-template.handler';

export const ProjectHandlers = [
  CreateProjectHandler,
  RenameProjectHandler,
  CreateProjectTaskTemplateHandler,
  ChangeProjectTaskTemplateDueDateHandler,
  RemoveProjectTaskTemplateHandler,
];
