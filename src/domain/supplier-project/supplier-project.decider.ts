import {
  assertNever,
  ignoreUnknownEvent,
  streamId,
  type Decider,
  type Unstamped,
} from '../shared/decider';
import { conflict, DomainErrorCodes, invariant, notFound } from '../shared/domain-error';
import type { SupplierProjectCommand } from './supplier-project.commands';
import {
  SupplierProjectEventSchema,
  SUPPLIER_PROJECT_EVENT_TYPES,
  SUPPLIER_PROJECT_STREAM_CATEGORY,
  type SupplierProjectEvent,
} from './supplier-project.events';
import { StatusMoves, type StatusMove, type SupplierTaskStatus } from './supplier-task-status';

export interface SupplierTaskInstance {
  supplierTaskInstanceId: string;
  /** The project task template it follows; its due date lives there, not here. */
  templateId: string;
  /** null for V1 instances; the template names the task. */
  taskId: string | null;
  status: SupplierTaskStatus;
  dueDateOverride: string | null;
  noteIds: readonly string[];
}

export interface SupplierProjectInstance {
  supplierProjectInstanceId: string;
  supplierId: string;
  projectId: string;
  tasks: Readonly<Record<string, SupplierTaskInstance>>;
}
export type SupplierProjectState = SupplierProjectInstance | null;

export const initialState: SupplierProjectState = null;

type Decided = Array<Unstamped<SupplierProjectEvent>>;
interface TaskInstanceRef {
  supplierProjectInstanceId: string;
  supplierTaskInstanceId: string;
}

const requireInstance = (
  state: SupplierProjectState,
  supplierProjectInstanceId: string,
): SupplierProjectInstance => {
  if (state === null) {
    throw notFound(
      DomainErrorCodes.SUPPLIER_PROJECT_NOT_FOUND,
      'supplier project instance not found',
      { supplierProjectInstanceId },
    );
  }
  return state;
};

const requireTaskInstance = (
  state: SupplierProjectState,
  ref: TaskInstanceRef,
): SupplierTaskInstance => {
  const task = requireInstance(state, ref.supplierProjectInstanceId).tasks[
    ref.supplierTaskInstanceId
  ];
  if (task === undefined) {
    throw notFound(DomainErrorCodes.TASK_INSTANCE_NOT_FOUND, 'supplier task instance not found', {
      ...ref,
    });
  }
  return task;
};

const changeStatus = (
  state: SupplierProjectState,
  ref: TaskInstanceRef,
  move: StatusMove,
): Decided => {
  const task = requireTaskInstance(state, ref);
  if (task.status !== move.from) {
    throw invariant(
      DomainErrorCodes.STATUS_INVALID_TRANSITION,
      `a task that is ${task.status} cannot move to ${move.to}`,
      { ...ref, from: task.status, to: move.to },
    );
  }
  const { supplierProjectInstanceId, supplierTaskInstanceId } = ref;
  return [
    {
      type: 'SupplierTaskStatusChanged',
      schemaVersion: 2,
      data: { supplierProjectInstanceId, supplierTaskInstanceId, from: move.from, to: move.to },
    },
  ];
};

export const decide = (command: SupplierProjectCommand, state: SupplierProjectState): Decided => {
  switch (command.type) {
    case 'CreateSupplierProjectInstance': {
      const { supplierProjectInstanceId, supplierId, projectId } = command.data;
      if (state !== null) {
        throw conflict(
          DomainErrorCodes.SUPPLIER_PROJECT_ALREADY_EXISTS,
          'supplier project instance already exists',
          { supplierProjectInstanceId },
        );
      }
      return [
        {
          type: 'SupplierProjectInstanceCreated',
          schemaVersion: 2,
          data: { supplierProjectInstanceId, supplierId, projectId },
        },
      ];
    }
    case 'CreateSupplierTaskInstance': {
      const { supplierProjectInstanceId, supplierTaskInstanceId, templateId, taskId } =
        command.data;
      const instance = requireInstance(state, supplierProjectInstanceId);
      if (instance.tasks[supplierTaskInstanceId] !== undefined) {
        throw conflict(
          DomainErrorCodes.TASK_INSTANCE_ALREADY_EXISTS,
          'supplier task instance already exists',
          { supplierProjectInstanceId, supplierTaskInstanceId },
        );
      }
      const sameTemplate = Object.values(instance.tasks).find((t) => t.templateId === templateId);
      if (sameTemplate !== undefined) {
        throw conflict(
          DomainErrorCodes.TASK_INSTANCE_TEMPLATE_TAKEN,
          'this supplier project already has an instance of the template',
          {
            supplierProjectInstanceId,
            templateId,
            supplierTaskInstanceId: sameTemplate.supplierTaskInstanceId,
          },
        );
      }
      return [
        {
          type: 'SupplierTaskInstanceCreated',
          schemaVersion: 2,
          data: { supplierProjectInstanceId, supplierTaskInstanceId, templateId, taskId },
        },
      ];
    }
    case 'StartSupplierTask':
      return changeStatus(state, command.data, StatusMoves.start);
    case 'CompleteSupplierTask':
      return changeStatus(state, command.data, StatusMoves.complete);
    case 'ReopenSupplierTask':
      return changeStatus(state, command.data, StatusMoves.reopen);
    case 'AddSupplierTaskNote': {
      const { supplierProjectInstanceId, supplierTaskInstanceId, noteId, text, author } =
        command.data;
      const task = requireTaskInstance(state, command.data);
      if (task.noteIds.includes(noteId)) {
        throw conflict(DomainErrorCodes.NOTE_ALREADY_EXISTS, 'note already added', {
          supplierProjectInstanceId,
          supplierTaskInstanceId,
          noteId,
        });
      }
      return [
        {
          type: 'SupplierTaskNoteAdded',
          schemaVersion: 2,
          data: { supplierProjectInstanceId, supplierTaskInstanceId, noteId, text, author },
        },
      ];
    }
    case 'OverrideSupplierTaskDueDate': {
      const { supplierProjectInstanceId, supplierTaskInstanceId, dueDate } = command.data;
      if (requireTaskInstance(state, command.data).dueDateOverride === dueDate) return [];
      return [
        {
          type: 'SupplierTaskDueDateOverridden',
          schemaVersion: 2,
          data: { supplierProjectInstanceId, supplierTaskInstanceId, dueDate },
        },
      ];
    }
    case 'ClearSupplierTaskDueDateOverride': {
      const { supplierProjectInstanceId, supplierTaskInstanceId } = command.data;
      if (requireTaskInstance(state, command.data).dueDateOverride === null) return [];
      return [
        {
          type: 'SupplierTaskDueDateOverrideCleared',
          schemaVersion: 2,
          data: { supplierProjectInstanceId, supplierTaskInstanceId },
        },
      ];
    }
    default:
      return assertNever(command);
  }
};

