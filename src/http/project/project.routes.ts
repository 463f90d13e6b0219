import {
  ChangeProjectTaskTemplateDueDatePayloadSchema,
  CreateProjectPayloadSchema,
  CreateProjectTaskTemplatePayloadSchema,
  RemoveProjectTaskTemplatePayloadSchema,
  RenameProjectPayloadSchema,
} from '../../domain/project/project.commands';
import { commandRoute } from '../commands/command-route';

export const ProjectRoutes = {
  create: commandRoute({
    method: 'POST',
    path: '/projects',
    command: 'CreateProject',
    summary: 'Create a project',
    payload: CreateProjectPayloadSchema,
    newId: 'projectId',
    newStream: true,
  }),
  rename: commandRoute({
    method: 'PUT',
    path: '/projects/:projectId/name',
    command: 'RenameProject',
    summary: 'Rename a project (the same name again writes nothing)',
    payload: RenameProjectPayloadSchema,
  }),
  createTemplate: commandRoute({
    method: 'POST',
    path: '/projects/:projectId/templates',
    command: 'CreateProjectTaskTemplate',
    summary:
      'Create a task template (the task must exist in its task type); its due date is the canonical one',
    payload: CreateProjectTaskTemplatePayloadSchema,
    newId: 'templateId',
  }),
  changeTemplateDueDate: commandRoute({
    method: 'PUT',
    path: '/projects/:projectId/templates/:templateId/due-date',
    command: 'ChangeProjectTaskTemplateDueDate',
    summary: "Change a template's due date; every instance without an override follows it",
    payload: ChangeProjectTaskTemplateDueDatePayloadSchema,
  }),
  removeTemplate: commandRoute({
    method: 'DELETE',
    path: '/projects/:projectId/templates/:templateId',
    command: 'RemoveProjectTaskTemplate',
    summary: 'Remove a template (instances referencing it are not checked)',
    description: 'Checking them needs a read model of instances by template.',
    payload: RemoveProjectTaskTemplatePayloadSchema,
  }),
};
