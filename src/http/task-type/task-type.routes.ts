import {
  ChangeTaskTypeCategoryPayloadSchema,
  CreateTaskPayloadSchema,
  CreateTaskTypePayloadSchema,
  CreateTaskTypeSectionPayloadSchema,
  DeleteTaskTypeSectionPayloadSchema,
  MoveTaskToSectionPayloadSchema,
  RenameTaskPayloadSchema,
  RenameTaskTypePayloadSchema,
  RenameTaskTypeSectionPayloadSchema,
} from '../../domain/task-type/task-type.commands';
import { commandRoute } from '../commands/command-route';

export const TaskTypeRoutes = {
  create: commandRoute({
    method: 'POST',
    path: '/task-types',
    command: 'CreateTaskType',
    summary: 'Create a task type with its manufacturing category',
    payload: CreateTaskTypePayloadSchema,
    newId: 'taskTypeId',
    newStream: true,
  }),
  rename: commandRoute({
    method: 'PUT',
    path: '/task-types/:taskTypeId/name',
    command: 'RenameTaskType',
    summary: 'Rename a task type',
    payload: RenameTaskTypePayloadSchema,
  }),
  changeCategory: commandRoute({
    method: 'PUT',
    path: '/task-types/:taskTypeId/category',
    command: 'ChangeTaskTypeCategory',
    summary:
      "Change a task type's category (PART_APPROVAL, NMR, UNCLASSIFIED or any uppercase code)",
    payload: ChangeTaskTypeCategoryPayloadSchema,
  }),
  createSection: commandRoute({
    method: 'POST',
    path: '/task-types/:taskTypeId/sections',
    command: 'CreateTaskTypeSection',
    summary: 'Create a section; its code is unique in the task type',
    description: 'Codes are compared case-insensitively; a taken code is a conflict (409).',
    payload: CreateTaskTypeSectionPayloadSchema,
    newId: 'sectionId',
  }),
  renameSection: commandRoute({
    method: 'PUT',
    path: '/task-types/:taskTypeId/sections/:sectionId/name',
    command: 'RenameTaskTypeSection',
    summary: 'Rename a section',
    payload: RenameTaskTypeSectionPayloadSchema,
  }),
  deleteSection: commandRoute({
    method: 'DELETE',
    path: '/task-types/:taskTypeId/sections/:sectionId',
    command: 'DeleteTaskTypeSection',
    summary: 'Delete an empty section',
    description: 'A section that still holds tasks is refused with 422 SECTION.NOT_EMPTY.',
    payload: DeleteTaskTypeSectionPayloadSchema,
  }),
  createTask: commandRoute({
    method: 'POST',
    path: '/task-types/:taskTypeId/tasks',
    command: 'CreateTask',
    summary:
      "Create a task in a section; with parentTaskId, a sub-task (one level) in the parent's section",
    payload: CreateTaskPayloadSchema,
    newId: 'taskId',
  }),
  renameTask: commandRoute({
    method: 'PUT',
    path: '/task-types/:taskTypeId/tasks/:taskId/title',
    command: 'RenameTask',
    summary: 'Retitle a task or sub-task',
    payload: RenameTaskPayloadSchema,
  }),
  moveTask: commandRoute({
    method: 'POST',
    path: '/task-types/:taskTypeId/tasks/:taskId/move',
    command: 'MoveTaskToSection',
    summary: 'Move a top-level task, with its sub-tasks, to another section',
    description:
      'A sub-task cannot be moved on its own; a top-level task takes its sub-tasks along in one append.',
    payload: MoveTaskToSectionPayloadSchema,
  }),
};