/** What one event does to a supplier project: the one place its folding rules are written. */
type Change =
  | { of: 'project'; project: SupplierProjectState }
  /** The task's next value from its current one (undefined: none yet); undefined leaves it. */
  | {
      of: 'task';
      id: string;
      next: (task: SupplierTaskInstance | undefined) => SupplierTaskInstance | undefined;
    }
  | { of: 'nothing' };

/** A change to a task that exists; an event about a task the project lacks changes nothing. */
const existingTask = (
  id: string,
  change: (task: SupplierTaskInstance) => SupplierTaskInstance,
): Change => ({ of: 'task', id, next: (task) => task && change(task) });

/**
 * Folds every history V1 and V2 allow. A status change is a fact: `to` is taken as it stands,
 * even when V1 jumped (NOT_STARTED → COMPLETED) or `from` disagrees with the folded status.
 */
const changeOf = (event: Unstamped<SupplierProjectEvent>): Change => {
  switch (event.type) {
    case 'SupplierProjectInstanceCreated': {
      const { supplierProjectInstanceId, supplierId, projectId } = event.data;
      return {
        of: 'project',
        project: { supplierProjectInstanceId, supplierId, projectId, tasks: {} },
      };
    }
    case 'SupplierTaskInstanceCreated': {
      const { supplierTaskInstanceId, templateId, taskId } = event.data;
      const task: SupplierTaskInstance = {
        supplierTaskInstanceId,
        templateId,
        taskId,
        status: 'NOT_STARTED',
        dueDateOverride: null,
        noteIds: [],
      };
      return { of: 'task', id: supplierTaskInstanceId, next: () => task };
    }
    case 'SupplierTaskStatusChanged':
      return existingTask(event.data.supplierTaskInstanceId, (t) => ({
        ...t,
        status: event.data.to,
      }));
    case 'SupplierTaskDueDateOverridden':
      return existingTask(event.data.supplierTaskInstanceId, (t) => ({
        ...t,
        dueDateOverride: event.data.dueDate,
      }));
    case 'SupplierTaskDueDateOverrideCleared':
      return existingTask(event.data.supplierTaskInstanceId, (t) => ({
        ...t,
        dueDateOverride: null,
      }));
    case 'SupplierTaskNoteAdded':
      return existingTask(event.data.supplierTaskInstanceId, (t) => ({
        ...t,
        noteIds: [...t.noteIds, event.data.noteId],
      }));
    default:
      return ignoreUnknownEvent(event, { of: 'nothing' });
  }
};

/**
 * Folds a run of events with one copy of the task map for the whole run, not one per event: a
 * project's history is mostly its tasks' events, and copying a hundred tasks at each of them
 * made loading a cold stream quadratic (most of a command's CPU at a million instances). The
 * state given is never changed; the copy is this fold's own until it returns.
 */
export const evolveAll = (
  state: SupplierProjectState,
  events: ReadonlyArray<Unstamped<SupplierProjectEvent>>,
): SupplierProjectState => {
  let project = state;
  let tasks: Record<string, SupplierTaskInstance> | undefined;
  for (const event of events) {
    const change = changeOf(event);
    if (change.of === 'project') {
      project = change.project;
      tasks = undefined;
      continue;
    }
    if (change.of === 'nothing' || project === null) continue;
    const next = change.next((tasks ?? project.tasks)[change.id]);
    if (next === undefined) continue;
    tasks ??= { ...project.tasks };
    tasks[change.id] = next;
  }
  return project === null || tasks === undefined ? project : { ...project, tasks };
};

export const evolve = (
  state: SupplierProjectState,
  event: Unstamped<SupplierProjectEvent>,
): SupplierProjectState => evolveAll(state, [event]);

export const supplierProjectDecider: Decider<
  SupplierProjectCommand,
  SupplierProjectEvent,
  SupplierProjectState
> = {
  streamCategory: SUPPLIER_PROJECT_STREAM_CATEGORY,
  eventSchema: SupplierProjectEventSchema,
  eventTypes: SUPPLIER_PROJECT_EVENT_TYPES,
  initialState,
  streamIdFor: (command) =>
    streamId(SUPPLIER_PROJECT_STREAM_CATEGORY, command.data.supplierProjectInstanceId),
  decide,
  evolveAll,
  evolve,
};
