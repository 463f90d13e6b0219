import {
  assertNever,
  ignoreUnknownEvent,
  streamId,
  type Decider,
  type Unstamped,
} from '../shared/decider';
import { conflict, DomainErrorCodes, notFound } from '../shared/domain-error';
import type { ProjectCommand } from './project.commands';
import {
  ProjectEventSchema,
  PROJECT_EVENT_TYPES,
  PROJECT_STREAM_CATEGORY,
  type ProjectEvent,
} from './project.events';

export interface ProjectTaskTemplate {
  templateId: string;
  /** null for templates that came from V1, which did not record it. */
  taskTypeId: string | null;
  taskId: string;
  /** The canonical due date every instance without an override follows. */
  dueDate: string;
  /** Removed templates are kept so that their id is never handed out again. */
  removed: boolean;
}

export interface Project {
  projectId: string;
  code: string;
  name: string;
  templates: Readonly<Record<string, ProjectTaskTemplate>>;
}
export type ProjectState = Project | null;

export const initialState: ProjectState = null;

const requireProject = (state: ProjectState, projectId: string): Project => {
  if (state === null) {
    throw notFound(DomainErrorCodes.PROJECT_NOT_FOUND, 'project not found', { projectId });
  }
  return state;
};

const requireTemplate = (project: Project, templateId: string): ProjectTaskTemplate => {
  const template = project.templates[templateId];
  if (template === undefined || template.removed) {
    throw notFound(DomainErrorCodes.TEMPLATE_NOT_FOUND, 'project task template not found', {
      projectId: project.projectId,
      templateId,
    });
  }
  return template;
};

/** The live (not removed) template, if any: for callers that hold the project state. */
export const findTemplate = (
  state: ProjectState,
  templateId: string,
): ProjectTaskTemplate | undefined => {
  const template = state?.templates[templateId];
  return template === undefined || template.removed ? undefined : template;
};

export const decide = (
  command: ProjectCommand,
  state: ProjectState,
): Array<Unstamped<ProjectEvent>> => {
  switch (command.type) {
    case 'CreateProject': {
      if (state !== null) {
        throw conflict(DomainErrorCodes.PROJECT_ALREADY_EXISTS, 'project already exists', {
          projectId: command.data.projectId,
        });
      }
      const { projectId, code, name } = command.data;
      return [{ type: 'ProjectCreated', schemaVersion: 2, data: { projectId, code, name } }];
    }
    case 'RenameProject': {
      const project = requireProject(state, command.data.projectId);
      if (project.name === command.data.name) return [];
      const { projectId, name } = command.data;
      return [{ type: 'ProjectRenamed', schemaVersion: 2, data: { projectId, name } }];
    }
    case 'CreateProjectTaskTemplate': {
      const project = requireProject(state, command.data.projectId);
      const { projectId, templateId, taskTypeId, taskId, dueDate } = command.data;
      if (project.templates[templateId] !== undefined) {
        throw conflict(DomainErrorCodes.TEMPLATE_ALREADY_EXISTS, 'template already exists', {
          projectId,
          templateId,
        });
      }
      return [
        {
          type: 'ProjectTaskTemplateCreated',
          schemaVersion: 2,
          data: { projectId, templateId, taskTypeId, taskId, dueDate },
        },
      ];
    }
    case 'ChangeProjectTaskTemplateDueDate': {
      const project = requireProject(state, command.data.projectId);
      const template = requireTemplate(project, command.data.templateId);
      if (template.dueDate === command.data.dueDate) return [];
      const { projectId, templateId, dueDate } = command.data;
      return [
        {
          type: 'ProjectTaskTemplateDueDateChanged',
          schemaVersion: 2,
          data: { projectId, templateId, dueDate },
        },
      ];
    }
    case 'RemoveProjectTaskTemplate': {
      const project = requireProject(state, command.data.projectId);
      requireTemplate(project, command.data.templateId);
      const { projectId, templateId } = command.data;
      return [
        { type: 'ProjectTaskTemplateRemoved', schemaVersion: 2, data: { projectId, templateId } },
      ];
    }
    default:
      return assertNever(command);
  }
};

const withTemplate = (
  state: ProjectState,
  templateId: string,
  change: (template: ProjectTaskTemplate) => ProjectTaskTemplate,
): ProjectState => {
  const template = state?.templates[templateId];
  if (state === null || template === undefined) return state;
  return { ...state, templates: { ...state.templates, [templateId]: change(template) } };
};

export const evolve = (state: ProjectState, event: Unstamped<ProjectEvent>): ProjectState => {
  switch (event.type) {
    case 'ProjectCreated': {
      const { projectId, code, name } = event.data;
      return { projectId, code, name, templates: {} };
    }
    case 'ProjectRenamed':
      return state === null ? state : { ...state, name: event.data.name };
    case 'ProjectTaskTemplateCreated': {
      if (state === null) return state;
      const { templateId, taskTypeId, taskId, dueDate } = event.data;
      const template = { templateId, taskTypeId, taskId, dueDate, removed: false };
      return { ...state, templates: { ...state.templates, [templateId]: template } };
    }
    case 'ProjectTaskTemplateDueDateChanged':
      return withTemplate(state, event.data.templateId, (t) => ({
        ...t,
        dueDate: event.data.dueDate,
      }));
    case 'ProjectTaskTemplateRemoved':
      return withTemplate(state, event.data.templateId, (t) => ({ ...t, removed: true }));
    default:
      return ignoreUnknownEvent(event, state);
  }
};

export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState> = {
  streamCategory: PROJECT_STREAM_CATEGORY,
  eventSchema: ProjectEventSchema,
  eventTypes: PROJECT_EVENT_TYPES,
  initialState,
  streamIdFor: (command) => streamId(PROJECT_STREAM_CATEGORY, command.data.projectId),
  decide,
  evolve,
};
