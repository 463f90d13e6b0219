import {
  AddSupplierTaskNotePayloadSchema,
  ClearSupplierTaskDueDateOverridePayloadSchema,
  CompleteSupplierTaskPayloadSchema,
  CreateSupplierProjectInstancePayloadSchema,
  CreateSupplierTaskInstancePayloadSchema,
  OverrideSupplierTaskDueDatePayloadSchema,
  ReopenSupplierTaskPayloadSchema,
  StartSupplierTaskPayloadSchema,
} from '../../domain/supplier-project/supplier-project.commands';
import { commandRoute } from '../commands/command-route';

export const SupplierProjectRoutes = {
  create: commandRoute({
    method: 'POST',
    path: '/supplier-projects',
    command: 'CreateSupplierProjectInstance',
    summary: 'Assign a supplier to a project (both must exist)',
    payload: CreateSupplierProjectInstancePayloadSchema,
    newId: 'supplierProjectInstanceId',
    newStream: true,
  }),
  createTask: commandRoute({
    method: 'POST',
    path: '/supplier-projects/:supplierProjectInstanceId/tasks',
    command: 'CreateSupplierTaskInstance',
    summary:
      "Create a supplier task instance of a template of the project; the task is the template's",
    payload: CreateSupplierTaskInstancePayloadSchema.omit({ taskId: true }),
    newId: 'supplierTaskInstanceId',
  }),
  start: commandRoute({
    method: 'POST',
    path: '/supplier-projects/:supplierProjectInstanceId/tasks/:supplierTaskInstanceId/start',
    command: 'StartSupplierTask',
    summary: 'Start a task: NOT_STARTED → IN_PROGRESS',
    payload: StartSupplierTaskPayloadSchema,
  }),
  complete: commandRoute({
    method: 'POST',
    path: '/supplier-projects/:supplierProjectInstanceId/tasks/:supplierTaskInstanceId/complete',
    command: 'CompleteSupplierTask',
    summary: 'Complete a task: IN_PROGRESS → COMPLETED',
    payload: CompleteSupplierTaskPayloadSchema,
  }),
  reopen: commandRoute({
    method: 'POST',
    path: '/supplier-projects/:supplierProjectInstanceId/tasks/:supplierTaskInstanceId/reopen',
    command: 'ReopenSupplierTask',
    summary: 'Reopen a task: COMPLETED → IN_PROGRESS',
    payload: ReopenSupplierTaskPayloadSchema,
  }),
  addNote: commandRoute({
    method: 'POST',
    path: '/supplier-projects/:supplierProjectInstanceId/tasks/:supplierTaskInstanceId/notes',
    command: 'AddSupplierTaskNote',
    summary: 'Add a note to a task',
    payload: AddSupplierTaskNotePayloadSchema,
    newId: 'noteId',
  }),
  overrideDueDate: commandRoute({
    method: 'PUT',
    path: '/supplier-projects/:supplierProjectInstanceId/tasks/:supplierTaskInstanceId/due-date-override',
    command: 'OverrideSupplierTaskDueDate',
    summary: 'Override the due date of one task instance',
    payload: OverrideSupplierTaskDueDatePayloadSchema,
  }),
  clearDueDateOverride: commandRoute({
    method: 'DELETE',
    path: '/supplier-projects/:supplierProjectInstanceId/tasks/:supplierTaskInstanceId/due-date-override',
    command: 'ClearSupplierTaskDueDateOverride',
    summary: "Clear the override: the template's due date applies again",
    payload: ClearSupplierTaskDueDateOverridePayloadSchema,
  }),
};
